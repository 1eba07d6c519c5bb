"""Pages made of several analysis Reports (the complaint management view, loyalty): each section as a table of
display texts with its chart, the workbook of all sections as a download, and the filter bar's choices — one
way for every such page."""

import json
import tempfile
from urllib.parse import urlencode

from django.http import FileResponse

from credo.core.models import Territory
from credo.core.scopes import OWN, assignable_managers, scope_of
from credo.customers.models import CustomerKind

from .exporting import XLSX_TYPE, as_display, write_reports_xlsx
from .queries import class_provider


def page_table(section) -> dict:
    """A Report for the page: the visible columns, each row and the totals as (text, numeric?) cells, the chart."""
    columns = [c for c in section.columns if c.page]
    rows = [[(as_display(row.get(c.key), c.type), c.type != "text") for c in columns] for row in section.rows]
    totals = [(as_display(section.totals.get(c.key), c.type), c.type != "text") for c in columns] \
        if section.totals else None
    return {"report": section, "columns": columns, "rows": rows, "totals": totals,
            "chart_json": json.dumps(section.chart, ensure_ascii=False)}


def workbook_response(sections, flt, name: str) -> FileResponse:
    """All sections as one .xlsx (a sheet each), named after the page and the period."""
    tmp = tempfile.TemporaryFile()
    write_reports_xlsx(tmp, sections, flt).close()
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, content_type=XLSX_TYPE,
                        filename=f"{name}-{flt.date_from:%Y%m%d}-{flt.date_to:%Y%m%d}.xlsx")


def filter_context(request) -> dict:
    """What analysis/_filter_fields.html offers: territories, the managers the user may pick, customer kinds,
    whether classes exist; and the query of the Excel link."""
    managers = []
    if scope_of(request.user) != OWN:
        managers = assignable_managers(request.user).select_related("profile").order_by("username")
    query = {k: v for k, v in request.GET.items() if k != "export"}
    return {"territories": Territory.objects.order_by("code"), "managers": managers, "kinds": CustomerKind.choices,
            "with_classes": class_provider() is not None, "export_query": urlencode({**query, "export": "xlsx"})}
