import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import access


class LockoutMixin:
    """Counts each login attempt before its password is checked (ambassadors/access.py), and
    refuses a locked-out username, or an address that must slow down, without checking it."""

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()  # nothing to check: the fields say what is missing
        address = access.client_address(self.request)
        trusted = access.login_device_trusted(self.request, username=username)
        refusal = access.login_attempt_claim(username=username, ip_address=address, trusted_device=trusted)
        if refusal and refusal.locked:
            raise ValidationError(
                _(
                    "Demasiados intentos fallidos. Por seguridad, el acceso está bloqueado durante "
                    "%(minutes)d minutos. Si lo necesita antes, pida a un administrador que lo desbloquee."
                ),
                code="locked",
                params={"minutes": access.LOGIN_WINDOW.seconds // 60},
            )
        if refusal:
            seconds = max(1, math.ceil((refusal.until - timezone.now()).total_seconds()))
            raise ValidationError(
                ngettext(
                    "Se intentó entrar demasiadas veces desde esta conexión. "
                    "Inténtelo de nuevo en %(seconds)d segundo.",
                    "Se intentó entrar demasiadas veces desde esta conexión. "
                    "Inténtelo de nuevo en %(seconds)d segundos.",
                    seconds,
                ),
                code="slowed_down",
                params={"seconds": seconds},
            )
        try:
            cleaned = super().clean()  # a wrong password raises here and stays counted
        except ValidationError:
            if getattr(self, "user_cache", None) is not None:
                # The password was right, but this page is not for the account (a coordinator at
                # the admin's login): no failure to count, or trying the admin would lock them out.
                access.login_succeeded(username=username, ip_address=address)
            raise
        access.login_succeeded(username=username, ip_address=address)
        if self.request is not None:
            self.request.login_device_username = username  # LoginDeviceMiddleware sets the cookie
        return cleaned


class LoginForm(LockoutMixin, AuthenticationForm):
    """Django's login form with labels and autocomplete hints that suit phones."""

    username = forms.CharField(
        label=_("Usuario"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    """The admin's login, with the same lockout as the site's."""


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, limited per email and per address so it cannot be used to flood inboxes."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        refusal = access.password_reset_refusal(email=email, ip_address=access.client_address(self.request))
        if refusal == "email":
            raise ValidationError(
                _("Ya se pidieron varias veces instrucciones para este correo. Inténtelo de nuevo en una hora."),
                code="rate_limited",
            )
        if refusal == "address":
            raise ValidationError(
                _("Se pidieron demasiadas veces instrucciones desde esta conexión. Inténtelo de nuevo en una hora."),
                code="rate_limited",
            )
        return email
