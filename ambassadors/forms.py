import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import access, twofactor


def refusal_error(refusal):
    """The message for an attempt refused before it was checked (access.Refusal)."""
    if refusal.locked:
        return ValidationError(
            _(
                "Demasiados intentos fallidos. Por seguridad, el acceso está bloqueado durante "
                "%(minutes)d minutos. Si lo necesita antes, pida a un administrador que lo desbloquee."
            ),
            code="locked",
            params={"minutes": access.LOGIN_WINDOW.seconds // 60},
        )
    seconds = max(1, math.ceil((refusal.until - timezone.now()).total_seconds()))
    return ValidationError(
        ngettext(
            "Se intentó entrar demasiadas veces desde esta conexión. Inténtelo de nuevo en %(seconds)d segundo.",
            "Se intentó entrar demasiadas veces desde esta conexión. Inténtelo de nuevo en %(seconds)d segundos.",
            seconds,
        ),
        code="slowed_down",
        params={"seconds": seconds},
    )


def wait_error(until):
    """The message for a code sent while django-otp throttles the devices (twofactor.Throttled):
    it was not checked, and did not count as an attempt."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    return ValidationError(
        ngettext(
            "Espere %(seconds)d segundo antes de escribir el código (tras un código equivocado hay que esperar).",
            "Espere %(seconds)d segundos antes de escribir el código (tras un código equivocado hay que esperar).",
            seconds,
        ),
        code="code_throttled",
        params={"seconds": seconds},
    )


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
        if refusal:
            raise refusal_error(refusal)
        try:
            cleaned = super().clean()  # a wrong password raises here and stays counted
        except ValidationError:
            if getattr(self, "user_cache", None) is not None:
                # The password was right, but the form does not let the account in
                # (confirm_login_allowed): no failure to count.
                access.login_succeeded(username=username, ip_address=address)
            raise
        if twofactor.has_device(self.user_cache):
            # A code follows (ambassadors/twofactor.py): the failures are forgotten only once it
            # is good, so passwords and codes in turn never get more guesses than the limits;
            # only the address, which is not trying usernames, is spared this attempt.
            self.second_factor_follows = True
            access.login_address_release(ip_address=address)
            return cleaned
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


class SecondFactorForm(forms.Form):
    """The login's second step: a code from the app, or a recovery code. Each code is a login
    attempt for the lockout and rate limits (twofactor.code_check)."""

    code = forms.CharField(
        label=_("Código de verificación"),
        help_text=_("Los 6 dígitos que muestra su aplicación de autenticación, o uno de sus códigos de recuperación."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args, request, user, **kwargs):
        self.request, self.user, self.device = request, user, None
        super().__init__(*args, **kwargs)

    def clean(self):
        code = self.cleaned_data.get("code")
        if not code:
            return super().clean()
        self.device, refusal = twofactor.code_check(self.request, self.user, code)
        if isinstance(refusal, twofactor.Throttled):
            raise wait_error(refusal.until)
        if refusal:
            raise refusal_error(refusal)
        if self.device is None:
            raise ValidationError(_("El código no es válido o ya se usó."), code="invalid_code")
        return super().clean()


class SecondFactorSetupForm(forms.Form):
    """Confirms a new app: the code it shows now."""

    code = forms.CharField(
        label=_("Código que muestra la aplicación"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
    )
