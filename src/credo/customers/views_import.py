"""Pages for importing customers and contacts, the template downloads, and the list export."""

import base64

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from credo.core.roles import has_perm

from . import exporting, importing, spreadsheets
from .import_columns import COLUMNS
from .queries import CustomerFilter

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SHOWN_PROBLEMS = 500


def _columns_for_page():
    return {kind: [(c, exporting.describe(c)) for c in columns] for kind, columns in COLUMNS.items()}


@login_required
def import_page(request):
    if not has_perm(request.user, "customer.import"):
        raise PermissionDenied
    context = {"columns": _columns_for_page(), "kind": "customers", "report": None, "error": ""}
    if request.method == "POST":
        kind = request.POST.get("kind", "customers")
        upload = request.FILES.get("file")
        context["kind"] = kind if kind in importing.KINDS else "customers"
        context["skip_bad_rows"] = request.POST.get("skip_bad_rows") == "1"
        context["allow_duplicates"] = request.POST.get("allow_duplicates") == "1"
        if kind not in importing.KINDS:
            context["error"] = _("Choose what the file holds: customers or contacts.")
        elif upload is None:
            context["error"] = _("Choose a file to import.")
        elif spreadsheets.extension(upload.name) not in spreadsheets.EXTENSIONS:
            context["error"] = _(
                "Unsupported file type “%(ext)s”: use an Excel workbook (.xlsx) or a CSV file (.csv)."
            ) % {"ext": spreadsheets.extension(upload.name) or upload.name}
        elif upload.size > MAX_UPLOAD_BYTES:
            context["error"] = _("The file is larger than %(mb)s MB; split it into smaller files.") % {
                "mb": MAX_UPLOAD_BYTES // (1024 * 1024)
            }
        else:
            report = importing.import_file(
                request.user,
                upload,
                upload.name,
                kind,
                skip_bad_rows=context["skip_bad_rows"],
                allow_duplicates=context["allow_duplicates"],
            )
            context["report"] = report
            context["problems"] = report.problems[:SHOWN_PROBLEMS]
            context["more_problems"] = max(0, len(report.problems) - SHOWN_PROBLEMS)
            if report.problems:
                csv_bytes = ("\ufeff" + importing.problems_csv(report)).encode("utf-8")
                context["report_csv"] = base64.b64encode(csv_bytes).decode("ascii")
    return render(request, "customers/import.html", context)


@login_required
def import_template(request, kind, fmt):
    if not has_perm(request.user, "customer.import"):
        raise PermissionDenied
    if kind not in importing.KINDS or fmt not in exporting.FORMATS:
        raise Http404
    language = translation.get_language() or "zh-hans"
    if fmt == "csv":
        response = HttpResponse(
            exporting.template_csv(kind, language), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(exporting.template_xlsx(kind, language), content_type=exporting.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response


@login_required
def export_customers(request):
    if not has_perm(request.user, "customer.export"):
        raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    if fmt not in exporting.FORMATS:
        fmt = "xlsx"
    return exporting.export_response(request.user, CustomerFilter.from_mapping(request.GET), fmt)
