from django.urls import path

from . import views, views_orders

app_name = "credit"

urlpatterns = [
    path("approvals/", views.approvals_page, name="approvals"),
    path("reviews/", views.reviews_page, name="reviews"),
    path("stops/", views.stops_page, name="stops"),
    path("held-orders/", views.held_orders_page, name="held_orders"),
    path("customers/<int:pk>/limit/apply/", views.limit_apply, name="limit_apply"),
    path("customers/<int:pk>/apply/<slug:kind>/", views.apply, name="apply"),
    path("customers/<int:pk>/policy/", views.policy_edit, name="policy"),
    path("customers/<int:pk>/stop/", views.stop_credit, name="stop"),
    path("customers/<int:pk>/orders/new/", views_orders.order_create, name="order_create"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/decide/", views.application_decide, name="decide"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("orders/<int:pk>/", views_orders.order_detail, name="order"),
    path("orders/<int:pk>/lines/", views_orders.order_lines, name="order_lines"),
    path("orders/<int:pk>/confirm/", views_orders.order_confirm, name="order_confirm"),
    path("orders/<int:pk>/cancel/", views_orders.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/reopen/", views_orders.order_reopen, name="order_reopen"),
    path("orders/<int:pk>/release/", views.release_apply, name="release_apply"),
]
