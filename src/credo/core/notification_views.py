"""The notifications page: read them, open one (marks it read), mark some or all read; and the bell of the
top bar, fetched by htmx once the page is shown (so no page pays for it in its own queries)."""

from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import notifications
from .models import Notification

PAGE_SIZE = 50


def _safe(request, url: str, fallback: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return fallback


def notification_bell(request):
    """The bell with the unread count and the latest notifications (the fragment base.html loads)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)  # htmx swaps nothing
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    here = page.path + (f"?{page.query}" if page.query else "")
    return render(request, "core/_bell.html", {
        "bell": notifications.Bell(request.user),
        "bell_next": _safe(request, here, reverse("notifications")),
    })


@login_required
def notification_list(request):
    show = request.GET.get("show", "all")
    if show not in ("all", "unread"):
        show = "all"
    rows = Notification.objects.filter(user=request.user)
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {
        "page": page, "rows": list(page.object_list), "show": show,
        "unread_count": notifications.unread(request.user).count(),
    })


@login_required
def notification_open(request, pk):
    """Follow a notification's link; opening it marks it read."""
    row = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.mark_read(request.user, [row.pk])
    return redirect(_safe(request, row.url, reverse("notifications")))


@login_required
@require_POST
def notifications_mark_read(request):
    """Mark the posted ids read (field "id", repeatable), or all of them with all=1."""
    if request.POST.get("all") == "1":
        notifications.mark_read(request.user)
    else:
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
        notifications.mark_read(request.user, ids)
    return redirect(_safe(request, request.POST.get("next", ""), reverse("notifications")))
