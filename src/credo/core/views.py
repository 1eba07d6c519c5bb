from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .auth import ThrottledLoginFormMixin
from .home import home_context


class LockoutAuthenticationForm(ThrottledLoginFormMixin, AuthenticationForm):
    pass


class CredoLoginView(LoginView):
    template_name = "core/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@login_required
def home(request):
    return render(request, "core/home.html", home_context(request.user))


@login_required
def protected_media(request, path):
    """Attachments are served only to users who may see their customer."""
    from credo.customers.models import Attachment
    from credo.customers.queries import visible_customers

    attachment = Attachment.objects.filter(file=path, customer__in=visible_customers(request.user)).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1])


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
