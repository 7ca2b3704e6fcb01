from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom package: what every app shares (the outgoing mail, email preferences). It
    imports no app of the project, so any of them may import it."""

    name = "core"
    verbose_name = _("Correo saliente")
