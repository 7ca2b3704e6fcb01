from celery import shared_task
from django.utils import timezone

from .services import ambassadors_end_expired_terms


@shared_task(name="ambassadors.end_expired_terms")
def end_expired_terms():
    """Daily: appointments whose term is over stop giving access to the city."""
    return ambassadors_end_expired_terms(today=timezone.localdate())


@shared_task(name="ambassadors.forget_old_access_attempts")
def forget_old_access_attempts():
    """Daily: failed logins and reset requests older than a day count for nothing."""
    from .access import attempts_forget_old

    return attempts_forget_old()
