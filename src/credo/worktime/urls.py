from django.urls import path

from . import views

app_name = "worktime"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("week/", views.set_week, name="set_week"),
    path("week/<str:valid_from>/delete/", views.remove_week, name="remove_week"),
    path("holidays/", views.add_holiday, name="add_holiday"),
    path("holidays/<str:day>/delete/", views.remove_holiday, name="remove_holiday"),
    path("workdays/", views.add_workday, name="add_workday"),
    path("workdays/<str:day>/delete/", views.remove_workday, name="remove_workday"),
    path("due/", views.due, name="due"),
]
