"""The aging as an .xlsx workbook, written row by row in xlsxwriter's constant-memory mode."""

from django.utils.translation import gettext as _

from credo.core.clock import business_now

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_aging_xlsx(target, flt, labels, rows, *, titles=None, group_title=""):
    """Write the aging (rows: an iterator of queries.AgingRow) to target; returns the workbook, to close."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Aging")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF1F6", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    titles = titles or labels
    sheet.write_row(0, 0, [_("As of"), flt.as_of.isoformat()], bold)
    header = [_("Code"), group_title or _("Name"), *titles, _("Total"), _("Overdue"), _("Opportunity cost")]
    sheet.write_row(1, 0, header, bold)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, len(header), 14)
    sheet.freeze_panes(2, 2)
    r = 2
    for row in rows:
        sheet.write_string(r, 0, str(row.code or row.key or ""))
        sheet.write_string(r, 1, str(row.name or ""))
        for c, label in enumerate(labels):
            sheet.write_number(r, 2 + c, float(row.buckets[label]), money)
        sheet.write_number(r, 2 + len(labels), float(row.total), money)
        sheet.write_number(r, 3 + len(labels), float(row.overdue), money)
        sheet.write_number(r, 4 + len(labels), float(row.opportunity_cost), money)
        r += 1
    sheet.write_string(r + 1, 0, _("Exported %(when)s") % {"when": business_now().strftime("%Y-%m-%d %H:%M")})
    return workbook
