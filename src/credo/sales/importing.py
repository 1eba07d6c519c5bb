"""Import invoices and receipts from a spreadsheet (.xlsx or .csv, UTF-8 or GBK).

    report = import_file(user, fileobj, "invoices.xlsx", "invoices", skip_bad_rows=False)

1. read the rows (customers/spreadsheets.py) and match the header row to the template (import_columns.py);
2. validate every row: types, unknown or out-of-scope customers, amounts ≤ 0, due date before the invoice
   date, numbers used twice in the file or already in the ledger, unknown payment methods, invoices of
   another customer, dates in the closed period;
3. only if no row failed (or the user chose to skip bad rows) post the rows through the ledger services
   (post_invoice / post_receipt) in one transaction, in date order (then row order), so balances,
   allocations (FIFO), audit trail and timeline are exactly what posting by hand gives.

The report is the customer import's (row number as the spreadsheet shows it, column, reason in the
active language); the user needs the "ledger.post" permission.
"""

import time

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from credo.core import audit
from credo.core.errors import ValidationError, require
from credo.core.models import AuditEntry
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.core.text import text_problem
from credo.customers import spreadsheets
from credo.customers.importing import ImportReport, Problem, Ticker, match_headers
from credo.customers.models import Customer

from . import services
from .import_columns import COLUMNS, parse_amount, parse_date, parse_method
from .models import Invoice, LedgerSettings, PaymentMethod, Receipt

KINDS = tuple(COLUMNS)
CHUNK = 500
MAX_NUMBER = 40


class _Rollback(Exception):
    pass


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _read(fileobj, filename, columns, report):
    """[(row number, {field: text})] and {field: header as written}; None when the file is unusable."""
    try:
        rows = spreadsheets.read_rows(fileobj, filename)
    except spreadsheets.FileProblem as exc:
        report.fatal = True
        report.problems.append(Problem(0, "", "", str(exc)))
        return None, {}
    if not rows:
        report.fatal = True
        report.problems.append(Problem(0, "", "", _("The file is empty.")))
        return None, {}
    (header_number, header), data = rows[0], rows[1:]
    mapping = match_headers(header_number, header, columns, report)
    if report.fatal:
        return None, {}
    if not data:
        report.fatal = True
        report.problems.append(Problem(header_number, "", "", _("The file has a header row but no data rows.")))
        return None, {}
    raws = [(number, {col.field: spreadsheets.cell_text(cells[i]) if i < len(cells) else ""
                      for i, col, _text in mapping}) for number, cells in data]
    return raws, {col.field: text for _i, col, text in mapping}


class _Rows:
    """Checks the rows of one file against each other and the ledger (look-ups loaded once per file)."""

    def __init__(self, user, kind, raws):
        self.user, self.kind = user, kind
        self.columns = COLUMNS[kind]
        self.model = Invoice if kind == "invoices" else Receipt
        self.closed = LedgerSettings.current().closed_through
        codes = {raw.get("customer_code", "") for _n, raw in raws} - {""}
        self.customers, self.out_of_scope = {}, set()
        visible = Customer.objects.filter(customer_q(user))
        for chunk in _chunks(codes):
            self.customers.update((c.code, c) for c in Customer.objects.filter(code__in=chunk))
            self.out_of_scope.update(set(chunk) - set(visible.filter(code__in=chunk).values_list("code", flat=True)))
        numbers = {raw.get("number", "") for _n, raw in raws} - {""}
        self.taken = set()
        for chunk in _chunks(numbers):
            self.taken.update(self.model.objects.filter(number__in=chunk).values_list("number", flat=True))
        self.invoices = {}
        if kind == "receipts":
            wanted = {raw.get("invoice_number", "") for _n, raw in raws} - {""}
            for chunk in _chunks(wanted):
                self.invoices.update((inv.number, inv) for inv in Invoice.objects.filter(number__in=chunk))
        self.seen: dict[str, int] = {}

    def parse(self, number, raw) -> tuple[dict | None, dict]:
        errors: dict = {}

        def error(name, message):
            errors.setdefault(name, []).append(message)

        for name, text in raw.items():
            problem = text_problem(text) if isinstance(text, str) else None
            if problem:
                error(name, problem)
        data = {"row": number}
        doc_number = raw.get("number", "")
        if not doc_number:
            error("number", _("Enter the document number."))
        elif len(doc_number) > MAX_NUMBER:
            error("number", _("At most %(n)s characters.") % {"n": MAX_NUMBER})
        elif doc_number in self.seen:
            error("number", _("Number %(number)s is also in row %(row)s.") % {"number": doc_number,
                                                                               "row": self.seen[doc_number]})
        elif doc_number in self.taken:
            error("number", _("Number %(number)s is already used.") % {"number": doc_number})
        if doc_number and doc_number not in self.seen:
            self.seen[doc_number] = number
        data["number"] = doc_number

        code = raw.get("customer_code", "")
        customer = self.customers.get(code)
        if not code:
            error("customer_code", _("Enter the customer code."))
        elif customer is None or code in self.out_of_scope:
            error("customer_code", _("No customer has the code %(code)s.") % {"code": code}
                  if customer is None else _("Customer %(code)s is not in your scope.") % {"code": code})
        elif customer.merged_into_id:
            error("customer_code", _("Customer %(code)s was merged into another customer; use that one.")
                  % {"code": code})
        elif not customer.is_active:
            error("customer_code", _("Customer %(code)s is inactive.") % {"code": code})
        data["customer"] = customer

        date_field = "invoice_date" if self.kind == "invoices" else "receipt_date"
        day = self._date(date_field, raw.get(date_field, ""), error, required=True)
        data["date"] = day
        if day and self.closed and day <= self.closed:
            error(date_field, _("The books are closed through %(date)s; use a later date.")
                  % {"date": self.closed.isoformat()})

        text, amount = raw.get("amount", ""), None
        if not text:
            error("amount", _("Enter the amount."))
        else:
            try:
                amount = parse_amount(text)
            except ValueError as exc:
                error("amount", str(exc))
            else:
                if amount <= 0:
                    error("amount", _("The amount must be greater than zero."))
        data["amount"] = amount

        if self.kind == "invoices":
            due = self._date("due_date", raw.get("due_date", ""), error, required=False)
            if due and day and due < day:
                error("due_date", _("The due date cannot be before the invoice date."))
            data["due_date"] = due
            note = raw.get("note", "")
            if len(note) > 300:
                error("note", _("At most %(n)s characters.") % {"n": 300})
            data["note"] = note
        else:
            text = raw.get("method", "")
            method = parse_method(text) if text else None
            if method is None:
                allowed = "、".join(f"{code} ({label})" for code, label in PaymentMethod.choices)
                error("method", _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
                      if text else _("Enter the payment method."))
            data["method"] = method
            reference = raw.get("reference", "")
            if len(reference) > 100:
                error("reference", _("At most %(n)s characters.") % {"n": 100})
            data["reference"] = reference
            invoice_number = raw.get("invoice_number", "")
            invoice = self.invoices.get(invoice_number) if invoice_number else None
            if invoice_number and invoice is None:
                error("invoice_number", _("No invoice has the number %(number)s.") % {"number": invoice_number})
            elif invoice is not None and customer is not None and invoice.customer_id != customer.pk:
                error("invoice_number", _("Invoice %(number)s belongs to another customer.")
                      % {"number": invoice_number})
            data["invoice"] = invoice
        return (None if errors else data), errors

    def _date(self, name, text, error, required):
        if not text:
            if required:
                error(name, _("Enter the date."))
            return None
        day = parse_date(text)
        if day is None:
            error(name, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text})
        return day

    def post(self, row):
        if self.kind == "invoices":
            return services.post_invoice(self.user, row["customer"], number=row["number"], invoice_date=row["date"],
                                         amount=row["amount"], due_date=row["due_date"], note=row["note"])
        return services.post_receipt(self.user, row["customer"], number=row["number"], receipt_date=row["date"],
                                     amount=row["amount"], method=row["method"], reference=row["reference"],
                                     invoice=row["invoice"])


def _add(report, headers, columns, row, errors: dict):
    for name, messages in errors.items():
        column = next((c for c in columns if c.field == name), None)
        label = headers.get(name) or (column.header() if column else "")
        for message in messages:
            report.problems.append(Problem(row, name if column else "", label, str(message)))


def import_file(user, fileobj, filename: str, kind: str, *, skip_bad_rows=False, dry_run=False,
                progress=None) -> ImportReport:
    """Validate every row, then post (see the module docstring). progress, if given, is called as
    progress(stage, advance, total) with stage "validate" or "import"."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    require(has_perm(user, "ledger.post"), _("Your role may not post to the ledger."))
    started = time.perf_counter()
    report = ImportReport(kind=kind, filename=filename.rsplit("/", 1)[-1], skip_bad_rows=skip_bad_rows,
                          dry_run=dry_run)
    columns = COLUMNS[kind]
    raws, headers = _read(fileobj, filename, columns, report)
    if raws is not None:
        rows = _Rows(user, kind, raws)
        ticker = Ticker(progress, "validate", len(raws))
        parsed = []
        for number, raw in raws:
            data, errors = rows.parse(number, raw)
            _add(report, headers, columns, number, errors)
            if data is not None:
                parsed.append(data)
            ticker.tick()
        ticker.flush()
        order = {c.field: i for i, c in enumerate(columns)}
        report.problems.sort(key=lambda p: (p.row, order.get(p.field, -1)))
        report.rows_read, report.rows_ok = len(raws), len(parsed)
        if parsed and not dry_run and not report.blocked:
            _post(user, rows, parsed, headers, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _post(user, rows, parsed, headers, report, progress):
    ticker = Ticker(progress, "import", len(parsed))
    posted = 0
    parsed.sort(key=lambda row: (row["date"], row["row"]))  # FIFO follows the order of posting
    try:
        with transaction.atomic():
            for row in parsed:
                try:
                    with transaction.atomic():
                        rows.post(row)
                except ValidationError as exc:
                    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                    _add(report, headers, rows.columns, row["row"], _fields(errors))
                    if not report.skip_bad_rows:
                        raise _Rollback from exc
                except PermissionDenied as exc:
                    _add(report, headers, rows.columns, row["row"], {"customer_code": [str(exc)]})
                    if not report.skip_bad_rows:
                        raise _Rollback from exc
                except IntegrityError as exc:
                    _add(report, headers, rows.columns, row["row"],
                         {"": [_("This row could not be saved: %(error)s") % {"error": exc}]})
                    if not report.skip_bad_rows:
                        raise _Rollback from exc
                else:
                    posted += 1
                ticker.tick()
            ticker.flush()
            if posted:
                audit.record(user, AuditEntry.Action.IMPORT, object_type=rows.model._meta.label_lower, object_id="",
                             object_repr=report.filename[:200],
                             reason=_("Imported from %(file)s") % {"file": report.filename},
                             after={"rows": report.rows_read, "imported": posted, "bad_rows": report.bad_rows})
    except _Rollback:
        posted = 0
    report.imported = posted
    report.rows_ok = report.rows_read - report.bad_rows


# the services name their fields as their keyword arguments; the template names some differently
SERVICE_FIELDS = {"invoice_date": "invoice_date", "receipt_date": "receipt_date", "invoice": "invoice_number",
                  "customer": "customer_code"}


def _fields(errors: dict) -> dict:
    return {SERVICE_FIELDS.get(name, name): messages for name, messages in errors.items()}
