"""The knowledge base beside complaints: suggestions on the intake and on an open complaint, an article drafted
from a closed complaint's cause and solution."""

import pytest

from credo.complaints import services
from credo.servicedesk import services as desk
from credo.servicedesk.models import Article
from tests.complaints.test_services import take

pytestmark = pytest.mark.django_db
RECORDS = {1: "客户反映阀门漏水", 2: "密封圈材质不耐高温", 3: "更换耐高温密封圈", 4: "已电话告知客户方案",
           5: "工程师上门更换密封圈", 6: "回访确认不再漏水"}


@pytest.fixture
def article(world):
    return desk.save_article(world.service, title="阀门漏水的处理", body="检查密封圈是否老化，必要时更换。",
                             tags="阀门, 漏水, 密封圈", category="maintenance", published=True)


def closed(world, monday):
    complaint = take(world)
    for number, record in RECORDS.items():
        monday.advance(hours=1)
        services.close_step(world.service, complaint, number, record, cause="material")
    complaint.refresh_from_db()
    return complaint


def test_intake_and_open_complaint_suggest_articles(client, world, monday, article):
    client.force_login(world.service)
    intake = client.get("/complaints/new/").content.decode()
    assert 'id="kb-suggestions"' in intake and "/service/suggestions/" in intake and article.title not in intake
    typed = client.get("/service/suggestions/?description=阀门一直漏水").content.decode()
    assert article.title in typed
    complaint = take(world)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert article.title in page and 'id="write-article"' not in page


def test_an_article_is_drafted_from_a_closed_complaint(client, world, monday, article):
    complaint = closed(world, monday)
    draft = services.article_draft(complaint)
    assert draft["category"] == "maintenance" and "阀门漏水" in draft["body"]
    assert all(RECORDS[n] in draft["body"] for n in (2, 3, 5, 6)) and RECORDS[4] not in draft["body"]
    client.force_login(world.service)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="write-article"' in page and article.title not in page
    form = client.get(f"/service/kb/new/?from_complaint={complaint.pk}").content.decode()
    assert complaint.number in form and "密封圈材质不耐高温" in form
    done = client.post(f"/service/kb/new/?from_complaint={complaint.pk}", {
        "title": "密封圈不耐高温导致漏水", "category": "maintenance", "tags": "密封圈", "body": draft["body"],
        "from_complaint": complaint.pk})
    written = Article.objects.get(title="密封圈不耐高温导致漏水")
    assert done.status_code == 302 and written.source_complaint_id == complaint.pk
    shown = client.get(f"/service/kb/{written.pk}/").content.decode()
    assert 'data-testid="source-complaint"' in shown and complaint.number in shown


def test_no_article_from_an_open_or_unseen_complaint(client, world, monday):
    complaint = take(world)
    client.force_login(world.service)
    assert client.get(f"/service/kb/new/?from_complaint={complaint.pk}").status_code == 404
    assert client.get("/service/kb/new/?from_complaint=999999").status_code == 404
    other = closed(world, monday)
    client.force_login(world.sales_north)   # not their customer; and their role writes no articles
    assert client.get(f"/service/kb/new/?from_complaint={other.pk}").status_code in (403, 404)
