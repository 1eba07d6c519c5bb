from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def import_page(request):
    return HttpResponse("import")


@login_required
def import_template(request, kind, fmt):
    return HttpResponse("template")


@login_required
def export_customers(request):
    return HttpResponse("export")
