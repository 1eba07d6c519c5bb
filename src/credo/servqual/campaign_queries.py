"""Reads of SERVQUAL campaigns: the list, the links of a campaign with their state, and the results — scored
by servqual.rules over the answers of the customers in the user's scope (a salesperson: their own customers).

Results are Reports (credo.analysis.queries) so the page, the Excel workbook and the API show the same figures:
the summary (respondents, unweighted and weighted score, the change against the previous analysed campaign),
the dimensions (E and P side by side, the gap; a radar chart of E and P), the items (weakest first; gaps as
bars), and the scores per class, territory and (not for anonymous campaigns) customer.
"""

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from credo.analysis.queries import AnalysisFilter, Column, Report, class_provider
from credo.core.clock import business_now
from credo.core.scopes import customer_q, limit_to_scope
from credo.customers.models import Customer

from . import rules, services
from .models import Campaign, CampaignStatus, Response, ResponseItem, SurveyLink


def campaigns(user):
    """Every campaign with its link and answer counts (the answers in the user's scope)."""
    return Campaign.objects.annotate(
        link_count=Count("links", filter=Q(customer_q(user, "links__customer__")), distinct=True),
        answer_count=Count("responses", filter=Q(customer_q(user, "responses__customer__")), distinct=True),
    ).order_by("-period_start", "-pk")


def visible_campaign(user, pk) -> Campaign:
    """The campaign (every role sees the campaigns; the answers and links are scoped); Http404 when none."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Campaign.objects.select_related("version"), pk=pk)


def links(user, campaign):
    """The campaign's links in scope with their state: sent, answered or expired."""
    now = business_now()
    rows = []
    for link in limit_to_scope(SurveyLink.objects.filter(campaign=campaign), user, "customer__") \
            .select_related("customer", "contact").order_by("customer__code", "contact__name", "pk"):
        state = "answered" if link.used_at else ("expired" if link.expires_at <= now else "sent")
        rows.append({"link": link, "state": state})
    return rows


def link_counts(rows) -> dict[str, int]:
    counts = {"sent": 0, "answered": 0, "expired": 0}
    for row in rows:
        counts[row["state"]] += 1
    return counts


# --- results -------------------------------------------------------------------------------------------------

def _answers(user, campaign) -> list[tuple[int, int, rules.Answer]]:
    """(customer id, territory id, Answer) of every score in the user's scope; the respondent is the response."""
    rows = ResponseItem.objects.filter(customer_q(user, "response__customer__"), response__campaign=campaign) \
        .values_list("response_id", "response__customer_id", "response__customer__territory_id",
                     "item__dimension__code", "item__key", "expectation", "perception")
    return [(customer, territory, rules.Answer(str(response), dimension, key, e, p))
            for response, customer, territory, dimension, key, e, p in rows]


def score_of(user, campaign) -> rules.Score:
    return rules.score([a for _c, _t, a in _answers(user, campaign)], services.weights_of(campaign.version))


def previous_campaign(campaign) -> Campaign | None:
    """The latest analysed campaign whose period ended before this one's started."""
    return Campaign.objects.filter(status=CampaignStatus.ANALYSED, period_end__lt=campaign.period_start) \
        .exclude(pk=campaign.pk).order_by("-period_end", "-pk").first()


def _dec(value: Fraction | None) -> Decimal | None:
    return None if value is None else Decimal(rules.shown(value))


def _change(now: Fraction | None, before: Fraction | None) -> Decimal | None:
    return None if now is None or before is None else _dec(now - before)


def dimension_means(result: rules.Score) -> dict[str, tuple[Fraction | None, Fraction | None]]:
    """{dimension: (mean E, mean P)} — the mean of its items' means, like the dimension gap."""
    out = {}
    for dim in rules.DIMENSIONS:
        items = [i for i in result.items if i.dimension == dim]
        if items:
            out[dim] = (sum((i.expectation for i in items), Fraction(0)) / len(items),
                        sum((i.perception for i in items), Fraction(0)) / len(items))
        else:
            out[dim] = (None, None)
    return out


def _summary(result, previous_result, previous) -> Report:
    columns = [Column("figure", _("Figure")), Column("value", _("This campaign"), "score"),
               Column("previous", _("Previous campaign"), "score"), Column("change", _("Change"), "score")]
    rows = []
    for key, title in (("unweighted", _("Unweighted SERVQUAL score")), ("weighted", _("Weighted SERVQUAL score"))):
        now_value = getattr(result, key)
        before = getattr(previous_result, key) if previous_result else None
        rows.append({"figure": title, "value": _dec(now_value), "previous": _dec(before),
                     "change": _change(now_value, before)})
    note = (_("Previous campaign: %(name)s (%(start)s – %(end)s), %(n)s respondents.") % {
        "name": previous.name, "start": previous.period_start, "end": previous.period_end,
        "n": previous_result.respondents}) if previous else _("No earlier analysed campaign to compare with.")
    note = _("%(n)s respondents.") % {"n": result.respondents} + " " + note
    return Report("summary", _("SERVQUAL scores"), columns, rows, note=note)


def _dimensions(result, previous_result) -> Report:
    weights = result.weights
    means = dimension_means(result)
    columns = [Column("dimension", _("Dimension")), Column("weight", _("Weight"), "score"),
               Column("expectation", _("Expectation (E)"), "score"), Column("perception", _("Perception (P)"), "score"),
               Column("gap", _("Gap (P − E)"), "score"), Column("change", _("Change against the previous"), "score")]
    rows = []
    for dim in rules.DIMENSIONS:
        gap = result.dimensions[dim]
        before = previous_result.dimensions.get(dim) if previous_result else None
        rows.append({"dimension": services.dimension_label(dim), "weight": weights.get(dim),
                     "expectation": _dec(means[dim][0]), "perception": _dec(means[dim][1]), "gap": _dec(gap),
                     "change": _change(gap, before)})
    labels = [services.dimension_label(d) for d in rules.DIMENSIONS]
    chart = {
        "tooltip": {}, "legend": {"data": [_("Expectation (E)"), _("Perception (P)")], "bottom": 0},
        "radar": {"indicator": [{"name": label, "max": 7, "min": 0} for label in labels], "radius": "62%"},
        "series": [{"type": "radar", "data": [
            {"name": _("Expectation (E)"), "value": [_float(r["expectation"]) for r in rows]},
            {"name": _("Perception (P)"), "value": [_float(r["perception"]) for r in rows]}]}],
    }
    return Report("dimensions", _("Dimensions: expectation and perception"), columns, rows, chart=chart,
                  chart_height=340)


def _float(value):
    return None if value is None else float(value)


def _items(result, campaign) -> Report:
    texts = {i.key: i.text for i in services_items(campaign)}
    columns = [Column("key", _("Item")), Column("dimension", _("Dimension")), Column("text", _("Question")),
               Column("respondents", _("Respondents"), "int"), Column("expectation", _("Expectation (E)"), "score"),
               Column("perception", _("Perception (P)"), "score"), Column("gap", _("Gap (P − E)"), "score")]
    weakest = sorted(result.items, key=lambda i: (i.gap, rules.DIMENSIONS.index(i.dimension), i.item))
    rows = [{"key": i.item, "dimension": services.dimension_label(i.dimension), "text": texts.get(i.item, ""),
             "respondents": i.respondents, "expectation": _dec(i.expectation), "perception": _dec(i.perception),
             "gap": _dec(i.gap)} for i in weakest]
    chart = {"tooltip": {}, "grid": {"left": 40, "right": 10, "top": 10, "bottom": 30},
             "xAxis": {"type": "category", "data": [r["key"] for r in rows]}, "yAxis": {"type": "value"},
             "series": [{"type": "bar", "name": _("Gap (P − E)"), "data": [_float(r["gap"]) for r in rows]}]}
    return Report("items", _("Items, weakest first"), columns, rows, chart=chart)


def services_items(campaign):
    from .models import Item

    return Item.objects.filter(dimension__version_id=campaign.version_id)


def _groups(name, title, group_title, answers, labels, weights) -> Report:
    grouped = defaultdict(list)
    for key, answer in answers:
        grouped[key].append(answer)
    columns = [Column("group", group_title), Column("respondents", _("Respondents"), "int"),
               *[Column(d, services.dimension_label(d), "score") for d in rules.DIMENSIONS],
               Column("unweighted", _("Unweighted"), "score"), Column("weighted", _("Weighted"), "score")]
    rows = []
    for key, group in grouped.items():
        result = rules.score(group, weights)
        rows.append({"group": labels.get(key) or _("(none)"), "respondents": result.respondents,
                     **{d: _dec(g) for d, g in result.dimensions.items()},
                     "unweighted": _dec(result.unweighted), "weighted": _dec(result.weighted)})
    rows.sort(key=lambda r: (r["unweighted"] is None, r["unweighted"] or 0, r["group"]))
    return Report(name, title, columns, rows)


def results(user, campaign) -> list[Report]:
    """The result sections of a campaign (see the module's docstring)."""
    from credo.core.models import Territory

    weights = services.weights_of(campaign.version)
    answers = _answers(user, campaign)
    result = rules.score([a for _c, _t, a in answers], weights)
    previous = previous_campaign(campaign)
    previous_result = score_of(user, previous) if previous else None
    sections = [_summary(result, previous_result, previous), _dimensions(result, previous_result),
                _items(result, campaign)]
    customer_ids = sorted({c for c, _t, _a in answers})
    provider = class_provider()
    if provider is not None:
        classes = provider(customer_ids)
        sections.append(_groups("classes", _("By customer class"), _("Class"),
                                [(str(classes.get(c, "")), a) for c, _t, a in answers],
                                {k: k for k in set(map(str, classes.values()))}, weights))
    territories = dict(Territory.objects.values_list("pk", "name"))
    sections.append(_groups("territories", _("By territory"), _("Territory"),
                            [(t, a) for _c, t, a in answers], territories, weights))
    if not campaign.anonymous:
        names = {pk: f"{code} {name}" for pk, code, name in
                 Customer.objects.filter(pk__in=customer_ids).values_list("pk", "code", "name")}
        sections.append(_groups("customers", _("By customer"), _("Customer"),
                                [(c, a) for c, _t, a in answers], names, weights))
    return sections


def report_filter(campaign) -> AnalysisFilter:
    """The filter the workbook prints: the campaign's period."""
    return AnalysisFilter(date_from=campaign.period_start, date_to=campaign.period_end)


def responses(user, campaign):
    return limit_to_scope(Response.objects.filter(campaign=campaign), user, "customer__")
