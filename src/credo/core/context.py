from django.utils.translation import gettext_lazy as _

from .roles import has_perm, role_of

# (group, [(label, url name, permission, icon)]) — later apps add their entries to NAVIGATION.
NAVIGATION = [
    (_("Customers"), [
        (_("Home"), "home", None, "home"),
        (_("Customer list"), "customers:list", "customer.view", "users"),
        (_("New customer"), "customers:create", "customer.create", "user-plus"),
        (_("Import customers"), "customers:import", "customer.import", "file-import"),
    ]),
    (_("Receivables"), [
        (_("Aging"), "receivables:aging", "receivables.view", "calendar-time"),
        (_("Overdue invoices"), "receivables:overdue", "receivables.view", "alert-triangle"),
        (_("Receivable figures"), "receivables:figures", "receivables.view", "chart-line"),
    ]),
    (_("Collection"), [
        (_("Collection cases"), "collection:list", "collection.view", "alert-octagon"),
    ]),
]


def add_navigation(navigation: list, group_label, entries: list) -> None:
    """Add entries to the menu group of that label, each once (another app may have created the group first)."""
    for label, items in navigation:
        if str(label) == str(group_label):
            items.extend(e for e in entries if e[1] not in {i[1] for i in items})
            return
    navigation.append((group_label, list(entries)))


# Groups that close the menu whatever the order in which the apps load (settings, administration).
NAVIGATION_LAST: list = []


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups = []
    for title, items in [*NAVIGATION, *NAVIGATION_LAST]:
        visible = [(label, name, icon) for label, name, perm, icon in items if perm is None or has_perm(user, perm)]
        if visible:
            groups.append((title, visible))
    return {"nav_groups": groups, "user_role": role_of(user)}
