"""The public answer page /s/<token>/: no login, mobile first, Chinese unless the visitor chooses English. A
used, expired or closed link, or an unknown token, says so on a page of its own. Posts are limited per client
address (PUBLIC_LIMIT per PUBLIC_WINDOW_SECONDS), like the public complaint form."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from credo.core.lockout import client_address

from . import campaign_services as services
from . import queries
from .campaign_forms import AnswerForm

PUBLIC_LIMIT = getattr(settings, "SERVQUAL_PUBLIC_LIMIT", 30)
PUBLIC_WINDOW_SECONDS = getattr(settings, "SERVQUAL_PUBLIC_WINDOW", 3600)
DONE_KEY = "servqual_answered"


def _rate_key(request) -> str:
    return f"servqual:public:{client_address(request) or 'unknown'}"


def _over_limit(request) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= PUBLIC_LIMIT


def _count(request) -> None:
    key = _rate_key(request)
    if cache.add(key, 1, PUBLIC_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, PUBLIC_WINDOW_SECONDS)


def _unusable(request, reason: str, status: int):
    return render(request, "servqual/public_unusable.html", {"reason": reason}, status=status)


STATUS = {"unknown": 404, "used": 410, "expired": 410, "closed": 410}


@never_cache
def answer(request, token):
    link = services.find_link(token)
    state = services.link_state(link)
    if state != "open":
        if state == "used" and request.session.get(DONE_KEY) == link.pk:
            return render(request, "servqual/public_done.html")
        return _unusable(request, state, STATUS[state])
    campaign = link.campaign
    layout = queries.layout(campaign.version)
    items = [item for dimension in layout for item in dimension.items]
    form = AnswerForm(request.POST or None, items=items)
    status = 200
    if request.method == "POST":
        if _over_limit(request):
            return _unusable(request, "limit", 429)
        _count(request)
        if form.is_valid():
            try:
                services.answer_by_token(token, form.scores())
            except services.LinkUnusable as exc:
                return _unusable(request, exc.reason, STATUS[exc.reason])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                request.session[DONE_KEY] = link.pk
                return redirect("servqual_public:answer", token=token)
        status = 400
    rows = {row[0].key: row for row in form.rows()}
    groups = [(dimension.label, [rows[item.key] for item in dimension.items]) for dimension in layout]
    return render(request, "servqual/public_answer.html", {"campaign": campaign, "form": form, "groups": groups},
                  status=status)
