"""Home-page panels of the customer file (registered in apps.py)."""

import datetime

from credo.core.clock import business_today
from credo.core.roles import Role, role_of

from .queries import visible_contacts

BIRTHDAY_DAYS = 14


def upcoming_birthdays(user, today: datetime.date | None = None, days: int = BIRTHDAY_DAYS):
    """Contacts of the user's customers whose birthday falls in the next `days` days (caring follow-up)."""
    today = today or business_today()
    dates = [today + datetime.timedelta(days=i) for i in range(days)]
    contacts = list(
        visible_contacts(user).filter(birthday_md__in=[d.strftime("%m%d") for d in dates], is_active=True,
                                      customer__is_active=True)
        .select_related("customer")[:200]
    )
    order = {(d.month, d.day): i for i, d in enumerate(dates)}
    for contact in contacts:
        contact.days_until = order[(contact.birthday.month, contact.birthday.day)]
        contact.next_birthday = dates[contact.days_until]
    return sorted(contacts, key=lambda c: (c.days_until, c.name))[:20]


def birthdays_panel(user):
    if role_of(user) not in (Role.SALESPERSON, Role.SALES_MANAGER):
        return None
    return {"template": "customers/panels/birthdays.html", "contacts": upcoming_birthdays(user),
            "days": BIRTHDAY_DAYS}
