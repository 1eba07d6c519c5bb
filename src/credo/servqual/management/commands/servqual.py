"""credo servqual score FILE --weights tangibles=W,reliability=W,responsiveness=W,assurance=W,empathy=W
[--format json|text]

Scores SERVQUAL answers gathered elsewhere. FILE is a CSV (UTF-8 with or without a BOM, or GBK) with the header
`respondent,dimension,item,expectation,perception`: the dimension by its English name, the item any label,
the scores whole numbers 1–7, an empty cell not answered (an answer counts only when both scores are given).
JSON: {"dimensions": {"tangibles": "-0.6500", …}, "unweighted": "…", "weighted": "…", "items": N,
"respondents": N}, figures as strings with 4 decimals rounded half up (null where there is no figure: see
credo.servqual.rules). Nothing is read from or written to the database.

Bad input exits with status 2 and one line naming the row (the header is row 1) or the option: weights that
do not sum to exactly 1 or lack a dimension, a score outside 1–7 or not a whole number, an unknown dimension,
a missing column, the same respondent answering an item twice.
"""

import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand

from credo.core.command_options import bad, format_option
from credo.servqual import rules

COLUMNS = ("respondent", "dimension", "item", "expectation", "perception")

ANSWER_TEXT = {
    "required": "{field} is empty",
    "unknown_dimension": "unknown dimension {detail!r} (use tangibles, reliability, responsiveness, assurance, "
                         "empathy)",
    "not_integer": "{field} must be a whole number 1–7",
    "out_of_range": "{field} must be 1–7",
}
WEIGHT_TEXT = {
    "missing": "--weights: the weight of {dimension} is missing",
    "unknown": "--weights: unknown dimension {dimension!r} (use tangibles, reliability, responsiveness, assurance, "
               "empathy)",
    "duplicate": "--weights: {dimension} is given twice",
    "not_number": "--weights: the weight of {dimension} is not a number (write name=number)",
    "negative": "--weights: the weight of {dimension} may not be negative",
    "too_large": "--weights: the weight of {dimension} is more than 1",
    "sum": "--weights: the weights must sum to exactly 1, they sum to {total}",
}


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    bad("FILE: neither UTF-8 nor GBK text; save it as CSV UTF-8.")


def read_answers(text: str) -> list[rules.Answer]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        bad("FILE: the file is empty; the first row is respondent,dimension,item,expectation,perception.")
    names = [h.strip().lower() for h in header]
    for column in COLUMNS:
        if column not in names:
            bad(f"row 1: the column {column} is missing (the header is {','.join(COLUMNS)}).")
    where = {column: names.index(column) for column in COLUMNS}
    answers, rows = [], []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = [cells[where[c]] if where[c] < len(cells) else "" for c in COLUMNS]
        try:
            answers.append(rules.make_answer(*values))
        except rules.AnswerError as exc:
            bad(f"row {number}: " + ANSWER_TEXT[exc.code].format(field=exc.field, detail=exc.detail) + ".")
        rows.append(number)
    for index, exc in rules.check_answers(answers):
        a = answers[index]
        bad(f"row {rows[index]}: respondent {a.respondent!r} answered {a.dimension} item {a.item!r} already in "
            f"row {rows[int(exc.detail)]}.")
    return answers


class Command(BaseCommand):
    requires_system_checks = []   # pure arithmetic on a file: no database, no URL configuration
    help = ("Score SERVQUAL answers from a CSV: `credo servqual score FILE --weights tangibles=W,reliability=W,"
            "responsiveness=W,assurance=W,empathy=W [--format json|text]`.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["score"], help="score: the gaps and scores of a CSV of answers")
        parser.add_argument("file", metavar="FILE", help="CSV: respondent,dimension,item,expectation,perception")
        parser.add_argument("--weights", default="", metavar="tangibles=W,…,empathy=W",
                            help="the five dimension weights, summing to exactly 1")
        parser.add_argument("--format", dest="format", default="json", metavar="json|text")

    def handle(self, *args, action, file, weights, **options):
        fmt = format_option(options["format"], ("json", "text"))
        if not weights.strip():
            bad("--weights is required: tangibles=W,reliability=W,responsiveness=W,assurance=W,empathy=W "
                "summing to 1.")
        try:
            checked = rules.parse_weights_option(weights)
        except rules.WeightError as exc:
            total = f"{exc.total.normalize():f}" if exc.total is not None else ""
            bad(WEIGHT_TEXT[exc.code].format(dimension=exc.dimension, total=total) + ".")
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            bad(f"FILE {file}: cannot be read ({exc.strerror or exc}).")
        result = rules.score(read_answers(decode(raw)), checked)
        figures = rules.figures(result)
        if fmt == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        for code in rules.DIMENSIONS:
            gap = figures["dimensions"][code] or "—"
            self.stdout.write(f"{code:<15} weight {rules.shown(checked[code])}  gap {gap:>8}")
        self.stdout.write(f"{'unweighted':<15} {figures['unweighted'] or '—'}")
        self.stdout.write(f"{'weighted':<15} {figures['weighted'] or '—'}")
        self.stdout.write(f"{result.item_count} items, {result.respondents} respondents")
