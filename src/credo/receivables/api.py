"""REST endpoints of receivables (read only). Scoped like the pages: a salesperson sees their customers."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from credo.core.api_inputs import InputSchema, Limit, Offset
from credo.core.clock import business_today
from credo.core.errors import ValidationError
from credo.core.roles import has_perm

from . import queries

router = Router()


class AgingParams(InputSchema):
    as_of: datetime.date | None = None
    group: str = "customer"
    territory: int | None = None
    manager: int | None = None
    customer: int | None = None
    sort: str = "overdue"
    limit: Limit(1000) = queries.PAGE_SIZE
    offset: Offset = 0


class AgingRowOut(Schema):
    key: int | None
    code: str
    name: str
    buckets: dict[str, str]
    total: str
    overdue: str
    opportunity_cost: str


class AgingOut(Schema):
    as_of: datetime.date
    group: str
    buckets: list[str]
    policy: dict
    count: int
    offset: int
    limit: int
    rows: list[AgingRowOut]
    totals: dict[str, str]


def _money(value) -> str:
    return f"{value:.2f}"


@router.get("/aging", response=AgingOut, summary="Aging of receivables as of a date")
def aging(request, params: Query[AgingParams]):
    """Open amounts per bucket (labels follow the configured buckets), one page of rows worst first, and
    the totals over every row within the user's scope and the filters. Amounts are strings with 2 decimals."""
    if not has_perm(request.user, "receivables.view"):
        raise PermissionDenied(_("You may not view receivables."))
    errors = {}
    if params.group not in queries.GROUPS:
        errors["group"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(queries.GROUPS)}]
    if params.sort not in queries.SORTS:
        errors["sort"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(queries.SORTS)}]
    if errors:
        raise ValidationError(errors)
    flt = queries.AgingFilter(as_of=params.as_of or business_today(), territory=params.territory,
                              manager=params.manager, customer=params.customer, group=params.group, sort=params.sort)
    result = queries.aging(request.user, flt, limit=params.limit, offset=params.offset)
    return {
        "as_of": result.as_of, "group": result.group, "buckets": result.labels, "policy": result.policy,
        "count": result.count, "offset": result.offset, "limit": result.limit,
        "rows": [{"key": r.key, "code": r.code, "name": r.name,
                  "buckets": {k: _money(v) for k, v in r.buckets.items()}, "total": _money(r.total),
                  "overdue": _money(r.overdue), "opportunity_cost": _money(r.opportunity_cost)} for r in result.rows],
        "totals": {k: _money(v) for k, v in result.totals.items()},
    }
