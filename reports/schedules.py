"""Every periodic task of the project, declared in one place.

They are installed into django-celery-beat's tables after `migrate`, where admins can
edit or disable them; an entry that already exists is never overwritten, so those edits
survive deploys.
"""

import json

from django.conf import settings
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
    {
        "name": "Informes mensuales",
        "task": "reports.generate_due_reports",
        "kwargs": {"kind": "month"},
        "crontab": {"minute": "0", "hour": "2", "day_of_month": "1"},
        "description": _("El día 1 de cada mes, el informe del mes anterior de cada ciudad con embajador activo."),
    },
    {
        "name": "Informes trimestrales",
        "task": "reports.generate_due_reports",
        "kwargs": {"kind": "quarter"},
        "crontab": {"minute": "30", "hour": "2", "day_of_month": "1", "month_of_year": "1,4,7,10"},
        "description": _("El primer día de cada trimestre, el informe del trimestre anterior."),
    },
    {
        "name": "Informes anuales",
        "task": "reports.generate_due_reports",
        "kwargs": {"kind": "year"},
        "crontab": {"minute": "0", "hour": "3", "day_of_month": "1", "month_of_year": "1"},
        "description": _("El 1 de enero, el informe del año anterior."),
    },
    {
        "name": "Enviar informes listos",
        "task": "reports.send_report_digests",
        "crontab": {"minute": "45", "hour": "*"},
        "description": _("Cada hora, por si acaso: reúne en un correo por persona los informes programados ya listos."),
    },
    {
        "name": "Reenviar correos pendientes",
        "task": "core.send_lost_emails",
        "crontab": {"minute": "*/10"},
        "description": _("Cada diez minutos: vuelve a poner en cola los correos cuyo envío se perdió."),
    },
    {
        "name": "Latido de los trabajadores",
        "task": "health.heartbeat",
        "crontab": {"minute": "*"},
        "description": _("Cada minuto: muestra en /healthz que beat y un trabajador siguen vivos."),
    },
    {
        "name": "Recordatorios diarios",
        "task": "reports.send_reminders",
        "crontab": {"minute": "0", "hour": "8"},
        "description": _("Cada día, un correo por persona con lo pendiente (según la frecuencia que eligió)."),
    },
    {
        "name": "Resumen semanal para coordinadores",
        "task": "reports.send_weekly_summaries",
        "crontab": {"minute": "30", "hour": "8", "day_of_week": "1"},
        "description": _("Cada lunes, las cifras de la semana anterior en el ámbito de cada coordinador."),
    },
]


def install_periodic_tasks(using="default", **kwargs):
    from django.db import connections
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return  # a partial migrate that has not reached django_celery_beat yet
    for entry in PERIODIC_TASKS:
        if PeriodicTask.objects.filter(name=entry["name"]).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(**entry["crontab"], timezone=settings.TIME_ZONE)
        PeriodicTask.objects.create(
            name=entry["name"],
            task=entry["task"],
            crontab=crontab,
            kwargs=json.dumps(entry.get("kwargs", {})),
            description=str(entry["description"]),
        )
