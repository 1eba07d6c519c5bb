"""Demo data for SERVQUAL campaigns: one campaign of last quarter, analysed, and one open now, each with links
to the demo contacts and answers given through those links (and a few entered from paper or phone) — all through
the services, as the system itself would have written them. Reliability and responsiveness fall short of what
customers expect more than tangibles do, and the current quarter is a little better than the last.
Idempotent: nothing is added when a campaign exists already."""

import datetime
import random

from django.contrib.auth import get_user_model

from credo.core.clock import business_today
from credo.core.roles import Role

from . import campaign_services as services
from . import rules
from .models import Campaign, Item

# How far perception falls below expectation per dimension, on average (last quarter; this quarter a bit less).
SHORTFALL = {"tangibles": 0.3, "reliability": 1.4, "responsiveness": 1.1, "assurance": 0.6, "empathy": 0.9}
LAST_ANSWERS, NOW_ANSWERS, PAPER_ANSWERS = 160, 70, 8


def _quarter_start(day: datetime.date) -> datetime.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _scores(rng, keys: dict[str, str], better: float) -> dict:
    scores = {}
    for key, dimension in keys.items():
        if rng.random() < 0.08:           # left out
            continue
        e = min(7, max(1, round(rng.gauss(6.0, 0.7))))
        p = min(7, max(1, round(e - rng.gauss(SHORTFALL[dimension] - better, 0.9))))
        scores[key] = (e, p if rng.random() > 0.03 else None)
    return scores or {"T1": (6, 5)}


def _answer(rng, campaign, issued, count, better, user, customers):
    keys = {i.key: i.dimension.code for i in Item.objects.filter(dimension__version_id=campaign.version_id)
            .select_related("dimension")}
    chosen = rng.sample(issued, min(count, len(issued)))
    for row in chosen:
        services.answer_by_token(row.token, _scores(rng, keys, better))
    for customer in rng.sample(customers, min(PAPER_ANSWERS, len(customers))):
        services.enter_answer(user, campaign, customer=customer, channel=rng.choice(("paper", "phone")),
                              scores=_scores(rng, keys, better))
    return len(chosen) + min(PAPER_ANSWERS, len(customers))


def generate(*, seed: int = 13, today: datetime.date | None = None) -> int:
    """The two campaigns; returns the number of answers written (0 when campaigns exist already)."""
    agent = get_user_model().objects.filter(is_active=True, profile__role=Role.SERVICE_AGENT).order_by("pk").first()
    if agent is None or Campaign.objects.exists():
        return 0
    rng = random.Random(seed)
    today = today or business_today()
    this_quarter = _quarter_start(today)
    last_quarter = _quarter_start(this_quarter - datetime.timedelta(days=1))
    written = 0
    for name, start, end, count, better, anonymous, final in (
            ("上季度客户服务质量调查", last_quarter, this_quarter - datetime.timedelta(days=1), LAST_ANSWERS, 0.0,
             False, "analysed"),
            ("本季度客户服务质量调查（匿名）", this_quarter, _quarter_start(this_quarter + datetime.timedelta(days=95))
             - datetime.timedelta(days=1), NOW_ANSWERS, 0.3, True, "open")):
        campaign = services.create_campaign(agent, name=name, period_start=start, period_end=end, link_days=30,
                                            anonymous=anonymous)
        campaign = services.transition(agent, campaign, "open")
        issued = services.distribute(agent, campaign)
        customers = sorted({row.link.customer_id for row in issued})
        written += _answer(rng, campaign, issued, count, better, agent, customers)
        for to in ("closed", "analysed"):
            if campaign.status == final:
                break
            campaign = services.transition(agent, campaign, to)
    return written


assert set(SHORTFALL) == set(rules.DIMENSIONS)
