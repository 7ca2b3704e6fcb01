"""Django's authentication views under /accounts/, with the site's own templates.

Template names live under accounts/ rather than registration/ so the admin keeps its own.
The login has two steps for whoever has a second factor (ambassadors/twofactor.py).
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import twofactor_views
from .views import PasswordResetView

urlpatterns = [
    path("login/", twofactor_views.LoginView.as_view(), name="login"),
    path("login/codigo/", twofactor_views.login_code, name="login_code"),
    path("dos-pasos/", twofactor_views.manage, name="twofactor"),
    path("dos-pasos/activar/", twofactor_views.setup, name="twofactor_setup"),
    path("dos-pasos/codigos/", twofactor_views.recovery_codes, name="twofactor_recovery_codes"),
    path("dos-pasos/desactivar/", twofactor_views.remove, name="twofactor_remove"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="accounts/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
