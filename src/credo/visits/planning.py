"""Generating the month's visit and call plan (SPEC §3.2, and §6.3 collection visits).

For each active customer with an account manager:
- the account manager gets the salesperson rows of the policy for the customer's class (visits and calls);
- the manager of the account manager's team gets the business-manager rows;
- the marketing director(s) (RankHolder rows) and the general manager / VPs (RankHolder rows, or every active
  user with the executive role when none is listed) get their rows for the customers of the class they may
  see; several holders of a rank share the customers, each customer going to one of them (rules.pick_holder);
- a customer with a live collection case, or with an open invoice due in the month, gets a collection visit
  by the account manager on the (first working day on or after the) due date.
Rates of one a month or more are counted per month. Rates below one ("once per half year", "once a year") are
planned once per interval in the customer's slot month (customer id mod interval, so each month carries an even
share), and not at all when a contact of that rank and kind was already done in the interval ending with the
month (rules.planned_contacts). Rows above the salesperson are level follow-ups (水平追踪, Visit.rank).

Dates: each person's customers are sorted by territory, route, stop on the route and address, and the k-th
of a customer's n contacts falls in the k-th of n equal windows of the month's working days at the
customer's place in that order — so a territory's customers fall on neighbouring days (路序分类). Each day's
visits are then ordered into a route: nearest neighbour over the customers' coordinates where present, the
territory/route/address order otherwise (rules.day_route).

Regenerating does not duplicate: a planned row is keyed by (customer, person, kind, month, sequence); the
run creates missing rows, moves still-planned rows to their new date, and deletes planned rows the plan no
longer asks for (never rows already done, missed or cancelled).
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from credo.core import audit
from credo.core.models import AuditEntry, Profile
from credo.core.roles import Role
from credo.core.scopes import ALL, customer_q, scope_of
from credo.customers.models import Customer

from . import rules
from .classes import classes_for
from .models import Purpose, RankHolder, Status, Visit, VisitPolicy

BATCH = 2000
# On PostgreSQL, refresh the visit table's statistics after a run that created at least this many rows.
ANALYZE_AFTER = 20_000


@dataclass
class PlanResult:
    month: str
    persons: int = 0
    customers: int = 0
    visits: int = 0
    calls: int = 0
    collection_visits: int = 0
    level_follow_ups: int = 0
    created: int = 0
    moved: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_recorded: int = 0
    by_class: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def policy_rates() -> dict[tuple[str, str, str], object]:
    return {(p.customer_class, p.role, p.kind): p.target_per_month for p in VisitPolicy.objects.all()}


def _collection_dates(customer_ids: set[int], month: datetime.date, days: list[datetime.date]) -> dict:
    """{customer id: date of the collection visit} for live cases and open invoices due in the month."""
    from credo.sales.models import Invoice

    last_day = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    out: dict[int, datetime.date] = {}
    for customer_id, due in (Invoice.objects.filter(open_amount__gt=0, due_date__gte=month, due_date__lte=last_day)
                             .order_by("due_date").values_list("customer_id", "due_date")):
        if customer_id in customer_ids and customer_id not in out:
            out[customer_id] = rules.first_working_on_or_after(due, days) if days else due
    try:
        from credo.collection.models import CollectionCase
    except ImportError:  # pragma: no cover
        return out
    for customer_id in (CollectionCase.objects.exclude(status="closed").values_list("customer_id", flat=True)):
        if customer_id in customer_ids and customer_id not in out:
            out[customer_id] = days[0] if days else month
    return out


def build_plan(month: datetime.date, customers: list[dict], classes: dict, rates: dict, team_manager: dict,
               collection: dict, senior: dict | None = None, last_done: dict | None = None) -> list[dict]:
    """The plan rows (dicts with customer, person, kind, purpose, rank, sequence, planned_date, route_order,
    class).

    Pure apart from its arguments; customers are dicts with pk, account_manager_id, territory_code, route,
    route_sequence, office_address, latitude, longitude. senior is {rank: {customer id: person id}} for the
    marketing-director and GM/VP rows; last_done is {(customer id, rank, kind): date of the last done contact}.
    """
    senior = senior or {}
    last_done = last_done or {}
    days = rules.working_days(month)
    # Per class, the policy rows with a rate, rank by rank and kind by kind (the order rows are made in); a rate
    # of 0 or none plans nothing (rules.planned_contacts), so those are not asked about customer by customer.
    ranks = (rules.SALESPERSON, rules.SALES_MANAGER, rules.MARKETING_DIRECTOR, rules.EXECUTIVE)
    policy = {}
    for cls in {*rules.CLASSES, *classes.values(), "C"}:
        policy[cls] = [(rank, kind, rate, rules.interval_months(rate) or 12)
                       for rank in ranks for kind in rules.POLICY_KINDS
                       if (rate := rates.get((cls, rank, kind), 0)) and rate > 0]
    # planned_contacts depends on the customer id only through id mod 12 (rates of one a month or more) or id
    # mod the interval (below one); without a done contact in the window it is the same for every such id.
    contacts: dict[tuple, int] = {}
    director = senior.get(rules.MARKETING_DIRECTOR, {})
    executive = senior.get(rules.EXECUTIVE, {})
    wanted: dict[int, list[tuple]] = defaultdict(list)  # person -> [(customer, kind, rank, count)]
    by_id = {c["pk"]: c for c in customers}
    for c in customers:
        pk = c["pk"]
        rows_of_class = policy[classes.get(pk, "C")]
        if not rows_of_class:
            continue
        owner = c["account_manager_id"]
        persons = {rules.SALESPERSON: owner, rules.SALES_MANAGER: team_manager.get(owner),
                   rules.MARKETING_DIRECTOR: director.get(pk), rules.EXECUTIVE: executive.get(pk)}
        for rank, kind, rate, modulus in rows_of_class:
            person = persons[rank]
            if person is None or (rank != rules.SALESPERSON and person == owner):
                continue  # a senior holder who is the account manager visits in that role already
            done = last_done.get((pk, rank, kind))
            if done is None:
                key = (rate, pk % modulus)
                n = contacts.get(key)
                if n is None:
                    n = contacts[key] = rules.planned_contacts(rate, month, pk)
            else:
                n = rules.planned_contacts(rate, month, pk, done)
            if n:
                wanted[person].append((pk, kind, rank, n))

    order_keys = {}
    for c in customers:
        order_keys[c["pk"]] = (c["territory_code"] or "", c["route"] or "", c["route_sequence"] or 0,
                               c["office_address"] or "", c["pk"])

    rows = []
    spreads: dict[tuple, list] = {}
    for person, items in wanted.items():
        ranked = sorted({item[0] for item in items}, key=order_keys.__getitem__)
        place = {pk: i for i, pk in enumerate(ranked)}
        for pk, kind, rank, n in items:
            position = place[pk] * 1000 // max(1, len(ranked))
            dates = spreads.get((n, position))
            if dates is None:
                dates = spreads[(n, position)] = rules.spread(n, days, position)
            cls = classes.get(pk, "C")
            base = rules.RANK_SEQUENCE_BASE[rank]
            for seq, day in enumerate(dates, start=1):
                rows.append({"customer": pk, "person": person, "kind": kind, "purpose": Purpose.SALES, "rank": rank,
                             "sequence": base + seq, "planned_date": day, "class": cls})
    for pk, day in collection.items():
        c = by_id.get(pk)
        if c is None:
            continue
        rows.append({"customer": pk, "person": c["account_manager_id"], "kind": rules.VISIT,
                     "purpose": Purpose.COLLECTION, "rank": rules.SALESPERSON,
                     "sequence": rules.COLLECTION_SEQUENCE, "planned_date": day,
                     "class": classes.get(pk, "C")})

    # Day routes: each person's visits of a day, nearest neighbour where coordinates exist.
    points = {}
    for c in customers:
        points[c["pk"]] = ((float(c["latitude"]), float(c["longitude"]))
                           if c["latitude"] is not None and c["longitude"] is not None else None)
    per_day: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if row["kind"] == rules.VISIT:
            per_day[(row["person"], row["planned_date"])].append(row)
    for day_rows in per_day.values():
        stops = [(i, order_keys[row["customer"]], points[row["customer"]]) for i, row in enumerate(day_rows)]
        for order, i in enumerate(rules.day_route(stops), start=1):
            day_rows[i]["route_order"] = order
    return rows


def generate_plan(month: datetime.date, *, actor=None, person_ids=None, progress=None) -> PlanResult:
    """Write the plan of the month; person_ids limits it to those account managers' customers."""
    result = PlanResult(month=month.strftime("%Y-%m"))
    days = rules.working_days(month)
    customers_qs = Customer.objects.filter(is_active=True, account_manager__isnull=False)
    if person_ids is not None:
        customers_qs = customers_qs.filter(account_manager__in=list(person_ids))
    customers = list(customers_qs.values("pk", "account_manager_id", "importance", "route", "route_sequence",
                                         "office_address", "latitude", "longitude", territory_code=_territory()))
    result.customers = len(customers)
    classes = classes_for([c["pk"] for c in customers], {c["pk"]: c["importance"] for c in customers})
    team_manager = dict(Profile.objects.filter(team__manager__isnull=False).values_list("user_id",
                                                                                        "team__manager_id"))
    collection = _collection_dates({c["pk"] for c in customers}, month, days)
    rates = policy_rates()
    senior = senior_assignment([c["pk"] for c in customers], senior_holders())
    last_done = _last_done(month, rates, person_ids)
    rows = build_plan(month, customers, classes, rates, team_manager, collection, senior, last_done)

    persons = sorted({r["person"] for r in rows})
    result.persons = len(persons)
    for r in rows:
        if r["purpose"] == Purpose.COLLECTION:
            result.collection_visits += 1
        elif r["kind"] == rules.VISIT:
            result.visits += 1
        else:
            result.calls += 1
        if r["rank"] in rules.LEVEL_RANKS:
            result.level_follow_ups += 1
        result.by_class[r["class"]] = result.by_class.get(r["class"], 0) + 1
    result.by_class = dict(sorted(result.by_class.items()))

    by_person: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_person[r["person"]].append(r)
    scope = Q(plan_month=month)
    if person_ids is not None:
        scope &= Q(customer__account_manager__in=list(person_ids))
    with transaction.atomic():
        existing = defaultdict(dict)
        for pk, customer, person, kind, seq, status, day, order, rank in (
                Visit.objects.filter(scope).values_list("pk", "customer_id", "person_id", "kind", "sequence",
                                                        "status", "planned_date", "route_order", "rank")
                .iterator(5000)):
            existing[person][(customer, kind, seq)] = (pk, status, day, order, rank)
        all_persons = sorted(set(persons) | set(existing))
        to_create, to_move, to_delete = [], [], []
        for done, person in enumerate(all_persons, start=1):
            have = existing.get(person, {})
            seen = set()
            for r in by_person.get(person, []):
                key = (r["customer"], r["kind"], r["sequence"])
                seen.add(key)
                old = have.get(key)
                if old is None:
                    to_create.append(r)
                elif old[1] != Status.PLANNED:
                    result.kept_recorded += 1
                elif (old[2], old[3], old[4]) != (r["planned_date"], r.get("route_order"), r["rank"]):
                    to_move.append(Visit(pk=old[0], planned_date=r["planned_date"], route_order=r.get("route_order"),
                                         customer_class=r["class"], rank=r["rank"]))
                else:
                    result.unchanged += 1
            to_delete.extend(v[0] for k, v in have.items() if k not in seen and v[1] == Status.PLANNED)
            if progress:
                progress(done, len(all_persons))
        _create(to_create, month)
        Visit.objects.bulk_update(to_move, ["planned_date", "route_order", "customer_class", "rank"],
                                  batch_size=BATCH)
        for start in range(0, len(to_delete), BATCH):
            Visit.objects.filter(pk__in=to_delete[start:start + BATCH]).delete()
        result.created, result.moved, result.removed = len(to_create), len(to_move), len(to_delete)
        audit.record(actor, AuditEntry.Action.CREATE, object_type="visits.plan", object_id=result.month,
                     object_repr=f"visit plan {result.month}", after=result.as_dict())
        if connection.vendor == "postgresql" and len(to_create) >= ANALYZE_AFTER:
            # A month's first plan adds as many rows as the table may have held before; without fresh statistics
            # (autovacuum off, or not yet round) the next plan for one person reads every row of the month.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Visit._meta.db_table)}")
    return result


# The columns a planned row sets; every other column of Visit gets its field default (as Visit(...) would).
_PLAN_COLUMNS = ("customer_id", "person_id", "kind", "purpose", "rank", "sequence", "planned_date", "route_order",
                 "customer_class")


def _create(rows: list[dict], month: datetime.date) -> None:
    """Insert new planned rows as Visit(...) + bulk_create(ignore_conflicts=True) would, without a model instance
    and the ORM's per-value compiling: executemany INSERT OR IGNORE on SQLite; on PostgreSQL COPY into a
    temporary table, then INSERT ... ON CONFLICT DO NOTHING from it. Other databases: bulk_create."""
    if not rows:
        return
    if connection.vendor not in ("sqlite", "postgresql"):
        Visit.objects.bulk_create([Visit(customer_id=r["customer"], person_id=r["person"], kind=r["kind"],
                                         purpose=r["purpose"], rank=r["rank"], status=Status.PLANNED,
                                         plan_month=month, sequence=r["sequence"], planned_date=r["planned_date"],
                                         route_order=r.get("route_order"), customer_class=r["class"],
                                         recorded_by="plan") for r in rows], batch_size=BATCH, ignore_conflicts=True)
        return
    now = timezone.now()
    fixed = {"status": Status.PLANNED, "plan_month": month, "recorded_by": "plan"}
    fields = {f.attname: f for f in Visit._meta.concrete_fields if not f.primary_key}
    constants = {}
    for name, f in fields.items():
        if name in _PLAN_COLUMNS:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        else:
            value = fixed.get(name, f.get_default())
        constants[name] = f.get_db_prep_save(value, connection)
    date_field = fields["planned_date"]
    dates = {}
    for r in rows:
        if r["planned_date"] not in dates:
            dates[r["planned_date"]] = date_field.get_db_prep_save(r["planned_date"], connection)
    columns = list(_PLAN_COLUMNS) + list(constants)
    tail = tuple(constants.values())
    values = [(r["customer"], r["person"], str(r["kind"]), str(r["purpose"]), str(r["rank"]), r["sequence"],
               dates[r["planned_date"]], r.get("route_order"), r["class"]) + tail for r in rows]
    table = connection.ops.quote_name(Visit._meta.db_table)
    names = ", ".join(connection.ops.quote_name(fields[c].column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" or not hasattr(cursor.cursor, "copy"):  # SQLite, or psycopg 2
            marks = ", ".join(["%s"] * len(columns))
            insert = "INSERT OR IGNORE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
            conflict = "" if connection.vendor == "sqlite" else " ON CONFLICT DO NOTHING"
            cursor.executemany(f"{insert} {table} ({names}) VALUES ({marks}){conflict}", values)
            return
        temp = connection.ops.quote_name("visit_plan_new")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY {temp} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {temp} ON CONFLICT DO NOTHING")
        cursor.execute(f"DROP TABLE {temp}")


def senior_holders() -> dict[str, list[int]]:
    """{rank: [user ids]} of the marketing directors and GM/VPs (see the module docstring)."""
    holders: dict[str, list[int]] = defaultdict(list)
    for user_id, rank in RankHolder.objects.filter(user__is_active=True).values_list("user_id", "rank"):
        holders[rank].append(user_id)
    if not holders.get(rules.EXECUTIVE):
        holders[rules.EXECUTIVE] = list(get_user_model().objects.filter(
            is_active=True, profile__role=Role.EXECUTIVE).values_list("pk", flat=True))
    return dict(holders)


def senior_assignment(customer_ids: list[int], holders: dict[str, list[int]]) -> dict[str, dict[int, int]]:
    """{rank: {customer id: holder}}: each customer goes to one holder of the rank among those who may see it
    (a holder whose role sees every customer takes part for all; others only for their scope)."""
    users = {u.pk: u for u in get_user_model().objects.filter(
        pk__in=[u for us in holders.values() for u in us]).select_related("profile")}
    visible: dict[int, set | None] = {}
    for pk, user in users.items():
        if scope_of(user) == ALL:
            visible[pk] = None
        else:
            visible[pk] = set(Customer.objects.filter(customer_q(user)).values_list("pk", flat=True))
    out: dict[str, dict[int, int]] = {}
    for rank, members in holders.items():
        members = [u for u in members if u in visible]
        if not members:
            continue
        if all(visible[u] is None for u in members):
            out[rank] = {pk: rules.pick_holder(members, pk) for pk in customer_ids}
            continue
        chosen = {}
        for pk in customer_ids:
            holder = rules.pick_holder([u for u in members if visible[u] is None or pk in visible[u]], pk)
            if holder is not None:
                chosen[pk] = holder
        out[rank] = chosen
    return out


def _last_done(month: datetime.date, rates: dict, person_ids=None) -> dict[tuple, datetime.date]:
    """{(customer, rank, kind): last done date} over the longest policy interval ending with the month."""
    longest = max([rules.interval_months(r) or 1 for r in rates.values()] or [1])
    end = rules.add_months(month, 1) - datetime.timedelta(days=1)
    done = Visit.objects.filter(status=Status.DONE, kind__in=rules.POLICY_KINDS,
                                done_date__gte=rules.interval_window_start(month, longest), done_date__lte=end)
    if person_ids is not None:
        done = done.filter(customer__account_manager__in=list(person_ids))
    return {(c, rank, kind): last for c, rank, kind, last in (
        done.values("customer_id", "rank", "kind").annotate(last=Max("done_date"))
        .values_list("customer_id", "rank", "kind", "last").iterator(5000))}


def _territory():
    from django.db.models import F

    return F("territory__code")
