"""What a customer merge does with the credit file (customers.services.merge_customers calls these after
moving the other rows): statements move unless the target has one for the same period; ratings move and
only the newest of the target's stays current."""

from .models import FinancialStatement, Rating


def merge_statements(source, target):
    taken = set(FinancialStatement.objects.filter(customer=target).values_list("period_end", flat=True))
    FinancialStatement.objects.filter(customer=source).exclude(period_end__in=taken).update(customer=target)


def merge_ratings(source, target):
    Rating.objects.filter(customer__in=[source, target], is_current=True).update(is_current=False)
    Rating.objects.filter(customer=source).update(customer=target)
    newest = Rating.objects.filter(customer=target).order_by("-as_of", "-id").first()
    if newest is not None:
        Rating.objects.filter(pk=newest.pk).update(is_current=True)
