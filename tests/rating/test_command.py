import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from credo.core.clock import business_today
from credo.rating import rate, rules, services
from credo.rating.models import Rating

from .conftest import statement


def run(*args):
    out = io.StringIO()
    call_command("credit", "rerate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def last_quarter(world):
    """Two customers rated on the last day of the previous quarter; one with nothing to rate."""
    day = rules.quarter_start(business_today()) - datetime.timedelta(days=1)
    for customer in (world.east_customer, world.east2_customer):
        services.add_statement(world.credit, customer, statement(period_end=day - datetime.timedelta(days=60)))
        rate.rate_customer(world.credit, customer, "quarterly", as_of=day)
    return day


def test_rerate_lists_the_moves_and_is_idempotent_within_the_quarter(world, last_quarter):
    before = {r.customer_id: r.grade for r in Rating.objects.all()}
    services.add_statement(world.credit, world.east_customer, statement(
        period_end=business_today(), current_assets="1000000", inventory="900000", current_liabilities="2000000",
        total_liabilities="9000000", net_assets="500000", net_profit="-100000"))
    today = business_today().isoformat()
    first = json.loads(run("--as-of", today, "--format", "json"))
    assert first["due"] == 2 and first["rated"] == 2 and first["first"] == 0
    assert first["without_data"] == 1  # N001
    assert first["quarter_start"] == rules.quarter_start(business_today()).isoformat()
    moved = first["moved"]
    assert [m["code"] for m in moved] == ["E001"]
    assert moved[0]["from"] == before[world.east_customer.pk] and moved[0]["direction"] == "down"
    assert moved[0]["to"] == Rating.objects.get(customer=world.east_customer, is_current=True).grade
    assert Rating.objects.filter(reason="quarterly", as_of=business_today()).count() == 2
    assert Rating.objects.filter(is_current=True).count() == 2

    again = json.loads(run("--as-of", today, "--format", "json"))
    assert again["due"] == 0 and again["rated"] == 0 and again["moved"] == []
    assert Rating.objects.count() == 4
    assert "0 due, 0 rated" in run("--as-of", today)


def test_text_output_lists_each_move(world, last_quarter):
    services.add_statement(world.credit, world.east2_customer, statement(
        period_end=business_today(), current_assets="100", inventory="90", current_liabilities="2000000",
        total_liabilities="9000000", net_assets="-500000", net_profit="-100000"))
    text = run("--user", "credit")
    assert "2 due, 2 rated (0 for the first time), 1 grades moved" in text
    assert "E002" in text and "→" in text
    assert set(Rating.objects.filter(as_of=business_today()).values_list("rated_by", flat=True)) == {"credit"}


def test_first_ratings_are_counted_not_listed_as_moves(world):
    services.add_statement(world.credit, world.north_customer, statement())
    result = json.loads(run("--format", "json"))
    assert result["rated"] == 1 and result["first"] == 1 and result["moved"] == []
    assert Rating.objects.get().reason == "first"


@pytest.mark.parametrize("args, option", [
    (["--as-of", "2026-13-01"], "--as-of"),
    (["--as-of", "yesterday"], "--as-of"),
    (["--as-of", "2999-01-01"], "--as-of"),
    (["--format", "xml"], "--format"),
    (["--user", "nobody"], "--user"),
    (["--user", "sales_east"], "--user"),
    (["--batch-size", "0"], "--batch-size"),
    (["--batch-size", "many"], "--batch-size"),
])
def test_bad_options_exit_2_naming_the_option(world, args, option):
    services.add_statement(world.credit, world.north_customer, statement())
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2 and option in str(exc.value)
    assert not Rating.objects.exists()


def test_an_unknown_action_is_refused(world):
    with pytest.raises(CommandError):
        call_command("credit", "classify", stdout=io.StringIO(), stderr=io.StringIO())


def test_batches(world):
    for customer in (world.east_customer, world.east2_customer, world.north_customer):
        services.add_statement(world.credit, customer, statement())
    result = json.loads(run("--format", "json", "--batch-size", "2"))
    assert result["rated"] == 3
