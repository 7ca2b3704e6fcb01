from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(bind=True, name="health.heartbeat", ignore_result=True, expires=120)
def heartbeat(self):
    """Every minute (beat): record that a worker ran it, for /healthz."""
    WorkerHeartbeat.objects.update_or_create(
        pk=1, defaults={"seen_at": timezone.now(), "hostname": (self.request.hostname or "")[:255]}
    )
