"""The SERVQUAL instrument page and the REST API: every role reads, the administrator saves a new version;
bad input names the field and saves nothing; scoring JSON rows gives the CLI's figures."""

import datetime
import json

import pytest
from django.test import Client

from credo.core.auth import create_token
from credo.core.models import AuditEntry
from credo.servqual import rules, services
from credo.servqual.models import InstrumentVersion

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_token(user, 'test')}"})


@pytest.fixture
def today(world, clock):
    clock.set(datetime.date(2026, 6, 15))
    return world


def editor_data(version=None, **changes) -> dict:
    """The editor's POST for a version as it is shown (weights entered), with changes."""
    version = version or services.in_force()
    data = {"entry": "weights", "valid_from": "", "note": ""}
    for d in version.dimensions.prefetch_related("items"):
        data[f"weight_{d.code}"] = f"{d.weight.normalize():f}"
        items = list(d.items.all())
        prefix = f"items_{d.code}"
        data.update({f"{prefix}-TOTAL_FORMS": str(len(items) + 1), f"{prefix}-INITIAL_FORMS": str(len(items)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "12"})
        for n, item in enumerate(items):
            data.update({f"{prefix}-{n}-key": item.key, f"{prefix}-{n}-text_zh": item.text_zh,
                         f"{prefix}-{n}-text_en": item.text_en, f"{prefix}-{n}-ORDER": str(n + 1)})
        data.update({f"{prefix}-{len(items)}-key": "", f"{prefix}-{len(items)}-text_zh": "",
                     f"{prefix}-{len(items)}-text_en": "", f"{prefix}-{len(items)}-ORDER": ""})
    data.update(changes)
    return data


@pytest.mark.parametrize("language, words", [
    ("zh-hans", ["SERVQUAL 问卷", "有形性", "可靠性", "响应性", "保证性", "移情性", "公司第一次就把服务做对。", "满意度"]),
    ("en", ["SERVQUAL instrument", "Tangibles", "Empathy", "The company gets the service right the first time.",
            "Satisfaction"]),
])
def test_the_page_in_both_languages(client, today, language, words):
    client.force_login(today.admin)
    client.cookies["django_language"] = language
    page = client.get("/servqual/").content.decode()
    for word in words:
        assert word in page, word
    assert 'id="instrument-form"' in page and page.count('data-key="') == 22


def test_every_role_reads_and_only_the_administrator_edits(client, today):
    client.force_login(today.sales_east)
    response = client.get("/servqual/")
    assert response.status_code == 200 and 'id="instrument-form"' not in response.content.decode()
    assert client.post("/servqual/save/", editor_data()).status_code == 403
    assert InstrumentVersion.objects.count() == 1


def test_the_editor_saves_a_new_version(client, today):
    client.force_login(today.admin)
    data = editor_data(**{
        "entry": "points", "weight_tangibles": "10", "weight_reliability": "30", "weight_responsiveness": "20",
        "weight_assurance": "25", "weight_empathy": "15",
        "items_tangibles-0-ORDER": "9",                                    # T1 goes last
        "items_empathy-4-DELETE": "on",                                    # E5 removed
        "items_assurance-4-text_zh": "员工能说清楚收费。", "items_assurance-4-text_en": "Staff explain the charges.",
        "items_reliability-0-text_en": "Promises are kept.", "note": "review"})
    response = client.post("/servqual/save/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = services.in_force()
    assert not version.builtin and version.note == "review"
    assert services.weights_of(version)["assurance"] == services.weights_of(version)["assurance"].__class__("0.25")
    keys = {d.code: [i.key for i in d.items.all()] for d in version.dimensions.all()}
    assert keys["tangibles"] == ["T2", "T3", "T4", "T1"]
    assert keys["empathy"] == ["E1", "E2", "E3", "E4"] and keys["assurance"] == ["A1", "A2", "A3", "A4", "A5"]
    assert version.dimensions.get(code="reliability").items.get(key="R1").text_en == "Promises are kept."
    assert AuditEntry.objects.filter(action=services.AUDIT_ACTION).count() == 1
    page = client.get("/servqual/").content.decode()
    assert page.count('data-version="') == 2
    old = client.get(f"/servqual/?version={services.ensure_defaults().pk}").content.decode()
    assert old.count('data-key="') == 22


@pytest.mark.parametrize("changes, field, words", [
    ({"weight_empathy": "0.3"}, "weights", "1.1"),
    ({"entry": "points"}, "points", "100"),
    ({"weight_tangibles": ""}, "weights", "Tangibles"),
    ({"items_tangibles-0-text_en": ""}, "items_tangibles-0-text_en", ""),
    ({**{f"items_empathy-{n}-DELETE": "on" for n in range(5)}}, "items", "Empathy"),
    ({"valid_from": "2026-06-01"}, "valid_from", "past"),
])
def test_bad_input_shows_inline_errors_and_saves_nothing(client, today, changes, field, words):
    client.force_login(today.admin)
    client.cookies["django_language"] = "en"
    response = client.post("/servqual/save/", editor_data(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-field="{field}"' in page
    assert words in page
    assert InstrumentVersion.objects.count() == 1 and not AuditEntry.objects.exists()


def test_service_messages_default_to_chinese(client, today):
    client.force_login(today.admin)
    page = client.post("/servqual/save/", editor_data(weight_empathy="0.3")).content.decode()
    assert "各维度权重之和必须恰好为 1；现在合计为 1.1。" in page


# --- API -----------------------------------------------------------------------------------------

def test_api_reads_the_instrument_and_versions(today):
    client = api(today.sales_east)
    body = client.get("/api/servqual/instrument").json()
    assert [d["code"] for d in body["dimensions"]] == list(rules.DIMENSIONS)
    assert sum(len(d["items"]) for d in body["dimensions"]) == 22 and body["builtin"]
    assert client.get("/api/servqual/instrument?on=2020-01-01").json()["id"] == body["id"]
    assert len(client.get("/api/servqual/versions").json()) == 1
    assert client.get("/api/servqual/instrument?on=someday").status_code == 422


def _put_body(**changes) -> dict:
    version = services.in_force()
    body = {"weights": {d: "0.2" for d in rules.DIMENSIONS},
            "items": {d.code: [{"key": i.key, "text_zh": i.text_zh, "text_en": i.text_en} for i in d.items.all()]
                      for d in version.dimensions.prefetch_related("items")}}
    body.update(changes)
    return body


def test_api_saves_a_version_with_points(today):
    body = _put_body(weights=None, points={"tangibles": 10, "reliability": 30, "responsiveness": 20,
                                           "assurance": 25, "empathy": 15}, valid_from="2026-07-01")
    response = api(today.admin).put("/api/servqual/instrument", json.dumps(body), content_type=JSON)
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["valid_from"] == "2026-07-01"
    assert {d["code"]: d["weight"] for d in saved["dimensions"]}["reliability"] in ("0.3", "0.300000")
    assert api(today.admin).get("/api/servqual/instrument").json()["builtin"]      # planned, not yet in force
    assert api(today.admin).get("/api/servqual/instrument?on=2026-07-01").json()["id"] == saved["id"]


@pytest.mark.parametrize("changes, field", [
    ({"weights": {d: "0.3" for d in rules.DIMENSIONS}}, "weights"),
    ({"weights": None, "points": {d: 10 for d in rules.DIMENSIONS}}, "points"),
    ({"items": {"tangibles": []}}, "items"),
    ({"valid_from": "2026-06-01"}, "valid_from"),
    ({"valid_from": "soon"}, "valid_from"),
    ({"note": "x" * 201}, "note"),
])
def test_api_put_422_names_the_field(today, changes, field):
    response = api(today.admin).put("/api/servqual/instrument", json.dumps(_put_body(**changes)), content_type=JSON)
    assert response.status_code == 422
    assert [e["loc"][1] for e in response.json()["detail"]] == [field]
    assert InstrumentVersion.objects.count() == 1


def test_api_put_is_for_administrators(today):
    response = api(today.manager_east).put("/api/servqual/instrument", json.dumps(_put_body()), content_type=JSON)
    assert response.status_code == 403


ROWS = [
    {"respondent": "r1", "dimension": "tangibles", "item": "T1", "expectation": 6, "perception": 5},
    {"respondent": "r2", "dimension": "tangibles", "item": "T1", "expectation": 7, "perception": 6},
    {"respondent": "r3", "dimension": "tangibles", "item": "T1", "expectation": 5, "perception": None},
    {"respondent": "r1", "dimension": "reliability", "item": "R1", "expectation": 7, "perception": 5},
    {"respondent": "r1", "dimension": "responsiveness", "item": "S1", "expectation": 5, "perception": 6},
    {"respondent": "r1", "dimension": "assurance", "item": "A1", "expectation": 6, "perception": 6},
    {"respondent": "r1", "dimension": "empathy", "item": "E1", "expectation": 6, "perception": 4},
]


def test_api_scores_rows_like_the_cli_and_stores_nothing(today):
    weights = {"tangibles": "0.1", "reliability": "0.3", "responsiveness": "0.2", "assurance": "0.25",
               "empathy": "0.15"}
    response = api(today.sales_east).post("/api/servqual/score", json.dumps({"weights": weights, "rows": ROWS}),
                                          content_type=JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dimensions"] == {"tangibles": "-1.0000", "reliability": "-2.0000", "responsiveness": "1.0000",
                                  "assurance": "0.0000", "empathy": "-2.0000"}
    assert (body["unweighted"], body["weighted"], body["items"], body["respondents"]) == ("-0.8000", "-0.8000", 5, 2)
    assert body["item_gaps"][0] == {"dimension": "tangibles", "item": "T1", "respondents": 2,
                                    "expectation": "6.5000", "perception": "5.5000", "gap": "-1.0000"}
    # without weights: the instrument in force (equal weights)
    body = api(today.sales_east).post("/api/servqual/score", json.dumps({"rows": ROWS}), content_type=JSON).json()
    assert body["weighted"] == "-0.8000" and body["weights"]["empathy"] == "0.2"
    assert InstrumentVersion.objects.count() == 1 and not AuditEntry.objects.exists()


@pytest.mark.parametrize("changes, field, words", [
    ({"rows": [{**ROWS[0], "perception": 8}]}, "rows", "rows[0]: perception"),
    ({"rows": [ROWS[0], {**ROWS[1], "dimension": "price"}]}, "rows", "rows[1]"),
    ({"rows": [ROWS[0], ROWS[0]]}, "rows", "rows[1]"),
    ({"weights": {"tangibles": "1"}}, "weights", ""),
    ({"points": {d: 30 for d in rules.DIMENSIONS}}, "points", "150"),
])
def test_api_score_422_names_the_field(today, changes, field, words):
    body = {"rows": ROWS, **changes}
    response = api(today.sales_east).post("/api/servqual/score", json.dumps(body), content_type=JSON)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"][1] == field and words in detail[0]["msg"]


def test_api_score_schema_errors_name_the_row(today):
    body = {"rows": [{**ROWS[0], "expectation": "high"}]}
    response = api(today.sales_east).post("/api/servqual/score", json.dumps(body), content_type=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:4] == ["body", "rows", 0, "expectation"]


def test_api_needs_a_sign_in():
    assert Client().get("/api/servqual/instrument").status_code == 401
