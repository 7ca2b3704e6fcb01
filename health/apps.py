from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = _("Estado del servicio")

    def ready(self):
        from .celery_metrics import connect_task_signals

        connect_task_signals()
