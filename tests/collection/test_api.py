from credo.collection import dunning
from credo.collection.models import PromiseToPay

from .conftest import days_ago

JSON = {"content_type": "application/json"}


def test_open_case_promise_letter_through_the_api(client, world, overdue):
    client.force_login(world.credit)
    opened = client.post(f"/api/collection/customers/{overdue.pk}/cases", {"reason": "资金紧张",
                                                                          "debtor_type": "cooperative"}, **JSON)
    assert opened.status_code == 201
    case_id = opened.json()["id"]
    promise = client.post(f"/api/collection/cases/{case_id}/promises",
                          {"promised_date": days_ago(-7).isoformat(), "amount": "800", "made_by": "李总"}, **JSON)
    assert promise.status_code == 201 and promise.json()["status"] == "open"
    letter = client.post(f"/api/collection/cases/{case_id}/letters", **JSON)
    assert letter.status_code == 201 and letter.json()["level"] == "notice"
    detail = client.get(f"/api/collection/cases/{case_id}").json()
    assert detail["overdue_now"] == "1500.00" and detail["days_overdue"] == 40 and detail["overdue_invoices"] == 2
    assert [p["amount"] for p in detail["promises"]] == ["800.00"] and len(detail["letters"]) == 1
    pdf = client.get(detail["letters"][0]["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_api_errors_and_scope(client, world, overdue):
    client.force_login(world.credit)
    case_id = client.post(f"/api/collection/customers/{overdue.pk}/cases", {}, **JSON).json()["id"]
    bad = client.post(f"/api/collection/cases/{case_id}/promises",
                      {"promised_date": days_ago(5).isoformat(), "amount": "-1", "made_on": days_ago(1).isoformat()},
                      **JSON)
    assert bad.status_code == 422
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"amount", "promised_date"}
    assert not PromiseToPay.objects.exists()
    dunning.run_dunning(days_ago(0))

    client.force_login(world.sales_north)
    assert client.get(f"/api/collection/cases/{case_id}").status_code == 404
    assert client.get("/api/collection/cases").json() == []
    client.force_login(world.sales_east)
    cases = client.get("/api/collection/cases").json()
    assert [c["id"] for c in cases] == [case_id]
    letter_id = client.get(f"/api/collection/cases/{case_id}").json()["letters"][0]["id"]
    assert client.post(f"/api/collection/cases/{case_id}/letters", **JSON).status_code == 403
    assert client.post(f"/api/collection/cases/{case_id}/notes", {"text": "客户答应下周付"}, **JSON).status_code == 201
    client.force_login(world.sales_north)
    assert client.get(f"/api/collection/letters/{letter_id}/pdf").status_code == 404
    assert client.get(f"/api/collection/customers/{overdue.pk}/broken-promises").status_code == 404
