from django.urls import path

from . import queries, views

app_name = "analysis"
urlpatterns = [
    path("stock/", views.stock, name="stock"),
]
for _name in queries.REPORTS:
    urlpatterns += [
        path(f"{_name}/", views.report, {"name": _name}, name=_name),
        path(f"{_name}/export/", views.export, {"name": _name}, name=f"{_name}_export"),
    ]
