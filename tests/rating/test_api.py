from django.core.files.uploadedfile import SimpleUploadedFile

from credo.rating import rate
from credo.rating.models import FinancialStatement, Investigation, Rating

from .conftest import FIVEC_SCORES, STATEMENT, days_ago

JSON = {"content_type": "application/json"}


def test_ratings_latest_and_history_and_rate_now(client, world, credit_file):
    client.force_login(world.credit)
    url = f"/api/rating/customers/{credit_file.pk}/ratings"
    empty = client.get(url).json()
    assert empty == {"customer_id": credit_file.pk, "current": None, "history": []}
    made = client.post(url, {"reason": "risk_event", "note": "票据拒付"}, **JSON)
    assert made.status_code == 201
    body = made.json()
    assert body["grade"] == "A" and body["score"] == "72.69" and body["risk_level"] == "A"
    assert body["meaning"] == "信用较好" and body["approval_guide_min_limit"] == "100000.00"
    assert {i["source"] for i in body["items"]} >= {"fivec.score", "ledger.avg_days_late"}
    assert body["inputs"]["statement"]["net_assets"] == "6000000.00" and body["scorecard_version"] == 1
    client.post(url, {}, **JSON)
    listed = client.get(url).json()
    assert listed["current"]["id"] != body["id"] and len(listed["history"]) == 2
    detail = client.get(f"/api/rating/ratings/{body['id']}").json()
    assert detail["grade_table"][0] == {"grade": "AAA", "min_score": "90.00", "risk_level": "AA",
                                        "guide_min_limit": "1000000.00"}
    missing = client.post(f"/api/rating/customers/{world.north_customer.pk}/ratings", {}, **JSON)
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "customer"]


def test_rating_api_permissions_and_scope(client, world, credit_file):
    rating = rate.rate_customer(world.credit, credit_file)
    client.force_login(world.sales_north)
    assert client.get(f"/api/rating/customers/{credit_file.pk}/ratings").status_code == 404
    assert client.get(f"/api/rating/ratings/{rating.pk}").status_code == 404
    assert client.post(f"/api/rating/customers/{credit_file.pk}/ratings", {}, **JSON).status_code == 404
    client.force_login(world.sales_east)
    assert client.get(f"/api/rating/customers/{credit_file.pk}/ratings").json()["current"]["grade"] == "A"
    assert client.post(f"/api/rating/customers/{credit_file.pk}/ratings", {}, **JSON).status_code == 403
    client.force_login(world.service)
    assert client.get(f"/api/rating/customers/{credit_file.pk}/ratings").status_code == 403
    client.logout()
    assert client.get(f"/api/rating/customers/{credit_file.pk}/ratings").status_code == 401
    assert Rating.objects.count() == 1


def test_statements_list_and_create_with_field_errors(client, world):
    client.force_login(world.credit)
    url = f"/api/rating/customers/{world.east_customer.pk}/statements"
    bad = client.post(url, {**STATEMENT, "period_end": days_ago(10).isoformat(), "inventory": "-1",
                            "total_liabilities": "1"}, **JSON)
    assert bad.status_code == 422
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"inventory", "total_liabilities"}
    unparsable = client.post(url, {**STATEMENT, "period_end": "soon", "current_assets": "lots"}, **JSON)
    assert unparsable.status_code == 422
    assert {d["loc"][-1] for d in unparsable.json()["detail"]} == {"period_end", "current_assets"}
    assert not FinancialStatement.objects.exists()
    made = client.post(url, {**STATEMENT, "period_end": days_ago(10).isoformat()}, **JSON)
    assert made.status_code == 201 and made.json()["ratios"]["current_ratio"] == "2.0000"
    dup = client.post(url, {**STATEMENT, "period_end": days_ago(10).isoformat()}, **JSON)
    assert dup.status_code == 422 and dup.json()["detail"][0]["loc"] == ["body", "period_end"]
    assert [s["period_end"] for s in client.get(url).json()] == [days_ago(10).isoformat()]
    client.force_login(world.sales_east)
    assert client.post(url, {**STATEMENT, "period_end": days_ago(5).isoformat()}, **JSON).status_code == 403
    client.force_login(world.sales_north)
    assert client.get(url).status_code == 404


def test_investigations_list_and_create(client, world):
    client.force_login(world.sales_east)
    url = f"/api/rating/customers/{world.east_customer.pk}/investigations"
    assert len(client.get("/api/rating/checklist").json()) == 27
    bad = client.post(url, {"investigated_on": days_ago(1).isoformat(), "kind": "direct", "source": "bank",
                            "answers": {"fin_cash": "perhaps"}}, **JSON)
    assert bad.status_code == 422
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"source", "answers.fin_cash"}
    made = client.post(url, {"investigated_on": days_ago(1).isoformat(), "kind": "indirect", "source": "bank",
                             "findings": "银行:账户正常", "status": "completed",
                             "answers": {"fin_bank_tension": "yes", "fin_cash": "yes"}}, **JSON)
    assert made.status_code == 201
    body = made.json()
    assert body["warnings"] == 1 and body["investigator"] == "sales_east"
    assert [a["question"] for a in body["answers"] if a["warning"]] == ["fin_bank_tension"]
    upload = client.post(f"/api/rating/investigations/{body['id']}/documents",
                         {"documents": [SimpleUploadedFile("bank.pdf", b"%PDF")]})
    assert upload.status_code == 201 and upload.json()["documents"][0]["name"] == "bank.pdf"
    doc_url = upload.json()["documents"][0]["url"]
    assert client.get(doc_url).status_code == 200
    assert [i["id"] for i in client.get(url).json()] == [body["id"]]
    client.force_login(world.sales_north)
    assert client.get(url).status_code == 404
    assert client.get(doc_url).status_code == 404
    assert client.post(url, {"investigated_on": days_ago(1).isoformat(), "kind": "direct", "source": "visit"},
                       **JSON).status_code == 404
    client.force_login(world.finance)
    assert client.post(url, {"investigated_on": days_ago(1).isoformat(), "kind": "direct", "source": "visit"},
                       **JSON).status_code == 403
    assert Investigation.objects.count() == 1


def test_fivec_and_policy_through_the_api(client, world):
    client.force_login(world.credit)
    url = f"/api/rating/customers/{world.east_customer.pk}/fivec"
    made = client.post(url, {"evaluated_on": days_ago(1).isoformat(), "sub_scores": FIVEC_SCORES}, **JSON)
    assert made.status_code == 201 and made.json()["score"] == "72.75"
    bad = client.post(url, {"evaluated_on": days_ago(1).isoformat(), "sub_scores": FIVEC_SCORES,
                            "weights": {"character": 1, "capacity": 1, "capital": 0, "collateral": 0,
                                        "condition": 0}}, **JSON)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "weights"]
    policy = client.get("/api/rating/policy").json()
    assert policy["scorecard"]["version"] == 1 and policy["grades"][0]["grade"] == "AAA"
    items = [{k: i[k] for k in ("source", "weight", "mapping", "missing_score")} for i in policy["scorecard"]["items"]]
    assert client.put("/api/rating/policy/scorecard", {"items": items}, **JSON).status_code == 403
    client.force_login(world.admin)
    items[0]["weight"] = "0.5"
    refused = client.put("/api/rating/policy/scorecard", {"items": items}, **JSON)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "weights"]
    items[0]["weight"], items[5]["weight"] = "0.3", "0.15"
    saved = client.put("/api/rating/policy/scorecard", {"items": items, "note": "5C 更重"}, **JSON)
    assert saved.status_code == 200 and saved.json()["scorecard"]["version"] == 2


def test_due_list_api(client, world, credit_file):
    client.force_login(world.credit)
    assert [c["code"] for c in client.get("/api/rating/due").json()] == ["E001"]
    client.force_login(world.sales_east)
    assert client.get("/api/rating/due").status_code == 403
