"""Pure calculations of the visit plan: policy defaults, how many contacts a month, working days, day routes.

The policy table (seed 客户访问管理表, SPEC §3.1) gives, per customer class and role, how often to visit (走访)
and phone (电话). Rates are stored per month; "once per 1–2 months" is a minimum of 0.5 and a target of 1 a
month (a range: lower bound = minimum, upper = target). Fractional rates are planned in the months where the
running total crosses a whole number, offset by the customer id so a team's quarterly visits spread out.
"""

import calendar
import datetime
import math
from decimal import ROUND_FLOOR, Decimal

VISIT = "visit"
CALL = "call"

SALESPERSON = "salesperson"
SALES_MANAGER = "sales_manager"
MARKETING_DIRECTOR = "marketing_director"
EXECUTIVE = "executive"
POLICY_ROLES = (SALESPERSON, SALES_MANAGER, MARKETING_DIRECTOR, EXECUTIVE)
CLASSES = ("A", "B", "C", "D")

# Where no classification exists yet: the customer's importance gives a class.
IMPORTANCE_CLASS = {"key": "A", "general": "C", "scattered": "D"}

# A collection visit has its own sequence so it never collides with the regular visits of the month.
COLLECTION_SEQUENCE = 90


def _d(text: str) -> Decimal:
    return Decimal(text)


# (class, role, kind) -> (minimum per month, target per month). Absent: no scheduled contact.
DEFAULT_POLICY: dict[tuple[str, str, str], tuple[Decimal, Decimal]] = {
    ("A", SALESPERSON, VISIT): (_d("3"), _d("3")),
    ("A", SALESPERSON, CALL): (_d("2"), _d("3")),
    ("B", SALESPERSON, VISIT): (_d("2"), _d("2")),
    ("B", SALESPERSON, CALL): (_d("1"), _d("2")),
    ("C", SALESPERSON, VISIT): (_d("1"), _d("1")),
    ("C", SALESPERSON, CALL): (_d("1"), _d("1")),
    ("A", SALES_MANAGER, VISIT): (_d("0.5"), _d("1")),        # once per 1–2 months
    ("B", SALES_MANAGER, VISIT): (_d("0.333"), _d("0.5")),    # once per 2–3 months
    ("A", MARKETING_DIRECTOR, VISIT): (_d("0.167"), _d("0.167")),  # once per half year
    ("B", MARKETING_DIRECTOR, VISIT): (_d("0.083"), _d("0.167")),  # once per 6–12 months
    ("A", EXECUTIVE, VISIT): (_d("0.083"), _d("0.083")),     # once a year
    # B executive: "when necessary" — nothing scheduled. C below salesperson and D: nothing.
}

# Overdue contact: a class may go this many days without any done visit or call (SPEC §3.2 "class A
# customer not visited for 20 days"). D has no scheduled contact, hence no limit.
MAX_DAYS_WITHOUT_CONTACT = {"A": 20, "B": 30, "C": 45}


def month_start(text_or_date) -> datetime.date:
    if isinstance(text_or_date, datetime.date):
        return text_or_date.replace(day=1)
    year, month = str(text_or_date).split("-")
    return datetime.date(int(year), int(month), 1)


def parse_month(text: str) -> datetime.date | None:
    """'YYYY-MM' -> first day of the month, None when not a month."""
    text = (text or "").strip()
    if len(text) != 7 or text[4] != "-":
        return None
    try:
        return datetime.date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        return None


def working_days(month: datetime.date) -> list[datetime.date]:
    """Monday to Friday of the month (no holiday calendar in the system yet)."""
    last = calendar.monthrange(month.year, month.month)[1]
    days = [month.replace(day=d) for d in range(1, last + 1)]
    return [d for d in days if d.weekday() < 5]


def contacts_in_month(rate: Decimal, month: datetime.date, offset: int = 0) -> int:
    """How many contacts a rate per month gives in this month.

    Whole rates give themselves. A fraction r gives 1 in the months where floor((m + 1) * r) > floor(m * r),
    m being the month number shifted by `offset` — over any 1 / r months, one contact.
    """
    if rate <= 0:
        return 0
    index = month.year * 12 + month.month - 1 + offset
    whole = (rate * (index + 1)).to_integral_value(ROUND_FLOOR) - (rate * index).to_integral_value(ROUND_FLOOR)
    return int(whole)


def spread(count: int, days: list[datetime.date], position: int = 0) -> list[datetime.date]:
    """count dates spread evenly over the days: the k-th in window k of count equal windows.

    position (0..1000) moves the date inside its window, so customers sharing a window land on different days.
    """
    if count <= 0 or not days:
        return []
    size = len(days) / count
    out = []
    for k in range(count):
        start = int(k * size)
        width = max(1, int((k + 1) * size) - start)
        out.append(days[min(len(days) - 1, start + (position * width) // 1000)])
    return out


def first_working_on_or_after(day: datetime.date, days: list[datetime.date]) -> datetime.date:
    for d in days:
        if d >= day:
            return d
    return days[-1]


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def day_route(stops: list[tuple]) -> list:
    """Order one day's stops: (key, sort_key, (lat, lon) or None) -> keys in visiting order.

    Stops without coordinates keep their territory/route/address order (sort_key) and come first; those with
    coordinates follow in nearest-neighbour order from the first of them (by sort_key).
    """
    plain = sorted((s for s in stops if s[2] is None), key=lambda s: s[1])
    located = sorted((s for s in stops if s[2] is not None), key=lambda s: s[1])
    order = [s[0] for s in plain]
    if located:
        current = located.pop(0)
        order.append(current[0])
        while located:
            nearest = min(range(len(located)), key=lambda i: (distance(current[2], located[i][2]), located[i][1]))
            current = located.pop(nearest)
            order.append(current[0])
    return order


def compliance_pct(done: int, planned: int) -> Decimal | None:
    if planned <= 0:
        return None
    return (Decimal(done) * 100 / Decimal(planned)).quantize(Decimal("0.1"))
