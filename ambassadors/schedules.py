"""The periodic tasks of appointments and sign-in (gathered by core.schedules)."""

from django.utils.translation import gettext_lazy as _

PERIODIC_TASKS = [
    {
        "name": "Terminar nombramientos vencidos",
        "task": "ambassadors.end_expired_terms",
        "crontab": {"minute": "15", "hour": "0"},
        "description": _("Cada día, termina los nombramientos cuyo periodo ya venció."),
    },
    {
        "name": "Olvidar intentos de acceso antiguos",
        "task": "ambassadors.forget_old_access_attempts",
        "crontab": {"minute": "20", "hour": "0"},
        "description": _("Cada día, borra los inicios de sesión fallidos y pedidos de contraseña de más de un día."),
    },
]
