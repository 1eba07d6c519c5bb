from credo.core.models import AuditEntry, CompanyProfile


def test_admin_pages_and_audited_policy_change(client, world):
    client.force_login(world.admin)
    world.admin.is_superuser = True
    world.admin.save()
    for url in ("/admin/", "/admin/core/auditentry/", "/admin/customers/customer/",
                f"/admin/customers/customer/{world.east_customer.pk}/change/", "/admin/auth/user/"):
        assert client.get(url).status_code == 200, url
    profile = CompanyProfile.current()
    response = client.post(f"/admin/core/companyprofile/{profile.pk}/change/",
                           {"name": profile.name, "address": "", "phone": "", "new_customer_months": 6})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="core.companyprofile", action="update")
    assert entry.before == {"new_customer_months": 12} and entry.after == {"new_customer_months": 6}


def test_customer_file_is_read_only_in_admin(client, world):
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    response = client.post(f"/admin/customers/customer/{world.east_customer.pk}/change/", {"name": "x"})
    assert response.status_code == 403
