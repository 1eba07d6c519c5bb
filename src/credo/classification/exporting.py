"""A snapshot's classes (the user's scope and filters) as an .xlsx workbook, in constant-memory mode."""

from django.utils.translation import gettext as _

from credo.core.clock import business_now

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_classes_xlsx(target, run, rows):
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Classes")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF1F6", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    percent = workbook.add_format({"num_format": "0.00%"})
    sheet.write_row(0, 0, [str(run.get_method_display()), run.period_from.isoformat(), run.period_to.isoformat()],
                    bold)
    sheet.write_row(1, 0, [_("Code"), _("Name"), _("Class"), _("Computed class"), _("Reason"), _("Rank"),
                           _("Sales"), _("Share"), _("Cumulative share")], bold)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 8, 14)
    sheet.freeze_panes(2, 2)
    r = 2
    for row in rows:
        sheet.write_string(r, 0, row.customer.code)
        sheet.write_string(r, 1, row.customer.name)
        sheet.write_string(r, 2, row.effective_class)
        sheet.write_string(r, 3, row.klass)
        sheet.write_string(r, 4, row.override_reason)
        if row.rank is not None:
            sheet.write_number(r, 5, row.rank)
        sheet.write_number(r, 6, float(row.sales), money)
        sheet.write_number(r, 7, float(row.share), percent)
        sheet.write_number(r, 8, float(row.cumulative_share), percent)
        r += 1
    sheet.write_string(r + 1, 0, _("Exported %(when)s") % {"when": business_now().strftime("%Y-%m-%d %H:%M")})
    return workbook
