from credo.rating import demo, queries
from credo.rating.models import Rating
from tests.factories import CustomerFactory

from .conftest import days_ago


def test_demo_credit_files_are_rated(world):
    for i in range(20):
        CustomerFactory(code=f"D{i:03d}", first_order_date=days_ago(100))
    result = demo.generate()
    assert result.statements and result.rated == Rating.objects.count() > 0
    rated = Rating.objects.values_list("customer_id", flat=True).first()
    assert queries.current_grade(rated).grade is not None
