from celery import shared_task
from django.utils import timezone

from .services import ambassadors_end_expired_terms


@shared_task(name="ambassadors.end_expired_terms")
def end_expired_terms():
    """Daily: appointments whose term is over stop giving access to the city."""
    return ambassadors_end_expired_terms(today=timezone.localdate())
