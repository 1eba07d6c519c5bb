"""Home-page panel: the customers in my scope due for their quarterly rating."""


from credo.core.clock import business_today
from credo.core.roles import has_perm

from . import queries, rules

SHOWN = 10
COUNTED = 100


def ratings_due_panel(user):
    if not has_perm(user, "credit.rate"):
        return None
    today = business_today()
    # Counting stops at COUNTED: the page lists them all; the home page only needs "100+".
    ids = list(queries.due_customers(today, user).order_by("pk").values_list("pk", flat=True)[:COUNTED + 1])
    if not ids:
        return None
    from credo.customers.models import Customer

    customers = list(Customer.objects.filter(pk__in=ids[:SHOWN]).order_by("pk"))
    grades = queries.current_grades(ids[:SHOWN])
    for customer in customers:
        customer.grade_info = grades.get(customer.pk, queries.NOT_RATED)
    return {"template": "rating/panels/ratings_due.html", "customers": customers,
            "count": min(len(ids), COUNTED), "more": len(ids) > COUNTED,
            "quarter": rules.quarter_label(today)}
