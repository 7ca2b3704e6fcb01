"""The two-factor pages under /accounts/: the login's two steps, setting up an app, the recovery
codes and removing it. The rules are in twofactor.py; who must pass it, in SecondFactorMiddleware."""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from . import twofactor
from .forms import LoginForm, SecondFactorForm, SecondFactorSetupForm


class LoginView(auth_views.LoginView):
    """The password step. Someone with a second factor is not logged in yet: the code step
    follows. Someone who must have one and has none is logged in and kept on the setup page
    (SecondFactorMiddleware) until it is done."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        if getattr(form, "second_factor_follows", False):
            twofactor.pending_start(self.request, form.get_user(), redirect_to=self.get_success_url())
            return redirect("login_code")
        return super().form_valid(form)


def _safe_next(request, url):
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


@sensitive_post_parameters("code")
@never_cache
def login_code(request):
    """The code step: for a pending sign-in (a good password), or a session logged in some other
    way that has not passed the second factor yet (SecondFactorMiddleware sends it here)."""
    user = twofactor.pending_user(request)
    next_url = twofactor.pending_next(request)
    if user is None and request.user.is_authenticated and not twofactor.session_verified(request):
        if not twofactor.has_device(request.user):
            return redirect("twofactor_setup")
        user, next_url = request.user, _safe_next(request, request.GET.get("next", ""))
    if user is None:
        return redirect("ambassadors:landing" if request.user.is_authenticated else "login")
    form = SecondFactorForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        twofactor.sign_in(request, user, form.device)
        return redirect(next_url or "ambassadors:landing")
    return render(request, "accounts/login_code.html", {"form": form, "next": next_url})


@login_required
@sensitive_post_parameters("code")
@never_cache
def setup(request):
    """Set up an app: its QR code and secret, confirmed with a code; then the recovery codes, once."""
    if twofactor.has_device(request.user):
        return redirect("twofactor")
    device = twofactor.setup_device(request)
    form = SecondFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.setup_confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            next_url = _safe_next(request, request.GET.get("next", ""))
            return render(request, "accounts/twofactor_codes.html", {"codes": codes, "next": next_url, "new": True})
        form.add_error("code", _("El código no es válido. Revise la hora del teléfono e inténtelo con el siguiente."))
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "required": twofactor.required_for(request.user),
    }
    return render(request, "accounts/twofactor_setup.html", context)


@login_required
@require_GET
@never_cache
def manage(request):
    """The person's second factor: whether it is on, the recovery codes left, new ones, removing it."""
    context = {
        "active": twofactor.has_device(request.user),
        "codes_left": twofactor.recovery_codes_left(request.user),
        "required": twofactor.required_for(request.user),
    }
    return render(request, "accounts/twofactor.html", context)


@login_required
@require_POST
@never_cache
def recovery_codes(request):
    """New recovery codes, shown once; the old ones stop working."""
    if not twofactor.has_device(request.user):
        return redirect("twofactor_setup")
    codes = twofactor.recovery_codes_renew(request.user)
    return render(request, "accounts/twofactor_codes.html", {"codes": codes, "new": False})


@login_required
@require_POST
def remove(request):
    """Turn the second factor off: only for whom it is optional (an ambassador)."""
    if twofactor.required_for(request.user):
        return HttpResponseForbidden(_("Su función requiere la verificación en dos pasos."))
    twofactor.remove(request.user)
    messages.success(request, _("La verificación en dos pasos está desactivada."))
    return redirect("twofactor")


def admin_login(request, extra_context=None):
    """The admin site's login (AdminSite.login) is the site's, with its two steps."""
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"), reverse("login"))


def admin_has_permission(request):
    """The admin site opens for active staff whose session has passed the second factor
    (SecondFactorMiddleware already keeps any other staff session on the code or setup page)."""
    return request.user.is_active and request.user.is_staff and twofactor.session_verified(request)
