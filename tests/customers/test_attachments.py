import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credo.customers.models import Attachment
from tests.factories import CustomerFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_upload_and_download_only_in_scope(client, world):
    client.force_login(world.sales_east)
    upload = SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 licence", content_type="application/pdf")
    response = client.post(f"/customers/{world.east_customer.pk}/attachments/new/",
                           {"kind": "licence", "title": "营业执照", "file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get(customer=world.east_customer)
    assert client.get(f"/media/{attachment.file.name}").status_code == 200
    client.force_login(world.sales_north)
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_list_page_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    for i in range(60):
        CustomerFactory(code=f"Q{i:03d}", account_manager=world.sales_east, territory=world.territory)
    client.force_login(world.manager_east)
    with django_assert_max_num_queries(12):
        assert client.get("/customers/").status_code == 200
