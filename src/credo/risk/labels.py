"""Words for the codes the risk rules use: completeness items and rule conditions (shown with the working)."""

from django.utils.translation import gettext_lazy as _

COMPLETENESS = {
    "credit_code": _("Unified social credit code"),
    "legal_representative": _("Legal representative"),
    "address": _("Registered or office address"),
    "phone": _("Phone"),
    "industry": _("Industry"),
    "founded_on": _("Founding date"),
    "registered_capital": _("Registered capital"),
    "business_scope": _("Business scope"),
    "contact": _("A contact person"),
    "decision_contact": _("The decision maker or payer among the contacts"),
    "bank_account": _("Current bank account"),
    "financial_statement": _("A financial statement"),
    "investigation": _("A completed credit investigation"),
}

CONDITIONS = {
    "risk_level": _("risk level"),
    "importance": _("importance"),
    "sales_class": _("sales class"),
    "annual_sales_from": _("annual sales from ¥"),
    "annual_sales_below": _("annual sales below ¥"),
    "completeness_from": _("information completeness from"),
    "completeness_below": _("information completeness below"),
}
