"""The heartbeat that /healthz reads (gathered by core.schedules)."""

from django.utils.translation import gettext_lazy as _

PERIODIC_TASKS = [
    {
        "name": "Latido de los trabajadores",
        "task": "health.heartbeat",
        "crontab": {"minute": "*"},
        "description": _("Cada minuto: muestra en /healthz que beat y un trabajador siguen vivos."),
    },
]
