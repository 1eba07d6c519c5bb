"""credo servqual score: the issue's JSON for a small file, and every bad input exits 2 naming the row or the
option, with nothing stored."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from credo.cli import translate
from credo.core.models import AuditEntry
from credo.servqual.models import InstrumentVersion

WEIGHTS = "tangibles=0.1,reliability=0.3,responsiveness=0.2,assurance=0.25,empathy=0.15"
HEADER = "respondent,dimension,item,expectation,perception\n"
ANSWERS = HEADER + """\
r1,tangibles,设备先进,6,5
r2,tangibles,设备先进,7,6
r3,tangibles,设备先进,5,
r1,tangibles,T2,6,6
r2,tangibles,T2,4,3
r1,reliability,R1,7,5
r2,reliability,R1,6,5
r1,responsiveness,S1,5,6
r1,assurance,A1,6,6
r1,empathy,E1,6,4
r2,empathy,E1,5,4
r4,empathy,E1,,3
"""
EXPECTED = {
    # tangibles: item 设备先进 (-1 + -1)/2 = -1, T2 (0 + -1)/2 = -0.5 → -0.75
    "dimensions": {"tangibles": "-0.7500", "reliability": "-1.5000", "responsiveness": "1.0000",
                   "assurance": "0.0000", "empathy": "-1.5000"},
    # (-0.75 - 1.5 + 1 + 0 - 1.5) / 5 = -0.55; 0.1×-0.75 + 0.3×-1.5 + 0.2×1 + 0 + 0.15×-1.5 = -0.55
    "unweighted": "-0.5500", "weighted": "-0.5500", "items": 6, "respondents": 2,
}


def write(tmp_path, text: str, encoding="utf-8", name="answers.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*translate(list(args)), stdout=out)
    return out.getvalue().strip()


def refused(*args) -> str:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    return str(error.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_the_json_of_a_small_file(tmp_path, encoding):
    path = write(tmp_path, ANSWERS, encoding)
    assert json.loads(run("servqual", "score", path, "--weights", WEIGHTS)) == EXPECTED
    assert json.loads(run("servqual", "score", path, "--weights", WEIGHTS, "--format", "json")) == EXPECTED


def test_the_text_format(tmp_path):
    text = run("servqual", "score", write(tmp_path, ANSWERS), "--weights", WEIGHTS, "--format", "text")
    assert "weighted        -0.5500" in text and "6 items, 2 respondents" in text


def test_a_dimension_nobody_answered_has_no_gap_and_no_weighted_score(tmp_path):
    text = HEADER + "r1,tangibles,T1,6,5\nr1,reliability,R1,7,7\n"
    figures = json.loads(run("servqual", "score", write(tmp_path, text), "--weights", WEIGHTS))
    assert figures["dimensions"]["empathy"] is None
    assert figures["unweighted"] == "-0.5000" and figures["weighted"] is None


def test_columns_in_another_order_and_blank_lines(tmp_path):
    text = "perception,expectation,item,dimension,respondent\n5,6,T1,tangibles,r1\n\n"
    figures = json.loads(run("servqual", "score", write(tmp_path, text), "--weights", WEIGHTS))
    assert figures["dimensions"]["tangibles"] == "-1.0000"


@pytest.mark.parametrize("weights, message", [
    ("tangibles=0.2,reliability=0.2,responsiveness=0.2,assurance=0.2,empathy=0.3",
     "--weights: the weights must sum to exactly 1, they sum to 1.1."),
    ("tangibles=0.25,reliability=0.25,responsiveness=0.25,assurance=0.25", "--weights: the weight of empathy is missing."),
    ("tangibles=0.2,reliability=0.2,responsiveness=0.2,assurance=0.2,empathy=0.2,price=0", "--weights: unknown dimension"),
    ("tangibles=a,reliability=0.2,responsiveness=0.2,assurance=0.2,empathy=0.2", "--weights: the weight of tangibles"),
    ("", "--weights is required"),
])
def test_bad_weights_name_the_option(tmp_path, weights, message):
    assert message in refused("servqual", "score", write(tmp_path, ANSWERS), "--weights", weights)


@pytest.mark.parametrize("row, message", [
    ("r9,tangibles,T1,6,8", "row 7: perception must be 1–7."),
    ("r9,tangibles,T1,0,5", "row 7: expectation must be 1–7."),
    ("r9,tangibles,T1,6,5.5", "row 7: perception must be a whole number 1–7."),
    ("r9,price,T1,6,5", "row 7: unknown dimension 'price'"),
    (",tangibles,T1,6,5", "row 7: respondent is empty."),
    ("r9,tangibles,,6,5", "row 7: item is empty."),
    ("r1,tangibles,T1,6,5", "row 7: respondent 'r1' answered tangibles item 'T1' already in row 2."),
])
def test_a_bad_row_is_named(tmp_path, row, message):
    text = HEADER + "r1,tangibles,T1,6,5\n" + "".join(f"r{n},tangibles,T1,6,5\n" for n in range(2, 6)) + row + "\n"
    assert message in refused("servqual", "score", write(tmp_path, text), "--weights", WEIGHTS)


def test_a_missing_column_is_named(tmp_path):
    text = "respondent,dimension,item,expectation\nr1,tangibles,T1,6\n"
    assert "row 1: the column perception is missing" in refused("servqual", "score", write(tmp_path, text),
                                                                "--weights", WEIGHTS)


def test_a_missing_file_and_a_bad_format(tmp_path):
    assert "cannot be read" in refused("servqual", "score", str(tmp_path / "none.csv"), "--weights", WEIGHTS)
    assert "--format" in refused("servqual", "score", write(tmp_path, ANSWERS), "--weights", WEIGHTS,
                                 "--format", "xml")


@pytest.mark.django_db
def test_nothing_is_stored(tmp_path):
    run("servqual", "score", write(tmp_path, ANSWERS), "--weights", WEIGHTS)
    refused("servqual", "score", write(tmp_path, HEADER + "r1,price,T1,1,1\n"), "--weights", WEIGHTS)
    assert not InstrumentVersion.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.clock_independent
def test_the_command_line_exits_2_with_one_line(tmp_path):
    path = write(tmp_path, HEADER + "r1,tangibles,T1,6,5\nr1,tangibles,T2,6,9\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    command = [sys.executable, "-c", "from credo.cli import main; main()", "servqual", "score", path]
    bad = subprocess.run([*command, "--weights", WEIGHTS], capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == ["CommandError: row 3: perception must be 1–7."]
    good = subprocess.run([*command[:-1], write(tmp_path, ANSWERS, name="good.csv"), "--weights", WEIGHTS],
                          capture_output=True, text=True, env=env, timeout=120)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == EXPECTED
    assert not (tmp_path / "none.sqlite3").exists()     # no database was opened
