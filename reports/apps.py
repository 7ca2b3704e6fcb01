from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Informes y tareas programadas")

    def ready(self):
        from .schedules import install_periodic_tasks

        # Like Django's own permissions: after every migrate the schedules exist.
        post_migrate.connect(install_periodic_tasks, sender=self)
