from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom package: what every app shares (the outgoing mail, email preferences, the audit
    trail's helpers, the periodic tasks' installer). It imports no app of the project, so any of
    them may import it."""

    name = "core"
    verbose_name = _("Correo saliente")

    def ready(self):
        from .schedules import install_periodic_tasks

        # Like Django's own permissions: after every migrate, every app's schedules exist.
        post_migrate.connect(install_periodic_tasks, sender=self)
