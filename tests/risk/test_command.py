import io
import json

import pytest
from django.core.management import CommandError, call_command

from credo.core.models import Notification
from credo.risk.models import RiskSignal
from credo.sales import services as ledger

from .conftest import ago, receipt


def run(*args):
    out = io.StringIO()
    call_command("risk", "scan", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_scan_twice_reports_new_then_nothing(world):
    paid = receipt(world, world.east_customer, on=20, amount=500, method="cheque")
    ledger.reverse_receipt(world.finance, paid, kind="bounced_cheque", reversal_date=ago(10), reason="退票")
    first = json.loads(run("--format", "json"))
    assert first["customers"] == 3 and first["new"]["bounced_cheques"] == 1 and first["new_total"] == 1
    assert first["classes_changed"] == 3
    second = run("--as-of", ago(0).isoformat())
    assert "new signals 0, cleared 0" in second and "3 customers" in second
    assert RiskSignal.objects.count() == 1
    past = json.loads(run("--as-of", ago(30).isoformat(), "--format", "json"))  # before the cheque bounced
    assert past["cleared"]["bounced_cheques"] == 1


def test_no_notify_records_without_alerts(world):
    world.east_customer.importance = "key"
    world.east_customer.save()
    paid = receipt(world, world.east_customer, on=20, amount=500, method="cheque")
    ledger.reverse_receipt(world.finance, paid, kind="bounced_cheque", reversal_date=ago(10), reason="退票")
    result = json.loads(run("--no-notify", "--format", "json"))
    assert result["new_total"] == 1 and result["notifications"] == 0 and not Notification.objects.exists()


@pytest.mark.parametrize("args, option", [
    (["--as-of", "2026-02-30"], "--as-of"),
    (["--as-of", "2999-01-01"], "--as-of"),
    (["--format", "xml"], "--format"),
])
def test_bad_options_exit_2_naming_the_option(world, args, option):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2 and option in str(exc.value)
