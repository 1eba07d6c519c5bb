"""In-app notifications: notify(), the bell in the top bar, the notifications page, e-mail when configured."""

import pytest
from django.core import mail

from credo.core.models import Notification
from credo.core.notifications import notify, send_emails


@pytest.fixture
def mailed(settings):
    settings.EMAIL_HOST = "smtp.example.com"
    settings.CREDO_BASE_URL = "https://credo.example.com"


def test_notify_writes_one_row_per_active_user(world):
    world.sales_north.is_active = False
    world.sales_north.save()
    rows = notify([world.credit, world.credit, world.sales_east, world.sales_north, None], "标题", "正文", "/risk/",
                  customer_id=world.east_customer.pk)
    assert sorted(n.user.username for n in rows) == ["credit", "sales_east"]
    assert Notification.objects.filter(customer_id=world.east_customer.pk, read_at__isnull=True).count() == 2


def test_email_goes_after_commit_only_when_configured(world, mailed, django_capture_on_commit_callbacks):
    world.credit.email = "credit@example.com"
    world.credit.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.credit, world.sales_east], "新的风险信号", "客户 E001 支票退票", "/customers/1/?tab=risk")
    assert len(mail.outbox) == 1  # sales_east has no address
    message = mail.outbox[0]
    assert message.to == ["credit@example.com"] and message.subject == "新的风险信号"
    assert "支票退票" in message.body and "https://credo.example.com/customers/1/?tab=risk" in message.body
    assert Notification.objects.get(user=world.credit).emailed_at is not None
    assert Notification.objects.get(user=world.sales_east).emailed_at is None


def test_no_email_without_a_mail_host(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    world.credit.email = "credit@example.com"
    world.credit.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.credit], "t", "b")
    assert mail.outbox == [] and Notification.objects.count() == 1


def test_a_failing_mail_server_does_not_break_anything(world, mailed, settings):
    settings.EMAIL_BACKEND = "tests.core.test_notifications.BrokenBackend"
    world.credit.email = "credit@example.com"
    world.credit.save()
    row = notify([world.credit], "t", "b")[0]
    assert send_emails([row.pk]) == 0
    assert Notification.objects.get().emailed_at is None


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


def test_bell_shows_the_unread_count_and_the_latest(client, world):
    client.force_login(world.credit)
    page = client.get("/").content.decode()
    assert 'id="notification-bell" hx-get="/notifications/bell/"' in page  # loaded after the page
    assert 'data-testid="unread-count"' not in client.get("/notifications/bell/").content.decode()
    notify([world.credit], "客户 E001 出现风险信号", "两张支票退票", "/risk/")
    notify([world.sales_east], "别人的通知", "")
    bell = client.get("/notifications/bell/", headers={"HX-Request": "true",
                                                       "HX-Current-URL": "http://testserver/risk/?kind=lawsuits"})
    html = bell.content.decode()
    assert 'data-testid="unread-count">1<' in html and "客户 E001 出现风险信号" in html and "别人的通知" not in html
    assert 'name="next" value="/risk/?kind=lawsuits"' in html
    client.logout()
    assert client.get("/notifications/bell/").status_code == 204


def test_open_marks_read_and_follows_the_link(client, world):
    row = notify([world.credit], "t", "b", "/risk/")[0]
    other = notify([world.sales_east], "t", "b", "/risk/")[0]
    client.force_login(world.credit)
    response = client.get(f"/notifications/{row.pk}/")
    assert response.status_code == 302 and response["Location"] == "/risk/"
    assert Notification.objects.get(pk=row.pk).read_at is not None
    assert client.get(f"/notifications/{other.pk}/").status_code == 404  # someone else's
    unsafe = notify([world.credit], "t", "b", "https://evil.example.com/")[0]
    assert client.get(f"/notifications/{unsafe.pk}/")["Location"] == "/notifications/"


def test_notifications_page_marks_read(client, world):
    first, second = notify([world.credit], "第一条", "正文一")[0], notify([world.credit], "第二条", "正文二")[0]
    notify([world.sales_east], "别人的", "")
    client.force_login(world.credit)
    page = client.get("/notifications/")
    assert page.status_code == 200 and page.context["unread_count"] == 2
    html = page.content.decode()
    assert "第一条" in html and "第二条" in html and "别人的" not in html
    client.post("/notifications/read/", {"id": [str(first.pk)], "next": "/notifications/"})
    assert client.get("/notifications/?show=unread").context["rows"] == [second]
    response = client.post("/notifications/read/", {"all": "1"})
    assert response.status_code == 302 and Notification.objects.filter(read_at__isnull=True).count() == 1
    assert client.get("/notifications/?show=unread").context["rows"] == []
    client.logout()
    assert client.get("/notifications/").status_code == 302  # to the login page
