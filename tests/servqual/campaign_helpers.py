"""Shared set-up of the campaign tests: a World with contacts, an open campaign and its links."""

import datetime

from credo.core.clock import business_today
from credo.servqual import campaign_services as services
from tests.factories import ContactFactory


def contacts(world):
    """Two contacts of E001 (territory SH, sales_east), one of E002 (sales_east2), one of N001 (sales_north)."""
    return {"east_a": ContactFactory(customer=world.east_customer, name="王经理", email="wang@example.com"),
            "east_b": ContactFactory(customer=world.east_customer, name="李工"),
            "east2": ContactFactory(customer=world.east2_customer, name="赵总"),
            "north": ContactFactory(customer=world.north_customer, name="孙主任")}


def campaign(world, *, anonymous=False, status="open", name="2026 Q2 服务质量调查", days=14, start=None):
    start = start or business_today()
    made = services.create_campaign(world.service, name=name, period_start=start,
                                    period_end=start + datetime.timedelta(days=30), link_days=days,
                                    anonymous=anonymous)
    for to in ("open", "closed", "analysed"):
        if made.status == status:
            break
        made = services.transition(world.service, made, to)
    return made


def tokens(issued) -> dict[int, str]:
    """{contact id: token} of issued links."""
    return {row.link.contact_id: row.token for row in issued}
