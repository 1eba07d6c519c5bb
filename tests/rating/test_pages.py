import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credo.rating import rate, services
from credo.rating.models import FinancialStatement, FiveCEvaluation, Investigation, Rating, Scorecard

from .conftest import days_ago, statement


def tab(customer):
    return reverse("customers:detail", args=[customer.pk]) + "?tab=credit_file"


def test_credit_file_tab_shows_grade_meaning_guide_history_and_the_file(client, world, credit_file):
    rating = rate.rate_customer(world.credit, credit_file)
    client.force_login(world.sales_east)
    page = client.get(tab(credit_file))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-grade="A"' in html and "信用较好" in html
    assert "¥100,000.00" in html  # approval guide of grade A
    assert reverse("rating:rating_detail", args=[rating.pk]) in html
    assert "仓库满" in html and 'data-warning="1"' in html  # the investigation and its warning sign
    assert "2.00" in html and "40.0 %" in html  # current ratio and debt ratio of the statement
    assert "72.75" in html  # the 5C score
    assert reverse("rating:investigation_create", args=[credit_file.pk]) in html  # salesperson may investigate
    assert reverse("rating:rate_now", args=[credit_file.pk]) not in html  # but not rate


def test_tab_of_an_unrated_customer_says_so(client, world):
    client.force_login(world.credit)
    html = client.get(tab(world.north_customer)).content.decode()
    assert 'data-grade="NR"' in html and reverse("rating:rate_now", args=[world.north_customer.pk]) in html


def test_service_agent_has_no_credit_file(client, world, credit_file):
    client.force_login(world.service)
    html = client.get(tab(credit_file)).content.decode()
    assert "rating-current" not in html
    rating = rate.rate_customer(world.credit, credit_file)
    assert client.get(reverse("rating:rating_detail", args=[rating.pk])).status_code == 404


def test_rating_page_shows_inputs_and_item_scores(client, world, credit_file):
    rating = rate.rate_customer(world.credit, credit_file)
    client.force_login(world.credit)
    page = client.get(reverse("rating:rating_detail", args=[rating.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="score">72.69<' in html and 'data-testid="risk-level">A<' in html
    for source in ("fivec.score", "fin.current_ratio", "ledger.avg_days_late", "checklist.warning_signs"):
        assert f'data-source="{source}"' in html
    assert "10 days" in html or "10天" in html or "10 天" in html or "10.0" in html  # average days late
    assert "100.0 %" in html  # overdue share
    assert "¥5,000,000.00" in html and "¥600.00" in html  # statement and payments used
    assert "客户是否开始利用高息贷款?" in html  # the warning sign named
    assert "v1" in html and "grade-hit" in html


def test_rating_page_out_of_scope_is_404(client, world, credit_file):
    rating = rate.rate_customer(world.credit, credit_file)
    client.force_login(world.sales_north)
    assert client.get(reverse("rating:rating_detail", args=[rating.pk])).status_code == 404


def test_rate_now_button(client, world, credit_file):
    client.force_login(world.credit)
    page = client.post(reverse("rating:rate_now", args=[credit_file.pk]), {"reason": "risk_event", "note": "退票"})
    rating = Rating.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("rating:rating_detail", args=[rating.pk])
    assert rating.note == "退票" and rating.reason == "first"
    client.force_login(world.sales_east)
    assert client.post(reverse("rating:rate_now", args=[credit_file.pk]), {"reason": "manual"}).status_code == 403
    client.force_login(world.sales_north)
    assert client.post(reverse("rating:rate_now", args=[credit_file.pk]), {"reason": "manual"}).status_code == 404


def test_rate_now_without_data_says_why(client, world):
    client.force_login(world.credit)
    page = client.post(reverse("rating:rate_now", args=[world.north_customer.pk]), {"reason": "manual"}, follow=True)
    assert "nothing to rate" in page.content.decode() or "没有" in page.content.decode()
    assert not Rating.objects.exists()


def test_statement_form_shows_field_errors_and_keeps_input(client, world):
    client.force_login(world.credit)
    url = reverse("rating:statement_create", args=[world.east_customer.pk])
    assert client.get(url).status_code == 200
    data = {**statement(), "period_end": days_ago(40).isoformat(), "inventory": "6000000", "current_assets": "5000000"}
    page = client.post(url, data)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-field="inventory"' in html and 'value="6000000"' in html
    assert not FinancialStatement.objects.exists()
    page = client.post(url, {**data, "inventory": "1500000"})
    assert page.status_code == 302 and FinancialStatement.objects.count() == 1
    page = client.post(url, {**data, "inventory": "1500000"})
    assert 'data-field="period_end"' in page.content.decode()
    edit = reverse("rating:statement_edit", args=[FinancialStatement.objects.get().pk])
    assert client.post(edit, {**data, "inventory": "1000000"}).status_code == 302
    assert FinancialStatement.objects.get().inventory == 1000000


def test_statement_pages_are_for_the_rating_roles(client, world):
    client.force_login(world.sales_east)
    assert client.get(reverse("rating:statement_create", args=[world.east_customer.pk])).status_code == 403
    assert client.get(reverse("rating:fivec_create", args=[world.east_customer.pk])).status_code == 403
    client.force_login(world.sales_north)
    assert client.get(reverse("rating:investigation_create", args=[world.east_customer.pk])).status_code == 404


def test_investigation_form_with_checklist_and_documents(client, world):
    client.force_login(world.sales_east)
    url = reverse("rating:investigation_create", args=[world.east_customer.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "客户银行账户是否已被冻结?" in html and "客户经营者本人的素质是否良好?" in html
    questions = {q.code: q.pk for q in services.active_questions()}
    data = {"investigated_on": days_ago(2).isoformat(), "kind": "direct", "source": "bank", "findings": "",
            "status": "completed", f"q_{questions['fin_account_frozen']}": "yes"}
    page = client.post(url, data)
    html = page.content.decode()
    assert 'data-field="source"' in html and 'data-field="findings"' in html
    assert not Investigation.objects.exists()
    doc = SimpleUploadedFile("银行证明.pdf", b"%PDF-1.4", content_type="application/pdf")
    page = client.post(url, {**data, "source": "interview", "findings": "账户冻结", "documents": [doc]})
    investigation = Investigation.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("rating:investigation_detail",
                                                                   args=[investigation.pk])
    detail = client.get(page["Location"]).content.decode()
    assert 'data-warning="1"' in detail and 'data-testid="warnings">1<' in detail and "银行证明.pdf" in detail
    document = investigation.documents.get()
    assert client.get(reverse("rating:document", args=[document.pk])).status_code == 200
    client.force_login(world.sales_north)
    assert client.get(reverse("rating:document", args=[document.pk])).status_code == 404
    assert client.get(reverse("rating:investigation_detail", args=[investigation.pk])).status_code == 404
    # customer attachments' media URL does not serve credit-file documents
    assert client.get(reverse("media", args=[document.file.name])).status_code == 404


def test_draft_investigation_edit(client, world):
    investigation = services.record_investigation(world.credit, world.east_customer, {
        "investigated_on": days_ago(1), "kind": "indirect", "source": "tax", "status": "draft"})
    client.force_login(world.credit)
    url = reverse("rating:investigation_edit", args=[investigation.pk])
    assert client.get(url).status_code == 200
    q = services.active_questions()[0]
    page = client.post(url, {"investigated_on": days_ago(1).isoformat(), "kind": "indirect", "source": "tax",
                             "findings": "纳税正常", "status": "completed", f"q_{q.pk}": "no"})
    assert page.status_code == 302
    investigation.refresh_from_db()
    assert investigation.is_completed and investigation.answers.get(question=q).answer == "no"
    assert client.get(url).status_code == 302  # completed: back to the page, no edit


def test_fivec_form_shows_guidance_and_refuses_bad_weights(client, world):
    client.force_login(world.credit)
    url = reverse("rating:fivec_create", args=[world.east_customer.pk])
    html = client.get(url).content.decode()
    assert "突出诚信行为的重要性" in html and "企业基本情况" in html and "行业竞争状况" in html
    data = {"evaluated_on": days_ago(1).isoformat(), "character__basics": "80", "capacity__staff": "70",
            "capital__structure": "60", "collateral__credit_status": "50", "condition__policy": "65",
            "weight_character": "0.5", "weight_capacity": "0.2", "weight_capital": "0.2", "weight_collateral": "0.15",
            "weight_condition": "0.15"}
    page = client.post(url, data)
    assert page.status_code == 200 and "1.2" in page.content.decode()
    assert not FiveCEvaluation.objects.exists()
    page = client.post(url, {**data, "weight_character": "0.3"})
    assert page.status_code == 302 and FiveCEvaluation.objects.get().evaluator == world.credit


def test_due_page_and_home_panel(client, world, credit_file):
    client.force_login(world.credit)
    html = client.get(reverse("rating:due")).content.decode()
    assert credit_file.name in html and world.north_customer.name not in html  # N001 has nothing to rate
    assert 'data-testid="ratings-due-panel"' in client.get(reverse("home")).content.decode()
    rate.rate_customer(world.credit, credit_file)
    assert credit_file.name not in client.get(reverse("rating:due")).content.decode()
    client.force_login(world.sales_east)
    assert client.get(reverse("rating:due")).status_code == 403
    assert 'data-testid="ratings-due-panel"' not in client.get(reverse("home")).content.decode()


def test_navigation_has_the_credit_group(client, world):
    client.force_login(world.credit)
    html = client.get(reverse("home")).content.decode()
    assert reverse("rating:due") in html and reverse("rating:policy") in html
    client.force_login(world.service)
    assert reverse("rating:policy") not in client.get(reverse("home")).content.decode()


def test_policy_page_and_admin_edits(client, world):
    client.force_login(world.credit)
    html = client.get(reverse("rating:policy")).content.decode()
    assert "fin.current_ratio" in html and "信用极好" in html and "¥1,000,000.00" in html
    assert client.get(reverse("rating:policy_scorecard")).status_code == 403
    assert client.get(reverse("rating:policy_grades")).status_code == 403
    client.force_login(world.admin)
    page = client.get(reverse("rating:policy_scorecard"))
    assert page.status_code == 200 and "[[null, 10], [0.8, 30]" in page.content.decode()
    form = page.context["formset"]
    data = {"items-TOTAL_FORMS": str(form.total_form_count()), "items-INITIAL_FORMS": str(form.initial_form_count()),
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000", "note": "test"}
    for n, f in enumerate(form.forms):
        for name, field in f.fields.items():
            value = f.initial.get(name, "")
            data[f"items-{n}-{name}"] = field.prepare_value(value) if name == "mapping" else (value or "")
    data["items-0-weight"] = "0.3"
    page = client.post(reverse("rating:policy_scorecard"), data)
    assert page.status_code == 200 and "1.05" in page.content.decode() and Scorecard.objects.count() == 1
    data["items-0-weight"] = "0.2"
    data["items-1-weight"] = "0.15"
    page = client.post(reverse("rating:policy_scorecard"), data)
    assert page.status_code == 302 and Scorecard.objects.count() == 2
    grades = client.get(reverse("rating:policy_grades"))
    assert grades.status_code == 200
    bad = {f"{g}__{k}": v for g, rows in grades.context["form"].rows() for k, v in
           zip(("min_score", "risk_level", "guide_min_limit", "meaning_zh", "meaning_en"),
               [f.value() for f in rows], strict=True)}
    bad["AA__min_score"] = "95"
    page = client.post(reverse("rating:policy_grades"), {k: ("" if v is None else v) for k, v in bad.items()})
    assert page.status_code == 200 and 'data-field="AA__min_score"' in page.content.decode()
    weights = {"character": "0.4", "capacity": "0.2", "capital": "0.2", "collateral": "0.1", "condition": "0.1"}
    assert client.post(reverse("rating:policy_fivec"), weights).status_code == 302


@pytest.mark.parametrize("name", ["rating:due", "rating:policy"])
def test_pages_need_login(client, name):
    assert client.get(reverse(name)).status_code == 302
