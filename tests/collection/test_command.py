import io
import json

import pytest
from django.core.management import CommandError, call_command

from credo.collection.models import DunningLetter
from credo.core.clock import business_today


def run(*args):
    out = io.StringIO()
    call_command("dunning", "run", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_run_twice_creates_the_letters_once(world, overdue, tmp_path):
    today = business_today().isoformat()
    first = json.loads(run("--as-of", today, "--format", "json", "--pdf-dir", str(tmp_path)))
    assert first["letters"] == {"notice": 0, "warning": 1, "lawyer": 0} and first["cases_opened"] == 1
    letter = DunningLetter.objects.get()
    assert (tmp_path / f"{letter.number}.pdf").read_bytes().startswith(b"%PDF")
    second = json.loads(run("--as-of", today, "--format", "json"))
    assert second["letters"] == {"notice": 0, "warning": 0, "lawyer": 0} and second["cases_opened"] == 0
    assert DunningLetter.objects.count() == 1
    assert "letters notice 0, warning 0, lawyer 0" in run("--as-of", today)


@pytest.mark.parametrize("args, option", [
    (["--as-of", "2026-13-01"], "--as-of"),
    (["--as-of", "2999-01-01"], "--as-of"),
    (["--format", "xml"], "--format"),
    (["--user", "nobody"], "--user"),
    (["--user", "sales_east"], "--user"),
])
def test_bad_options_exit_2_naming_the_option(world, args, option):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2 and option in str(exc.value)
    assert not DunningLetter.objects.exists()


def test_run_as_a_user(world, overdue):
    run("--user", "credit")
    assert DunningLetter.objects.get().created_by == "credit"
