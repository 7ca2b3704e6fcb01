"""The periodic tasks of progress reports and digests (gathered by core.schedules)."""

from django.utils.translation import gettext_lazy as _

PERIODIC_TASKS = [
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
