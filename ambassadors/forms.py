from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import access


class LockoutMixin:
    """Refuses a locked-out username (or address) before the password is even checked."""

    def clean(self):
        if access.login_locked(
            username=self.cleaned_data.get("username", ""), ip_address=access.client_address(self.request)
        ):
            raise ValidationError(
                _(
                    "Demasiados intentos fallidos. Por seguridad, el acceso está bloqueado durante "
                    "%(minutes)d minutos. Si lo necesita antes, pida a un administrador que lo desbloquee."
                ),
                code="locked",
                params={"minutes": access.LOGIN_WINDOW.seconds // 60},
            )
        return super().clean()


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
