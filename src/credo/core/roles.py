"""Roles and what each may do. Scopes (which customers) live in scopes.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALESPERSON = "salesperson", _("Salesperson")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    CREDIT_CONTROLLER = "credit_controller", _("Credit controller")
    FINANCE_CLERK = "finance_clerk", _("Finance clerk")
    SERVICE_AGENT = "service_agent", _("Service agent")
    EXECUTIVE = "executive", _("Executive")
    ADMINISTRATOR = "administrator", _("Administrator")


# Permissions are named business actions, checked by services (and by pages only to hide buttons).
PERMISSIONS: dict[str, set[str]] = {
    "customer.view": set(Role.values),
    "customer.create": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "customer.change": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "customer.delete": {Role.ADMINISTRATOR},
    "customer.reassign": {Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "customer.merge": {Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "customer.import": {Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "customer.export": set(Role.values),
    "customer.note": set(Role.values),
    "audit.view": {Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.EXECUTIVE, Role.ADMINISTRATOR},
    "receivables.view": {Role.FINANCE_CLERK, Role.CREDIT_CONTROLLER, Role.SALES_MANAGER, Role.SALESPERSON,
                         Role.EXECUTIVE, Role.ADMINISTRATOR},
    "ledger.view": set(Role.values),
    "ledger.post": {Role.FINANCE_CLERK, Role.ADMINISTRATOR},
    "ledger.track_delivery": {Role.FINANCE_CLERK, Role.SALESPERSON, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "ledger.write_off_request": {Role.FINANCE_CLERK, Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "ledger.write_off_approve": {Role.CREDIT_CONTROLLER, Role.EXECUTIVE, Role.ADMINISTRATOR},
    "collection.view": {Role.FINANCE_CLERK, Role.CREDIT_CONTROLLER, Role.SALES_MANAGER, Role.SALESPERSON,
                        Role.EXECUTIVE, Role.ADMINISTRATOR},
    "collection.act": {Role.FINANCE_CLERK, Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "collection.note": {Role.FINANCE_CLERK, Role.CREDIT_CONTROLLER, Role.SALES_MANAGER, Role.SALESPERSON,
                        Role.EXECUTIVE, Role.ADMINISTRATOR},
    "collection.dunning": {Role.FINANCE_CLERK, Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "credit.view": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.FINANCE_CLERK,
                    Role.EXECUTIVE, Role.ADMINISTRATOR},
    "credit.investigate": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "credit.rate": {Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "credit.compute_limit": {Role.CREDIT_CONTROLLER, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "credit.apply": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "credit.approve": {Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.EXECUTIVE, Role.ADMINISTRATOR},
    "credit.stop": {Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "risk.view": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.FINANCE_CLERK,
                  Role.EXECUTIVE, Role.ADMINISTRATOR},
    "risk.record": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.FINANCE_CLERK,
                    Role.ADMINISTRATOR},
    "classification.view": set(Role.values),
    "classification.run": {Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.EXECUTIVE, Role.ADMINISTRATOR},
    "classification.override": {Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "value.costs": {Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.FINANCE_CLERK, Role.SERVICE_AGENT,
                    Role.ADMINISTRATOR},
    "value.potential": {Role.SALESPERSON, Role.SALES_MANAGER, Role.EXECUTIVE, Role.ADMINISTRATOR},
    "value.rates": {Role.FINANCE_CLERK, Role.EXECUTIVE, Role.ADMINISTRATOR},
    "analysis.view": {Role.SALESPERSON, Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.FINANCE_CLERK,
                      Role.EXECUTIVE, Role.ADMINISTRATOR},
    "visits.view": set(Role.values),
    "visits.record": {Role.SALESPERSON, Role.SALES_MANAGER, Role.SERVICE_AGENT, Role.CREDIT_CONTROLLER,
                      Role.FINANCE_CLERK, Role.EXECUTIVE, Role.ADMINISTRATOR},  # executives: GM/VP visits
    "visits.plan": {Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "order.create": {Role.SALESPERSON, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "order.confirm": {Role.SALESPERSON, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "credit.policy": {Role.CREDIT_CONTROLLER, Role.ADMINISTRATOR},
    "worktime.view": set(Role.values),
    "worktime.manage": {Role.ADMINISTRATOR},
    "sla.view": set(Role.values),
    "sla.manage": {Role.ADMINISTRATOR},
    # Complaints: everybody reads those of the customers in their scope; a step's owner closes their own step
    # whatever their role; managing (owners, any step, pauses, reopens) is the service desk's and the managers'.
    "complaints.view": set(Role.values),
    "complaints.intake": {Role.SALESPERSON, Role.SALES_MANAGER, Role.SERVICE_AGENT, Role.ADMINISTRATOR},
    "complaints.manage": {Role.SERVICE_AGENT, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "complaints.settings": {Role.ADMINISTRATOR},
    "complaints.report": {Role.SALES_MANAGER, Role.SERVICE_AGENT, Role.EXECUTIVE, Role.ADMINISTRATOR},
    # Service desk: everyone who looks after customers sees their tickets and contracts (in their scope); service
    # agents work them (all customers: their scope is everybody); salespeople and managers may log a request
    # they hear about; contracts are made by the service desk and sales managers; agents keep the knowledge base.
    "servicedesk.view": {Role.SALESPERSON, Role.SALES_MANAGER, Role.SERVICE_AGENT, Role.EXECUTIVE,
                         Role.ADMINISTRATOR},
    "servicedesk.intake": {Role.SALESPERSON, Role.SALES_MANAGER, Role.SERVICE_AGENT, Role.ADMINISTRATOR},
    "servicedesk.manage": {Role.SERVICE_AGENT, Role.ADMINISTRATOR},
    "servicedesk.contract": {Role.SERVICE_AGENT, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "kb.view": set(Role.values),
    "kb.edit": {Role.SERVICE_AGENT, Role.ADMINISTRATOR},
    # Service improvement: everyone reads the actions and recoveries of their customers' complaints and the
    # promises; the service desk and managers run improvement actions (an action's owner starts and completes
    # it whatever their role) and record recoveries; administrators write the promises.
    "improvement.view": set(Role.values),
    "improvement.manage": {Role.SERVICE_AGENT, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "promises.edit": {Role.ADMINISTRATOR},
    "recovery.record": {Role.SERVICE_AGENT, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    # Claims (索赔): read in scope by everyone; recorded and submitted by the service desk and sales managers;
    # decided by a role the authority tier of the agreed amount names (credit.authority), never by the person who
    # recorded or submitted it; settled as a credit note by whoever posts to the ledger.
    "claims.view": set(Role.values),
    "claims.manage": {Role.SERVICE_AGENT, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    "claims.approve": {Role.SALES_MANAGER, Role.CREDIT_CONTROLLER, Role.EXECUTIVE, Role.ADMINISTRATOR},
    "claims.settle": {Role.FINANCE_CLERK, Role.ADMINISTRATOR},
    # SERVQUAL: everyone reads the instrument (dimensions, weights, items and their versions); administrators
    # change it (each save is a new version).
    "servqual.view": set(Role.values),
    "servqual.edit": {Role.ADMINISTRATOR},
    # SERVQUAL campaigns: service agents, sales managers and administrators run them (create, distribute links,
    # open, close, analyse) and enter paper or phone answers for the customers in their scope.
    "servqual.campaign": {Role.SERVICE_AGENT, Role.SALES_MANAGER, Role.ADMINISTRATOR},
    # Loyalty indicators from the ledger: everyone reads them for the customers in their scope; administrators
    # edit the loyalty-stage rules.
    "loyalty.view": set(Role.values),
    "loyalty.edit": {Role.ADMINISTRATOR},
}


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def has_perm(user, action: str) -> bool:
    role = role_of(user)
    return role is not None and role in PERMISSIONS.get(action, set())
