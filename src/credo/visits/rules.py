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
MAIL = "mail"  # 邮件追踪: a letter or e-mail; counts toward no policy row (the table has visits and calls)
POLICY_KINDS = (VISIT, CALL)
CARING = "caring"  # purpose of a 温情追踪 contact (greetings on a birthday, a holiday, an anniversary)

SALESPERSON = "salesperson"
SALES_MANAGER = "sales_manager"
MARKETING_DIRECTOR = "marketing_director"
EXECUTIVE = "executive"
POLICY_ROLES = (SALESPERSON, SALES_MANAGER, MARKETING_DIRECTOR, EXECUTIVE)
# 水平追踪: a contact made by a person of matching (senior) rank — every rank above the salesperson.
LEVEL_RANKS = (SALES_MANAGER, MARKETING_DIRECTOR, EXECUTIVE)
# Planned rows are keyed by (customer, person, kind, month, sequence); a senior rank's sequences start here so
# one person holding two ranks for the same customer (a team manager who is also marketing director) never
# collides. Business-manager rows keep 1.. as before.
RANK_SEQUENCE_BASE = {SALESPERSON: 0, SALES_MANAGER: 0, MARKETING_DIRECTOR: 40, EXECUTIVE: 60}
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

# Holidays on which account managers greet their customers (温情追踪), seeded for two years; the lunar ones move
# every year, so the table is edited in the admin for the years after.
DEFAULT_HOLIDAYS: list[tuple[str, datetime.date]] = [
    ("元旦", datetime.date(2026, 1, 1)),
    ("春节", datetime.date(2026, 2, 17)),
    ("元宵节", datetime.date(2026, 3, 3)),
    ("端午节", datetime.date(2026, 6, 19)),
    ("中秋节", datetime.date(2026, 9, 25)),
    ("国庆节", datetime.date(2026, 10, 1)),
    ("元旦", datetime.date(2027, 1, 1)),
    ("春节", datetime.date(2027, 2, 6)),
    ("元宵节", datetime.date(2027, 2, 20)),
    ("端午节", datetime.date(2027, 6, 9)),
    ("中秋节", datetime.date(2027, 9, 15)),
    ("国庆节", datetime.date(2027, 10, 1)),
]

# Caring reminders look this many days ahead.
CARING_DAYS = 14

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


def month_index(month: datetime.date) -> int:
    return month.year * 12 + month.month - 1


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month_index(month) + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def interval_months(rate: Decimal) -> int | None:
    """A rate below one a month as 'once every n months' (0.5 → 2, 0.333 → 3, 0.167 → 6, 0.083 → 12);
    None for no rate or a rate of one or more a month (those are counted per month)."""
    if rate is None or rate <= 0 or rate >= 1:
        return None
    return max(1, int((1 / Decimal(rate)).to_integral_value()))


def interval_due(interval: int, month: datetime.date, customer_id: int) -> bool:
    """Is a once-every-`interval`-months contact due in this month? Each customer has a fixed slot
    (customer id mod interval), so a rank's customers spread evenly over the months and a customer's contact
    always falls in the same month(s) of the year."""
    return (month_index(month) - customer_id) % interval == 0


def interval_window_start(month: datetime.date, interval: int) -> datetime.date:
    """First day of the interval that ends with this month: a done contact on or after it makes the slot's
    contact unnecessary (annual: the 11 months before and this one)."""
    return add_months(month, -(interval - 1))


def planned_contacts(rate: Decimal, month: datetime.date, customer_id: int,
                     last_done: datetime.date | None = None) -> int:
    """How many contacts of one policy row to plan for a customer in a month.

    One a month or more: the rate (fractions above one by the running total, contacts_in_month). Less than
    one a month: one contact in the customer's slot month of each interval (interval_due), none when a
    contact of the same rank and kind was already done in the interval ending with this month."""
    if not rate or rate <= 0:
        return 0
    interval = interval_months(rate)
    if interval is None:
        return contacts_in_month(rate, month, customer_id % 12)
    if not interval_due(interval, month, customer_id):
        return 0
    if last_done is not None and last_done >= interval_window_start(month, interval):
        return 0
    return 1


def pick_holder(holders: list[int], customer_id: int) -> int | None:
    """The one holder of a senior rank who plans this customer's contact (several GM/VPs share the
    customers, each customer going to one of them by its id)."""
    if not holders:
        return None
    return sorted(holders)[customer_id % len(holders)]


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


def anniversary_in(month: int, day: int, year: int) -> datetime.date:
    """The date a yearly occasion of (month, day) falls on in a year: 29 February on 28 February in a
    year without it."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return datetime.date(year, 2, 28)
    return datetime.date(year, month, day)


def next_occurrence(month: int, day: int, today: datetime.date, days: int) -> datetime.date | None:
    """The next date of a yearly occasion in [today, today + days), or None (looks into next year too)."""
    end = today + datetime.timedelta(days=days)
    for year in (today.year, today.year + 1):
        when = anniversary_in(month, day, year)
        if today <= when < end:
            return when
    return None


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _trig(point: tuple[float, float]) -> tuple[float, float, float]:
    """(lat, lon) in radians and cos(lat) of a point, worked out once per stop for _haversine."""
    lat, lon = math.radians(point[0]), math.radians(point[1])
    return lat, lon, math.cos(lat)


def _haversine(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """distance(p, q) from _trig(p), _trig(q): the same operations in the same order, so the same float."""
    h = math.sin((b[0] - a[0]) / 2) ** 2 + a[2] * b[2] * math.sin((b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# Above this many stops with coordinates in a day, the nearest neighbour is searched in a latitude band instead
# of over every remaining stop; the order is the same (see _nearest_neighbour_banded).
BANDED_NN_FROM = 32


def day_route(stops: list[tuple]) -> list:
    """Order one day's stops: (key, sort_key, (lat, lon) or None) -> keys in visiting order.

    Stops without coordinates keep their territory/route/address order (sort_key) and come first; those with
    coordinates follow in nearest-neighbour order from the first of them (by sort_key); between stops equally
    near, the one first by sort_key (then the earlier in `stops`).
    """
    plain = sorted((s for s in stops if s[2] is None), key=lambda s: s[1])
    located = sorted((s for s in stops if s[2] is not None), key=lambda s: s[1])
    order = [s[0] for s in plain]
    if not located:
        return order
    points = [_trig(s[2]) for s in located]
    keys = [s[1] for s in located]
    if len(located) > BANDED_NN_FROM:
        visit = _nearest_neighbour_banded(points, keys)
    else:
        visit = _nearest_neighbour(points, keys)
    order.extend(located[i][0] for i in visit)
    return order


def _nearest_neighbour(points: list[tuple], keys: list) -> list[int]:
    """Indexes in nearest-neighbour order from index 0: each step the least (distance, key, index)."""
    remaining = list(range(1, len(points)))
    current = 0
    out = [0]
    while remaining:
        here = points[current]
        best = min(range(len(remaining)),
                   key=lambda j: (_haversine(here, points[remaining[j]]), keys[remaining[j]]))
        current = remaining.pop(best)
        out.append(current)
    return out


def _nearest_neighbour_banded(points: list[tuple], keys: list) -> list[int]:
    """The same order as _nearest_neighbour, without measuring to every remaining stop: the remaining stops are
    kept sorted by latitude and scanned outwards from the current one's; a stop whose latitude alone puts it
    further than the best so far (great-circle distance >= R * |difference in latitude|) ends the scan on that
    side. The margin on that bound is far above the rounding of _haversine, so a stop left out can neither be
    nearer nor tie; ties are broken by (key, index) as in _nearest_neighbour (the earlier index wins there as
    `remaining` keeps index order)."""
    from bisect import bisect_left, insort

    band = []
    for i in range(1, len(points)):
        insort(band, (points[i][0], i))
    current = 0
    out = [0]
    while band:
        here = points[current]
        lat = here[0]
        start = bisect_left(band, (lat, -1))
        best = None  # (distance, key, index)
        best_at = -1
        for step in (-1, 1):
            j = start - 1 if step < 0 else start
            while 0 <= j < len(band):
                i = band[j][1]
                if best is not None and 6371.0 * abs(band[j][0] - lat) > best[0] * (1 + 1e-9) + 1e-9:
                    break
                candidate = (_haversine(here, points[i]), keys[i], i)
                if best is None or candidate < best:
                    best, best_at = candidate, j
                j += step
        current = best[2]
        del band[best_at]
        out.append(current)
    return out


def compliance_pct(done: int, planned: int) -> Decimal | None:
    if planned <= 0:
        return None
    return (Decimal(done) * 100 / Decimal(planned)).quantize(Decimal("0.1"))
