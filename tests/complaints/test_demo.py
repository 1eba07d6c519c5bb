"""The demo year of complaints: every step, some closed late, some repeats; a second run adds nothing."""

import pytest

from credo.complaints import demo
from credo.complaints.models import Complaint
from credo.sla.models import SlaEscalation

pytestmark = pytest.mark.django_db


def test_a_year_of_complaints(world, monday):
    made = demo.generate(count=60)
    assert made == Complaint.objects.count() > 40
    open_steps = set(Complaint.objects.filter(status="open").values_list("current_step", flat=True))
    assert Complaint.objects.filter(status="closed").exists() and len(open_steps) >= 3
    assert Complaint.objects.filter(is_repeat=True).exists()
    assert SlaEscalation.objects.filter(level="breached").exists()
    assert Complaint.objects.filter(customer__isnull=True).count() == 2
    assert demo.generate(count=60) == 0
