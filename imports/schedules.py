"""The periodic tasks of imports (gathered by core.schedules)."""

from django.utils.translation import gettext_lazy as _

PERIODIC_TASKS = [
    {
        "name": "Retomar importaciones atascadas",
        "task": "imports.sweep_applying_imports",
        "crontab": {"minute": "*/10"},
        "description": _(
            "Cada diez minutos: vuelve a poner en cola las importaciones confirmadas cuya aplicación se perdió."
        ),
    },
    {
        "name": "Borrar importaciones antiguas",
        "task": "imports.purge_old_imports",
        "crontab": {"minute": "40", "hour": "0"},
        "description": _("Cada día, borra los archivos y revisiones de las importaciones de más de 30 días."),
    },
]
