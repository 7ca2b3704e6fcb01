"""The Celery application. Its settings live in config/settings.py under CELERY_*."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("omcs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The tasks that write a report: routed to settings.CELERY_REPORTS_QUEUE (app.conf.reports_queue).
REPORT_TASKS = frozenset({"reports.generate_city_report", "reports.generate_scope_report"})


def route_task(name, args, kwargs, options, task=None, **kw):
    """CELERY_TASK_ROUTES: the report writers to the reports queue, the rest to the default one.
    A queue named when the task is sent (apply_async(queue=...)) wins over this route."""
    if name in REPORT_TASKS:
        return {"queue": app.conf.reports_queue}
    return None


@app.on_after_configure.connect
def _create_embedded_broker_folder(sender, **kwargs):
    """The file-system broker (no REDIS_URL) needs its folder before web or worker uses it."""
    from django.conf import settings

    if not settings.REDIS_URL:
        settings.EMBEDDED_BROKER_FOLDER.mkdir(parents=True, exist_ok=True)


def _log_as_the_web_does(**kwargs):
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@app.on_after_configure.connect
def _json_logs_like_the_web(sender, **kwargs):
    """With LOG_FORMAT=json a worker logs through the web's LOGGING (one JSON object per line): a
    receiver of setup_logging, which a worker sends after reading its configuration, stops Celery
    from putting handlers of its own on the root logger. In text mode Celery keeps its own lines
    (time, level, process, task), which say more than the web's."""
    from django.conf import settings

    if settings.LOG_FORMAT == "json":
        setup_logging.connect(_log_as_the_web_does, weak=False, dispatch_uid="config.celery.json_logs")
