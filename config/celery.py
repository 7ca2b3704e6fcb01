"""The Celery application. Its settings live in config/settings.py under CELERY_*."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("omcs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_embedded_broker_folder(sender, **kwargs):
    """The file-system broker (no REDIS_URL) needs its folder before web or worker uses it."""
    from django.conf import settings

    if not settings.REDIS_URL:
        settings.EMBEDDED_BROKER_FOLDER.mkdir(parents=True, exist_ok=True)
