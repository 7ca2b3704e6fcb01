import factory
from django.utils import timezone

from health.models import WorkerHeartbeat


class WorkerHeartbeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerHeartbeat

    seen_at = factory.LazyFunction(timezone.now)
    hostname = "celery@test"
