"""Every periodic task of the project, declared in one place.

They are installed into django-celery-beat's tables after `migrate`, where admins can
edit or disable them; an entry that already exists is never overwritten, so those edits
survive deploys.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PERIODIC_TASKS = [
    {
        "name": "Terminar nombramientos vencidos",
        "task": "ambassadors.end_expired_terms",
        "crontab": {"minute": "15", "hour": "0"},
        "description": _("Cada día, termina los nombramientos cuyo periodo ya venció."),
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
            name=entry["name"], task=entry["task"], crontab=crontab, description=str(entry["description"])
        )
