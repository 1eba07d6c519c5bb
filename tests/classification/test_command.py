"""`credo classify`: SPEC §11 through the command, exit 2 naming the option."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from credo.classification.models import ClassificationRun


def run(*args):
    out = io.StringIO()
    call_command("classify", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_two_hundred_customers_json(world, two_hundred):
    doc = json.loads(run("--from", "2026-01-01", "--to", "2026-06-30", "--format", "json"))
    assert doc["period"] == {"from": "2026-01-01", "to": "2026-06-30"} and doc["method"] == "pyramid"
    assert doc["totals"] == {"A": 2, "B": 8, "C": 30, "D": 160}
    assert len(doc["customers"]) == 200
    assert sorted(doc["customers"].values()).count("A") == 2
    assert ClassificationRun.objects.count() == 1


def test_abc_keys_and_text(world, two_hundred):
    doc = json.loads(run("--from", "2026-01-01", "--to", "2026-06-30", "--method", "abc", "--format", "json"))
    assert set(doc["totals"]) == {"A", "B", "C"} and sum(doc["totals"].values()) == 200
    assert "A: 2" in run("--from", "2026-01-01", "--to", "2026-06-30", "--verbosity", "0")


@pytest.mark.django_db
@pytest.mark.parametrize("args, option", [
    (["--to", "2026-01-01"], "--from"),
    (["--from", "2026-13-01", "--to", "2026-01-01"], "--from"),
    (["--from", "2026-01-01"], "--to"),
    (["--from", "2026-02-01", "--to", "2026-01-01"], "--to"),
    (["--from", "2026-01-01", "--to", "2026-02-01", "--method", "xyz"], "--method"),
    (["--from", "2026-01-01", "--to", "2026-02-01", "--format", "xml"], "--format"),
    (["--from", "2026-01-01", "--to", "2026-02-01", "--user", "nobody"], "--user"),
])
def test_bad_input_exits_2_naming_the_option(args, option):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2 and str(exc.value).startswith(option)
