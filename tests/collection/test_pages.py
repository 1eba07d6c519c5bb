"""The collection pages: case list, case page with its action forms, letters as PDF, the card tab and the
home panels. Ledger data goes through the sales services with old dates, so the invoices are overdue."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credo.collection import services
from credo.collection.models import (
    BadDebtMeasure,
    CaseEntry,
    CollectionCase,
    DunningLetter,
    InstalmentPlan,
    PenaltyCharge,
    PromiseToPay,
)
from credo.core.clock import business_today
from credo.sales.models import CreditNote, Invoice
from credo.sales.services import post_invoice

TODAY = business_today()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def iso(day: datetime.date) -> str:
    return day.isoformat()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def arrears(world):
    """East: two overdue invoices (70 and 10 days) in a case collected by finance; north: one (45 days), case
    collected by credit."""
    post_invoice(world.finance, world.east_customer, number="E-1", invoice_date=ago(100), due_date=ago(70),
                 amount="1000.00")
    post_invoice(world.finance, world.east_customer, number="E-2", invoice_date=ago(40), due_date=ago(10),
                 amount="500.00")
    post_invoice(world.finance, world.north_customer, number="N-1", invoice_date=ago(75), due_date=ago(45),
                 amount="2000.00")
    world.east_case = services.open_case(world.finance, world.east_customer)
    world.north_case = services.open_case(world.credit, world.north_customer)
    return world


def case_url(case, suffix=""):
    return f"/collection/{case.pk}/{suffix}"


def html_of(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------ list


def test_list_is_scoped_to_the_users_customers(client, arrears):
    client.force_login(arrears.sales_east)
    response = client.get("/collection/")
    assert response.status_code == 200
    html = html_of(response)
    assert arrears.east_case.number in html and arrears.east_customer.name in html
    assert arrears.north_case.number not in html and arrears.north_customer.name not in html
    assert "¥1,500.00" in html  # overdue now of the east customer
    assert client.get(case_url(arrears.north_case)).status_code == 404
    assert client.get(case_url(arrears.east_case)).status_code == 200

    client.force_login(arrears.finance)
    html = html_of(client.get("/collection/"))
    assert arrears.east_case.number in html and arrears.north_case.number in html
    assert 'id="run-dunning"' in html


def test_list_filters(client, arrears):
    client.force_login(arrears.finance)
    html = html_of(client.get("/collection/", {"mine": "1"}))
    assert arrears.east_case.number in html and arrears.north_case.number not in html
    html = html_of(client.get("/collection/", {"q": "北辰"}))
    assert arrears.north_case.number in html and arrears.east_case.number not in html
    html = html_of(client.get("/collection/", {"status": "closed"}))
    assert arrears.east_case.number not in html and "empty-title" in html
    assert client.get("/collection/", {"status": "nonsense", "page": "x"}).status_code == 200


def test_list_worst_first_and_escalated_to_me(client, arrears):
    services.escalate(arrears.credit, arrears.east_case, to_user=arrears.executive, note="请协调")
    client.force_login(arrears.executive)
    html = html_of(client.get("/collection/", {"mine": "1"}))
    assert arrears.east_case.number in html and arrears.north_case.number not in html
    client.force_login(arrears.finance)
    html = html_of(client.get("/collection/"))
    assert html.index(arrears.east_case.number) < html.index(arrears.north_case.number)  # 70 days vs 45


def test_service_agent_may_not_view(client, arrears):
    client.force_login(arrears.service)
    assert client.get("/collection/").status_code == 403
    assert client.get(case_url(arrears.east_case)).status_code == 403


def test_run_dunning_from_the_list(client, arrears):
    client.force_login(arrears.sales_east)
    assert client.post("/collection/run/").status_code == 403
    assert not DunningLetter.objects.exists()
    client.force_login(arrears.finance)
    response = client.post("/collection/run/", follow=True)
    assert response.status_code == 200
    # east: 70 days → lawyer's letter (+60), north: 45 days → warning (+30)
    assert set(DunningLetter.objects.values_list("customer__code", "level")) == {("E001", "lawyer"),
                                                                                 ("N001", "warning")}
    assert "alert-success" in html_of(response)


# ------------------------------------------------------------------------------------------ case page


def test_case_page_shows_figures_guidance_and_invoices(client, arrears):
    services.update_case(arrears.finance, arrears.east_case, debtor_type="tough", reason="资金周转困难")
    client.force_login(arrears.finance)
    html = html_of(client.get(case_url(arrears.east_case)))
    assert 'data-testid="overdue">¥1,500.00<' in html
    assert 'data-testid="days-overdue">70<' in html
    assert "E-1" in html and "E-2" in html
    assert 'id="guidance"' in html and "态度强硬" in html
    assert "资金周转困难" in html
    for action in ("edit", "promise", "plan", "escalate", "measure", "legal", "close", "note", "interest"):
        assert f'data-action="{action}"' in html, action
    assert 'id="issue-letter"' in html

    client.cookies["django_language"] = "en"
    html = html_of(client.get(case_url(arrears.east_case)))
    assert "Hard-line debtors" in html


def test_salesperson_sees_the_case_but_only_the_note_form(client, arrears):
    client.force_login(arrears.sales_east)
    html = html_of(client.get(case_url(arrears.east_case)))
    assert 'data-action="note"' in html
    for action in ("edit", "promise", "plan", "escalate", "measure", "legal", "close", "interest"):
        assert f'data-action="{action}"' not in html, action
    assert 'id="issue-letter"' not in html


VALID = {
    "edit": lambda w: {"reason": "客户称资金紧张", "debtor_type": "cooperative", "owner": str(w.credit.pk),
                       "penalty_daily_rate": "0.0003"},
    "promise": lambda w: {"promised_date": iso(TODAY + datetime.timedelta(days=5)), "amount": "800.00",
                          "made_on": iso(TODAY), "made_by": "王经理", "note": ""},
    "escalate": lambda w: {"to_user": str(w.executive.pk), "note": "请出面与对方老板沟通"},
    "legal": lambda w: {"on": iso(TODAY), "note": "起诉并申请诉讼保全"},
    "plan": lambda w: {"total": "1500.00", "count": "3", "first_due": iso(TODAY + datetime.timedelta(days=30)),
                       "every_months": "1", "agreed_on": iso(TODAY), "note": ""},
    "measure": lambda w: {"kind": "legal_help", "description": "委托律师事务所", "taken_on": iso(TODAY), "amount": "",
                          "until": ""},
    "close": lambda w: {"note": "双方和解"},
}

BAD = {
    "edit": ({"reason": "", "debtor_type": "", "owner": "", "penalty_daily_rate": "1.5"}, "penalty_daily_rate"),
    "promise": ({"promised_date": iso(ago(5)), "amount": "800", "made_on": iso(TODAY)}, "promised_date"),
    "escalate": ({"to_user": "", "note": "x"}, "to_user"),
    "legal": ({"on": iso(TODAY + datetime.timedelta(days=3)), "note": "起诉"}, "on"),
    "plan": ({"total": "999999", "count": "3", "first_due": iso(TODAY + datetime.timedelta(days=30)),
              "every_months": "1"}, "total"),
    "measure": ({"kind": "allowance", "description": "折让", "amount": ""}, "amount"),
    "close": ({"note": ""}, "note"),
}


def effect(key, case, world):
    case.refresh_from_db()
    return {
        "edit": lambda: (case.debtor_type, case.owner_id, case.penalty_daily_rate) == (
            "cooperative", world.credit.pk, D("0.0003")) and case.entries.filter(kind="reason").exists(),
        "promise": lambda: PromiseToPay.objects.filter(case=case, amount=D("800.00"), made_by="王经理").exists(),
        "escalate": lambda: case.escalated_to_id == world.executive.pk and case.escalation_level == 1,
        "legal": lambda: case.status == CollectionCase.Status.LEGAL and case.legal_on == TODAY,
        "plan": lambda: case.plans.get().instalments.count() == 3,
        "measure": lambda: case.measures.filter(kind="legal_help").exists(),
        "close": lambda: case.status == CollectionCase.Status.CLOSED and case.close_note == "双方和解",
    }[key]()


def snapshot(case):
    case.refresh_from_db()
    return (case.status, case.debtor_type, case.owner_id, case.penalty_daily_rate, case.escalation_level,
            case.entries.count(), case.promises.count(), case.plans.count(), case.measures.count())


@pytest.mark.parametrize("who", ["finance", "credit"])
@pytest.mark.parametrize("key", list(VALID))
def test_action_works_for_finance_and_credit(client, arrears, who, key):
    client.force_login(getattr(arrears, who))
    response = client.post(case_url(arrears.east_case, f"{key}/"), VALID[key](arrears))
    assert response.status_code == 302, html_of(response)[:3000]
    assert response.url.startswith(case_url(arrears.east_case))
    assert effect(key, arrears.east_case, arrears)
    assert "alert-success" in html_of(client.get(response.url))


@pytest.mark.parametrize("key", list(BAD))
def test_bad_input_shows_the_field_error_and_changes_nothing(client, arrears, key):
    data, field = BAD[key]
    before = snapshot(arrears.east_case)
    client.force_login(arrears.finance)
    response = client.post(case_url(arrears.east_case, f"{key}/"), data)
    assert response.status_code == 200
    html = html_of(response)
    assert f'data-field="{field}"' in html
    assert f'id="action-{key}" open' in html  # the form stays open, as typed
    assert snapshot(arrears.east_case) == before


@pytest.mark.parametrize("key", [*VALID, "interest"])
def test_salesperson_may_not_act(client, arrears, key):
    before = snapshot(arrears.east_case)
    client.force_login(arrears.sales_east)
    data = VALID[key](arrears) if key in VALID else {"number": ""}
    assert client.post(case_url(arrears.east_case, f"{key}/"), data).status_code == 403
    assert snapshot(arrears.east_case) == before
    client.force_login(arrears.sales_north)
    assert client.post(case_url(arrears.east_case, f"{key}/"), data).status_code == 404


def test_unknown_action_is_404_and_get_is_405(client, arrears):
    client.force_login(arrears.finance)
    assert client.post(case_url(arrears.east_case, "explode/"), {}).status_code == 404
    assert client.get(case_url(arrears.east_case, "close/")).status_code == 405


def test_closed_case_offers_only_the_log(client, arrears):
    services.close_case(arrears.finance, arrears.east_case, note="已结清")
    client.force_login(arrears.finance)
    html = html_of(client.get(case_url(arrears.east_case)))
    assert 'data-action="note"' in html and 'data-action="promise"' not in html
    assert client.post(case_url(arrears.east_case, "promise/"), VALID["promise"](arrears)).status_code == 403


def test_escalation_choices_and_the_escalated_manager_sees_it(client, arrears):
    client.force_login(arrears.credit)
    html = html_of(client.get(case_url(arrears.east_case)))
    assert f'value="{arrears.manager_east.pk}"' in html  # the account manager's sales manager
    assert f'value="{arrears.manager_north.pk}"' not in html
    response = client.post(case_url(arrears.east_case, "escalate/"),
                           {"to_user": str(arrears.manager_east.pk), "note": "请跟进"})
    assert response.status_code == 302
    html = html_of(client.get(case_url(arrears.east_case)))
    assert 'data-testid="escalated-to">manager_east<' in html
    client.force_login(arrears.manager_east)
    html = html_of(client.get("/collection/", {"mine": "1"}))
    assert arrears.east_case.number in html


def test_note_with_evidence_file_by_salesperson_and_download_in_scope(client, arrears):
    client.force_login(arrears.sales_east)
    upload = SimpleUploadedFile("回函.txt", "客户承认欠款".encode(), content_type="text/plain")
    response = client.post(case_url(arrears.east_case, "note/"), {"text": "客户回函", "file": upload})
    assert response.status_code == 302
    entry = CaseEntry.objects.get(case=arrears.east_case, kind=CaseEntry.Kind.EVIDENCE)
    html = html_of(client.get(case_url(arrears.east_case)))
    assert f"/collection/entries/{entry.pk}/file/" in html and "回函.txt" in html
    download = client.get(f"/collection/entries/{entry.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == "客户承认欠款".encode()
    client.force_login(arrears.sales_north)
    assert client.get(f"/collection/entries/{entry.pk}/file/").status_code == 404
    assert client.get(f"/media/{entry.file.name}").status_code == 404


def test_empty_note_is_refused(client, arrears):
    client.force_login(arrears.sales_east)
    html = html_of(client.post(case_url(arrears.east_case, "note/"), {"text": "  "}))
    assert 'data-field="text"' in html and not arrears.east_case.entries.filter(kind="note").exists()


def test_instalment_plan_progress_and_end(client, arrears):
    from credo.sales.services import post_receipt

    plan = services.create_instalment_plan(arrears.finance, arrears.east_case, total="900.00", count=3,
                                           first_due=TODAY, agreed_on=ago(40))
    post_receipt(arrears.finance, arrears.east_customer, number="R-1", receipt_date=ago(1), amount="400.00",
                 method="transfer")
    client.force_login(arrears.finance)
    html = html_of(client.get(case_url(arrears.east_case)))
    assert f'data-plan="{plan.pk}"' in html
    assert 'data-action="plan"' not in html  # one active plan at a time
    # 400 received since the agreement pays the first 300 and 100 of the second; the third is untouched
    assert [part.split('"')[0] for part in html.split('data-instalment="')[1:]] == ["paid", "part", "due"]
    url = case_url(arrears.east_case, f"plans/{plan.pk}/end/")
    client.force_login(arrears.sales_east)
    assert client.post(url, {"outcome": "cancelled"}).status_code == 403
    client.force_login(arrears.finance)
    assert client.post(url, {"outcome": "cancelled", "note": "客户违约"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == InstalmentPlan.Status.CANCELLED
    html = html_of(client.post(url, {"outcome": "completed"}, follow=True))
    assert "alert-danger" in html  # no longer active
    plan.refresh_from_db()
    assert plan.status == InstalmentPlan.Status.CANCELLED


def test_measure_with_credit_note_posts_it_for_finance_only(client, arrears):
    data = {"kind": "allowance", "description": "质量折让", "amount": "200.00", "credit_note_number": "CN-9"}
    client.force_login(arrears.credit)
    assert 'name="credit_note_number"' not in html_of(client.get(case_url(arrears.east_case)))
    client.force_login(arrears.finance)
    assert 'name="credit_note_number"' in html_of(client.get(case_url(arrears.east_case)))
    assert client.post(case_url(arrears.east_case, "measure/"), data).status_code == 302
    measure = BadDebtMeasure.objects.get(case=arrears.east_case)
    assert measure.credit_note.number == "CN-9" and measure.credit_note.amount == D("200.00")
    html = html_of(client.post(case_url(arrears.east_case, "measure/"), {**data, "description": "再次折让"}))
    assert 'data-field="credit_note_number"' in html  # number already used
    assert CreditNote.objects.count() == 1 and BadDebtMeasure.objects.count() == 1


def test_penalty_interest_preview_and_charge(client, arrears):
    client.force_login(arrears.finance)
    html = html_of(client.get(case_url(arrears.east_case)))
    # 0.05 % a day: E-1 1000 × 70 days = 35.00, E-2 500 × 10 days = 2.50
    assert 'data-testid="interest-total">¥37.50<' in html
    assert "70 × ¥1,000.00 × 0.0005 = ¥35.00" in html
    client.force_login(arrears.credit)  # acts on cases but does not post to the ledger
    assert 'data-action="interest"' not in html_of(client.get(case_url(arrears.east_case)))
    assert client.post(case_url(arrears.east_case, "interest/"), {"number": ""}).status_code == 403
    client.force_login(arrears.finance)
    response = client.post(case_url(arrears.east_case, "interest/"), {"number": ""})
    assert response.status_code == 302
    interest = Invoice.objects.get(kind=Invoice.Kind.INTEREST)
    assert interest.amount == D("37.50") and PenaltyCharge.objects.filter(case=arrears.east_case).count() == 2
    html = html_of(client.get(case_url(arrears.east_case)))
    assert 'id="charged"' in html and interest.number in html and "interest-total" not in html


def test_issue_letter_and_pdf_in_scope(client, arrears):
    client.force_login(arrears.sales_east)
    assert client.post(case_url(arrears.east_case, "letters/new/")).status_code == 403
    client.force_login(arrears.finance)
    response = client.post(case_url(arrears.east_case, "letters/new/"))
    assert response.status_code == 302
    letter = DunningLetter.objects.get(case=arrears.east_case)
    assert letter.level == "notice"
    html = html_of(client.get(case_url(arrears.east_case)))
    assert f"/collection/letters/{letter.pk}.pdf" in html
    pdf = client.get(f"/collection/letters/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline") and f"{letter.number}.pdf" in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.force_login(arrears.sales_east)
    assert client.get(f"/collection/letters/{letter.pk}.pdf").status_code == 200
    client.force_login(arrears.sales_north)
    assert client.get(f"/collection/letters/{letter.pk}.pdf").status_code == 404
    client.force_login(arrears.manager_north)
    assert client.get(f"/collection/letters/{letter.pk}.pdf").status_code == 404


def test_letter_error_is_a_message(client, arrears):
    for _ in range(3):
        from credo.collection import dunning

        dunning.issue_letter(arrears.finance, arrears.east_case)
    client.force_login(arrears.finance)
    html = html_of(client.get(case_url(arrears.east_case)))
    assert 'id="issue-letter"' not in html
    response = client.post(case_url(arrears.east_case, "letters/new/"), follow=True)
    assert "alert-danger" in html_of(response) and DunningLetter.objects.count() == 3


# ------------------------------------------------------------------------------------------ card tab


def test_card_tab_and_open_case_by_hand(client, arrears):
    post_invoice(arrears.finance, arrears.east2_customer, number="E2-1", invoice_date=ago(60), due_date=ago(20),
                 amount="300.00")
    tab = f"/customers/{arrears.east2_customer.pk}/?tab=collection"
    client.force_login(arrears.manager_east)
    html = html_of(client.get(tab))
    assert 'data-tab="collection"' in html and 'id="customer-cases"' in html and 'id="open-case"' not in html
    assert client.post(f"/collection/open/{arrears.east2_customer.pk}/").status_code == 403
    client.force_login(arrears.finance)
    html = html_of(client.get(tab))
    assert 'id="open-case"' in html and "¥300.00" in html
    response = client.post(f"/collection/open/{arrears.east2_customer.pk}/")
    case = CollectionCase.objects.get(customer=arrears.east2_customer)
    assert response.status_code == 302 and response.url == f"/collection/{case.pk}/"
    assert case.owner == arrears.finance
    html = html_of(client.get(tab))
    assert case.number in html and 'id="open-case"' not in html
    response = client.post(f"/collection/open/{arrears.east2_customer.pk}/", follow=True)
    assert "alert-danger" in html_of(response) and CollectionCase.objects.filter(customer=arrears.east2_customer).count() == 1
    client.force_login(arrears.sales_north)
    assert client.post(f"/collection/open/{arrears.east2_customer.pk}/").status_code == 404


def test_card_tab_lists_letters_and_promises(client, arrears):
    from credo.collection import dunning

    letter = dunning.issue_letter(arrears.finance, arrears.east_case)
    services.record_promise(arrears.finance, arrears.east_case, promised_date=TODAY, amount="500")
    client.force_login(arrears.sales_east)
    html = html_of(client.get(f"/customers/{arrears.east_customer.pk}/?tab=collection"))
    assert letter.number in html and f"/collection/letters/{letter.pk}.pdf" in html
    assert "¥500.00" in html and arrears.east_case.number in html


def test_card_tab_hidden_from_service_agent(client, arrears):
    client.force_login(arrears.service)
    html = html_of(client.get(f"/customers/{arrears.east_customer.pk}/?tab=collection"))
    assert 'data-tab="collection"' not in html


# ------------------------------------------------------------------------------------------ home panels


def test_home_panels(client, arrears):
    services.record_promise(arrears.finance, arrears.east_case, promised_date=TODAY + datetime.timedelta(days=2),
                            amount="600")
    services.record_promise(arrears.credit, arrears.north_case, promised_date=TODAY, amount="700")
    client.force_login(arrears.finance)
    html = html_of(client.get("/"))
    assert 'data-testid="my-cases-panel"' in html and arrears.east_case.number in html
    assert 'data-testid="promises-due-panel"' in html and "¥600.00" in html and "¥700.00" in html

    client.force_login(arrears.credit)
    html = html_of(client.get("/"))
    assert 'data-testid="my-cases-panel"' in html and arrears.north_case.number in html
    my_cases = html.split('data-testid="my-cases-panel"')[1].split("</table>")[0]
    assert arrears.east_case.number not in my_cases

    client.force_login(arrears.sales_east)
    html = html_of(client.get("/"))
    assert 'data-testid="my-cases-panel"' not in html  # not the collector, nothing escalated
    assert 'data-testid="promises-due-panel"' in html and "¥600.00" in html and "¥700.00" not in html

    client.force_login(arrears.service)
    html = html_of(client.get("/"))
    assert 'data-testid="promises-due-panel"' not in html and 'data-testid="my-cases-panel"' not in html


def test_navigation_entry(client, arrears):
    client.force_login(arrears.sales_east)
    assert 'href="/collection/"' in html_of(client.get("/"))
    client.force_login(arrears.service)
    assert 'href="/collection/"' not in html_of(client.get("/"))
