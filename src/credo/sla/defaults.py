"""The targets a company starts with (business hours), editable on the service-levels page.

Complaints: each step has its own budget, counted from the moment the step opens, and the whole complaint
its resolution budget from the moment it was received; first response is the end of step 1 (the customer
was heard and told who handles it). Class A customers (pyramid or ABC class A and key customers) get a
stricter first response and resolution (SPEC §2.2: handled first).
"""

import datetime
from decimal import Decimal

from . import rules
from .models import Kind

VALID_FROM = datetime.date(2000, 1, 1)

#                first  step1 step2 step3 step4 step5 step6 resolution
COMPLAINT_HOURS = {
    "critical": (1, 1, 4, 4, 2, 8, 4, 24),
    "major": (2, 2, 8, 8, 4, 16, 8, 45),
    "normal": (4, 4, 16, 8, 8, 24, 16, 72),
    "minor": (8, 8, 24, 16, 8, 40, 24, 120),
}
COMPLAINT_CLASS_A = {  # first response, resolution
    "critical": (Decimal("0.5"), 16),
    "major": (1, 32),
    "normal": (2, 54),
    "minor": (4, 90),
}
TICKET_HOURS = {  # first response, resolution
    "critical": (1, 8),
    "major": (2, 18),
    "normal": (4, 36),
    "minor": (8, 72),
}
COMPLAINT_METRICS = ("first_response", "step_1", "step_2", "step_3", "step_4", "step_5", "step_6", "resolution")


def targets(kind: str) -> list[rules.Target]:
    rows: list[rules.Target] = []
    if kind == Kind.COMPLAINT:
        for severity, hours in COMPLAINT_HOURS.items():
            rows += [rules.Target(severity, rules.ANY_CLASS, metric, Decimal(h))
                     for metric, h in zip(COMPLAINT_METRICS, hours, strict=True)]
            first, resolution = COMPLAINT_CLASS_A[severity]
            rows += [rules.Target(severity, "A", "first_response", Decimal(first)),
                     rules.Target(severity, "A", "resolution", Decimal(resolution))]
    else:
        for severity, (first, resolution) in TICKET_HOURS.items():
            rows += [rules.Target(severity, rules.ANY_CLASS, "first_response", Decimal(first)),
                     rules.Target(severity, rules.ANY_CLASS, "resolution", Decimal(resolution))]
    return rows
