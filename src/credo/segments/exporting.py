"""A value snapshot's customers (the user's scope and filters) with their profit working, as .xlsx."""

from django.utils.translation import gettext as _

from credo.core.clock import business_now

from .models import Segment

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FIELDS = ("sales", "gross_profit", "service_cost", "complaint_cost", "collection_cost", "bad_debt_cost",
                "profit", "potential", "growth_gap")


def write_segments_xlsx(target, run, rows):
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Value segments")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF1F6", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, [_("Value segments"), run.period_from.isoformat(), run.period_to.isoformat()], bold)
    sheet.write_row(1, 0, [_("Code"), _("Name"), _("Segment"), _("Rank by profit"), _("Sales"), _("Gross profit"),
                           _("Service cost"), _("Complaint cost"), _("Collection cost"), _("Bad-debt cost"),
                           _("Profit after costs"), _("Potential in the period"), _("Growth gap")], bold)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 12, 14)
    sheet.freeze_panes(2, 2)
    names = dict(Segment.choices)
    r = 2
    for row in rows:
        sheet.write_string(r, 0, row.customer.code)
        sheet.write_string(r, 1, row.customer.name)
        sheet.write_string(r, 2, str(names.get(row.segment, row.segment)))
        if row.profit_rank is not None:
            sheet.write_number(r, 3, row.profit_rank)
        for c, field in enumerate(MONEY_FIELDS, 4):
            value = getattr(row, field)
            if value is not None:
                sheet.write_number(r, c, float(value), money)
        r += 1
    sheet.write_string(r + 1, 0, _("Exported %(when)s") % {"when": business_now().strftime("%Y-%m-%d %H:%M")})
    return workbook
