"""Export the customer list (the user's scope and filters) and the import templates.

The columns are the import template's (import_columns.CUSTOMER_COLUMNS), so an exported file imports
again. CSV is UTF-8 with a BOM (Excel then opens Chinese correctly) and streams row by row; .xlsx is
written by xlsxwriter in constant-memory mode to a temporary file.
"""

import csv
import datetime
import decimal
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from credo.core.clock import business_today

from .import_columns import CHOICES, COLUMNS, CUSTOMER_COLUMNS, choice_label
from .queries import filtered_customers

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def customers_for_export(user, flt):
    return (
        filtered_customers(user, flt)
        .select_related("territory", "account_manager")
        .prefetch_related("tags")
        .order_by("code")
    )


def _value(customer, name):
    if name == "territory":
        return customer.territory.code if customer.territory_id else ""
    if name == "account_manager":
        return customer.account_manager.username if customer.account_manager_id else ""
    if name == "tags":
        return ", ".join(sorted(t.name for t in customer.tags.all()))
    value = getattr(customer, name)
    if name in CHOICES:
        return choice_label(name, value)
    return "" if value is None else value


def customer_rows(queryset, language: str, columns=CUSTOMER_COLUMNS):
    """The header, then one list of typed values (str, Decimal, date, int) per customer."""
    with translation.override(language):
        yield [c.header(language) for c in columns]
        for customer in queryset.iterator(chunk_size=2000):
            yield [_value(customer, c.field) for c in columns]


def _csv_cell(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "@"):
        return "'" + value  # never let a spreadsheet run a cell as a formula
    return value


def csv_chunks(rows, batch=500):
    """Text chunks of a UTF-8-with-BOM CSV, `batch` rows at a time (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(v) for v in row])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(rows, target, *, sheet="Customers", text_columns=False, comments=None, choices=None):
    """Write rows (the first is the header) to target (path or binary file) in constant memory."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    sheet_ = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF1F6", "border": 1})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text = workbook.add_format({"num_format": "@"})
    header = None
    for r, row in enumerate(rows):
        if r == 0:
            header = row
            for c, title in enumerate(row):
                sheet_.set_column(
                    c, c, max(10, min(40, len(str(title)) * 2 + 2)), text if text_columns else None
                )
            sheet_.freeze_panes(1, 0)
            sheet_.write_row(0, 0, row, bold)
            for c, note in (comments or {}).items():
                sheet_.write_comment(0, c, note, {"x_scale": 2})
            for c, values in (choices or {}).items():
                sheet_.data_validation(
                    1, c, 10000, c, {"validate": "list", "source": values, "error_type": "information"}
                )
            continue
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            if isinstance(value, datetime.date):
                sheet_.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date)
            elif isinstance(value, decimal.Decimal | int | float) and not isinstance(value, bool):
                sheet_.write_number(r, c, float(value))
            else:
                sheet_.write_string(r, c, str(value))
    if header is None:
        sheet_.write_row(0, 0, [])
    return workbook


def _filename(stem, fmt):
    return f"{stem}-{business_today().strftime('%Y%m%d')}.{fmt}"


def export_response(user, flt, fmt: str):
    """An HTTP response with the user's filtered customers as .csv (streamed) or .xlsx."""
    language = translation.get_language() or "zh-hans"
    rows = customer_rows(customers_for_export(user, flt), language)
    name = _filename("customers", fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    tmp = tempfile.TemporaryFile()
    with translation.override(language):
        write_xlsx(rows, tmp, sheet=_("Customers")).close()
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX_TYPE)


# --- templates ---------------------------------------------------------------------------------


def describe(column) -> str:
    """The column's description for the template, with the accepted values of a choice column."""
    parts = [str(column.help)] if column.help else []
    if column.field in CHOICES:
        values = " / ".join(
            f"{code} ({choice_label(column.field, code)})" for code in CHOICES[column.field].values
        )
        parts.append(_("Accepted: %(values)s") % {"values": values})
    return " ".join(parts)


def template_headers(kind, language):
    return [c.header(language) + ("*" if c.required else "") for c in COLUMNS[kind]]


def template_csv(kind: str, language: str) -> bytes:
    return "".join(csv_chunks([template_headers(kind, language)])).encode("utf-8")


def template_xlsx(kind: str, language: str) -> bytes:
    """A workbook: the header row (text cells, notes on each header, drop-downs for choices) and an
    instructions sheet listing every column."""
    columns = COLUMNS[kind]
    out = io.BytesIO()
    with translation.override(language):
        comments = {i: describe(c) for i, c in enumerate(columns) if describe(c)}
        choices = {
            i: [str(label) for _code, label in CHOICES[c.field].choices]
            for i, c in enumerate(columns)
            if c.field in CHOICES
        }
        sheet = _("Customers") if kind == "customers" else _("Contacts")
        workbook = write_xlsx(
            [template_headers(kind, language)],
            out,
            sheet=sheet,
            text_columns=True,
            comments=comments,
            choices=choices,
        )
        guide = workbook.add_worksheet(_("Instructions")[:31])
        bold = workbook.add_format({"bold": True, "bg_color": "#EEF1F6", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        guide.set_column(0, 1, 24)
        guide.set_column(2, 2, 10)
        guide.set_column(3, 3, 60, wrap)
        guide.set_column(4, 4, 28)
        guide.write_row(
            0,
            0,
            [_("Chinese header"), _("English header"), _("Required"), _("Description"), _("Example")],
            bold,
        )
        for r, c in enumerate(columns, start=1):
            guide.write_row(r, 0, [c.zh, c.en, _("yes") if c.required else "", describe(c), c.example])
        workbook.close()
    return out.getvalue()
