"""Import customers and contacts from a spreadsheet (.xlsx or .csv).

    report = import_file(user, fileobj, "customers.xlsx", "customers", skip_bad_rows=False)

1. read the rows (spreadsheets.py) and match the header row to the column template (import_columns.py);
2. validate every row: the form's type parsing, services' business validation, duplicates within the
   file (code, credit code, normalised name, phone) and possible duplicates in the database;
3. only if no row failed, or the user chose to skip bad rows, create the rows through the services in
   one transaction, the importing user as the actor (audit trail and timeline come from the services).

The report lists each bad row with its row number as the spreadsheet shows it, the column and the
reason, in the active language.
"""

import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from credo.core import audit
from credo.core.errors import require
from credo.core.models import AuditEntry
from credo.core.roles import has_perm

from . import spreadsheets
from .import_columns import COLUMNS, Column, header_key
from .import_rows import ContactRows, CustomerRows, Parsed

KINDS = tuple(COLUMNS)


@dataclass
class Problem:
    row: int  # as the spreadsheet shows it; the header row for problems with the file's columns
    field: str  # the template field, "" for the row or file as a whole
    column: str  # the column's header as written in the file (or the template's header)
    message: str
    duplicate: bool = False  # a possible duplicate: allowed when the user says so


@dataclass
class ImportReport:
    kind: str
    filename: str = ""
    skip_bad_rows: bool = False
    allow_duplicates: bool = False
    dry_run: bool = False
    rows_read: int = 0
    rows_ok: int = 0
    imported: int = 0
    fatal: bool = False  # the file itself is unusable: nothing can be imported, whatever was chosen
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems if not self.fatal})

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)

    @property
    def has_duplicates(self) -> bool:
        return any(p.duplicate for p in self.problems)

    @property
    def blocked(self) -> bool:
        """Nothing was (or would be) imported because of the errors."""
        return self.fatal or (self.has_errors and not self.skip_bad_rows)


class _Rollback(Exception):
    pass


class Ticker:
    """Calls progress(stage, advance, total) every `every` rows and at the end."""

    def __init__(self, progress, stage, total, every=100):
        self.progress, self.stage, self.total, self.every, self.pending = progress, stage, total, every, 0
        if progress:
            progress(stage, 0, total)

    def tick(self):
        self.pending += 1
        if self.pending >= self.every:
            self.flush()

    def flush(self):
        if self.progress and self.pending:
            self.progress(self.stage, self.pending, self.total)
        self.pending = 0


def match_headers(number: int, cells, columns: tuple[Column, ...], report: ImportReport):
    """[(cell index, column, header as written)] for the recognised headers; problems for the rest."""
    by_key = {}
    for column in columns:
        for key in column.keys():
            by_key.setdefault(key, column)
    mapping, used = [], {}
    for index, cell in enumerate(cells):
        text = spreadsheets.cell_text(cell)
        if not text:
            continue
        column = by_key.get(header_key(text))
        if column is None:
            report.unknown_columns.append(text)
        elif column.field in used:
            report.problems.append(
                Problem(
                    number,
                    column.field,
                    text,
                    _("This column appears twice (also as “%(other)s”).") % {"other": used[column.field]},
                )
            )
        else:
            used[column.field] = text
            mapping.append((index, column, text))
    for column in columns:
        if column.required and column.field not in used:
            report.problems.append(
                Problem(
                    number,
                    column.field,
                    column.header(),
                    _("The required column “%(zh)s” (%(en)s) is missing from the header row.")
                    % {"zh": column.zh, "en": column.en},
                )
            )
    if report.problems:
        report.fatal = True
    return mapping


def _read(fileobj, filename, kind, report):
    try:
        rows = spreadsheets.read_rows(fileobj, filename)
    except spreadsheets.FileProblem as exc:
        report.fatal = True
        report.problems.append(Problem(0, "", "", str(exc)))
        return None, []
    if not rows:
        report.fatal = True
        report.problems.append(Problem(0, "", "", _("The file is empty.")))
        return None, []
    (header_number, header), data = rows[0], rows[1:]
    mapping = match_headers(header_number, header, COLUMNS[kind], report)
    if report.fatal:
        return None, []
    if not data:
        report.fatal = True
        report.problems.append(
            Problem(header_number, "", "", _("The file has a header row but no data rows."))
        )
        return None, []
    raws = []
    for number, cells in data:
        raws.append(
            (
                number,
                {
                    col.field: spreadsheets.cell_text(cells[i]) if i < len(cells) else ""
                    for i, col, _text in mapping
                },
            )
        )
    return mapping, raws


def import_file(
    user,
    fileobj,
    filename: str,
    kind: str,
    *,
    skip_bad_rows=False,
    allow_duplicates=False,
    dry_run=False,
    progress=None,
) -> ImportReport:
    """Validate every row of the file, then import (see the module docstring). progress, if given, is
    called as progress(stage, advance, total) with stage "validate" or "import"."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    require(has_perm(user, "customer.import"), _("Your role may not import customers."))
    require(
        has_perm(user, "customer.create" if kind == "customers" else "customer.change"),
        _("Your role may not do this."),
    )
    started = time.perf_counter()
    report = ImportReport(
        kind=kind,
        filename=filename.rsplit("/", 1)[-1],
        skip_bad_rows=skip_bad_rows,
        allow_duplicates=allow_duplicates,
        dry_run=dry_run,
    )
    mapping, raws = _read(fileobj, filename, kind, report)
    if mapping is not None:
        headers = {col.field: text for _i, col, text in mapping}
        rows_class = CustomerRows if kind == "customers" else ContactRows
        validator = rows_class(user, allow_duplicates=allow_duplicates)
        parsed = _validate(validator, raws, headers, report, progress)
        report.rows_read, report.rows_ok = len(raws), len(parsed)
        if parsed and not dry_run and not report.blocked:
            _create(user, validator, parsed, headers, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _add(report, headers, columns, row, errors: dict, duplicate=False):
    for name, messages in errors.items():
        column = next((c for c in columns if c.field == name), None)
        label = headers.get(name) or (column.header() if column else "")
        for message in messages:
            report.problems.append(Problem(row, name if column else "", label, str(message), duplicate))


def _validate(validator, raws, headers, report, progress) -> list[Parsed]:
    ticker = Ticker(progress, "validate", len(raws))
    validator.prepare([raw for _n, raw in raws])
    parsed: list[Parsed] = []
    for number, raw in raws:
        row, errors, duplicates = validator.parse(number, raw)
        _add(report, headers, validator.columns, number, errors)
        _add(report, headers, validator.columns, number, duplicates, duplicate=True)
        if row is not None and not errors and not duplicates:
            parsed.append(row)
        ticker.tick()
    ticker.flush()
    for number, duplicates in validator.database_duplicates(parsed).items():
        _add(report, headers, validator.columns, number, duplicates, duplicate=True)
    bad = {p.row for p in report.problems}
    order = {c.field: i for i, c in enumerate(validator.columns)}
    report.problems.sort(key=lambda p: (p.row, order.get(p.field, -1)))
    return [row for row in parsed if row.number not in bad]


BATCH = 500


def _create(user, validator, parsed, headers, report, progress):
    ticker = Ticker(progress, "import", len(parsed))
    reason = _("Imported from %(file)s") % {"file": report.filename}
    imported = 0
    try:
        with transaction.atomic():
            for start in range(0, len(parsed), BATCH):
                batch = parsed[start:start + BATCH]
                imported += _create_batch(validator, batch, reason, report, headers)
                for _row in batch:
                    ticker.tick()
            ticker.flush()
            if imported:
                audit.record(
                    user,
                    AuditEntry.Action.IMPORT,
                    object_type=validator.object_type,
                    object_id="",
                    object_repr=report.filename[:200],
                    reason=reason,
                    after={
                        "rows": report.rows_read,
                        "imported": imported,
                        "bad_rows": report.bad_rows,
                        "allow_duplicates": report.allow_duplicates,
                    },
                )
    except _Rollback:
        imported = 0
    report.imported = imported
    report.rows_ok = report.rows_read - report.bad_rows


def _create_batch(validator, batch, reason, report, headers) -> int:
    """Bulk insert when the rows allow it; row by row otherwise, or to find the row a batch failed on."""
    if hasattr(validator, "create_many"):
        try:
            with transaction.atomic():
                validator.create_many(batch, reason)
            return len(batch)
        except (ValidationError, IntegrityError):
            pass  # someone changed the data since validation: redo row by row to report the exact row
    created = 0
    for row in batch:
        try:
            with transaction.atomic():
                validator.create(row, reason)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            _add(report, headers, validator.columns, row.number, errors)
            if not report.skip_bad_rows:
                raise _Rollback from exc
        except IntegrityError as exc:
            _add(report, headers, validator.columns, row.number,
                 {"": [_("This row could not be saved: %(error)s") % {"error": exc}]})
            if not report.skip_bad_rows:
                raise _Rollback from exc
        else:
            created += 1
    return created


def problems_csv(report: ImportReport) -> str:
    """The report's bad rows as CSV text (for download)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for p in report.problems:
        writer.writerow([p.row or "", p.column, p.message])
    return out.getvalue()
