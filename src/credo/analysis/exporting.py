"""Reports as text for the API and the page, and as an .xlsx workbook (xlsxwriter, constant-memory mode)."""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from credo.core.clock import business_now

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_text(value, kind: str):
    """API form: money with 2 decimals, ratios as fractions with 4 decimals, None stays None."""
    if value is None:
        return None
    if kind == "money":
        return f"{Decimal(value):.2f}"
    if kind in ("ratio", "number", "points", "score"):
        return f"{Decimal(value):.4f}"
    if kind == "qty":
        return f"{Decimal(value).normalize():f}"
    if kind == "int":
        return int(value)
    return str(value)


def as_display(value, kind: str) -> str:
    """Page form: amounts with thousands separators, ratios as percentages, “—” for cannot compute."""
    if value is None or value == "":
        return "—" if kind in ("ratio", "number", "money", "points") else ""
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "points":
        return f"{Decimal(value) * 100:+.2f}"
    if kind == "ratio":
        return f"{Decimal(value) * 100:.2f} %"
    if kind == "number":
        return f"{Decimal(value):.2f}"
    if kind == "score":
        return f"{Decimal(value):.4f}"
    if kind == "qty":
        return f"{Decimal(value).normalize():f}"
    return str(value)


def report_json(report, flt) -> dict:
    return {
        "report": report.name, "title": report.title, "filter": flt.query(), "customer": report.customer,
        "columns": [{"key": c.key, "title": c.title, "type": c.type} for c in report.columns],
        "rows": [{c.key: as_text(row.get(c.key), c.type) for c in report.columns} for row in report.rows],
        "totals": {c.key: as_text(report.totals[c.key], c.type) for c in report.columns if c.key in report.totals},
    }


def write_report_xlsx(target, report, flt):
    """Write the report to target; returns the workbook, to close."""
    return write_reports_xlsx(target, [report], flt)


def write_reports_xlsx(target, reports, flt):
    """Write each report on a sheet of its own; returns the workbook, to close."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF1F6", "border": 1})
    formats = {"money": workbook.add_format({"num_format": "#,##0.00"}),
               "ratio": workbook.add_format({"num_format": "0.00%"}),
               "number": workbook.add_format({"num_format": "0.0000"}),
               "score": workbook.add_format({"num_format": "0.0000"}),
               "qty": workbook.add_format({"num_format": "#,##0.###"}),
               "int": workbook.add_format({"num_format": "0"}),
               "points": workbook.add_format({"num_format": "+0.00;-0.00;0.00"})}
    names = set()
    for report in reports:
        name = re.sub(r"[\[\]:*?/\\]", "-", report.title)[:31]
        while name in names:          # sheet names are unique in a workbook
            name = name[:28] + f"~{len(names)}"
        names.add(name)
        _write_sheet(workbook.add_worksheet(name), report, flt, bold, formats)
    return workbook


def _write_sheet(sheet, report, flt, bold, formats):
    sheet.write_row(0, 0, [report.title, _("Period"), flt.date_from.isoformat(), flt.date_to.isoformat()], bold)
    sheet.write_row(1, 0, [c.title for c in report.columns], bold)
    sheet.set_column(0, len(report.columns), 14)
    sheet.freeze_panes(2, 0)
    r = 2

    def write(row_index, values):
        for c, column in enumerate(report.columns):
            value = values.get(column.key)
            if value is None or value == "":
                continue
            if column.type == "points":  # percentage points, as the column title says
                sheet.write_number(row_index, c, float(Decimal(value) * 100), formats["points"])
            elif column.type in formats:
                sheet.write_number(row_index, c, float(value), formats[column.type])
            else:
                text = str(value)
                sheet.write_string(row_index, c, "'" + text if text[:1] in "=+-@" else text)

    for row in report.rows:
        write(r, row)
        r += 1
    if report.totals:
        sheet.write_string(r, 0, _("Total"), bold)
        write(r, {k: v for k, v in report.totals.items() if k != report.columns[0].key})
        r += 1
    if report.note:
        sheet.write_string(r + 1, 0, report.note)
    sheet.write_string(r + 2, 0, _("Exported %(when)s") % {"when": business_now().strftime("%Y-%m-%d %H:%M")})
