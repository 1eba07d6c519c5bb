"""Links into the customer analysis from other apps' pages (shown only to users who may view it)."""

from django import template

from credo.core.roles import has_perm

register = template.Library()


@register.inclusion_tag("analysis/_customer_mix_link_tag.html", takes_context=True)
def customer_mix_link(context, customer):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"customer": customer, "show": user is not None and has_perm(user, "analysis.view")}
