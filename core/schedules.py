"""The periodic tasks of the project: each app declares its own in `<app>/schedules.py`
(`PERIODIC_TASKS`), and they are gathered here, the one place that installs them.

They are installed into django-celery-beat's tables after `migrate`, where admins can
edit or disable them; an entry that already exists is never overwritten, so those edits
survive deploys.
"""

import importlib
import json

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

PERIODIC_TASKS = [
    {
        "name": "Reenviar correos pendientes",
        "task": "core.send_lost_emails",
        "crontab": {"minute": "*/10"},
        "description": _("Cada diez minutos: vuelve a poner en cola los correos cuyo envío se perdió."),
    },
]


def periodic_tasks():
    """Every app's PERIODIC_TASKS, in the order of INSTALLED_APPS."""
    gathered = []
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "schedules"):
            gathered.extend(getattr(importlib.import_module(f"{app.name}.schedules"), "PERIODIC_TASKS", []))
    return gathered


def install_periodic_tasks(using="default", **kwargs):
    from django.db import connections
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return  # a partial migrate that has not reached django_celery_beat yet
    for entry in periodic_tasks():
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
