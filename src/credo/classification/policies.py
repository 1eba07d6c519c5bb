"""Default service policy per class (SPEC §2.2, from the seed); editable through ClassPolicy rows."""

from django.utils.translation import gettext_lazy as _

DEFAULT_POLICIES = {
    "A": _("Watch the customer's operations, finances and staffing for unusual changes; a dedicated salesperson; "
           "regular visits; complaints handled first."),
    "B": _("Routine visits by the salesperson; more service if orders do not grow."),
    "C": _("Less selling effort; look for “tomorrow's stars” that can grow into B."),
    "D": _("Minimal service."),
}


def policies() -> dict[str, str]:
    """{class: policy text}, the saved text where there is one, else the default."""
    from .models import ClassPolicy

    texts = {k: str(v) for k, v in DEFAULT_POLICIES.items()}
    texts.update(dict(ClassPolicy.objects.values_list("klass", "text")))
    return texts
