"""Email that follows a workflow step. Queued after the transaction commits, retried when the
mail server fails, and sent at most once per notification."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


# Every email task: a mail server that fails or cannot be reached is tried again, with back-off,
# for about a day.
EMAIL_RETRIES = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 8,
}


@shared_task(name="commitments.send_decision_email", **EMAIL_RETRIES)
def send_decision_email(notification_id):
    """Email the ambassador that an action was approved or returned (with the comment)."""
    from .models import Notification
    from .services import notification_email_claim, notification_email_done

    notification = (
        Notification.objects.select_related("recipient", "status_change__action", "status_change__by")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return "already sent or gone"
    recipient = notification.recipient
    if not recipient.email:
        logger.warning("Notification %s: user %s has no email address", notification.pk, recipient.pk)
        return "no address"
    if not notification_email_claim(notification.pk, now=timezone.now()):
        return "being sent by another task, or tried too often"
    change = notification.status_change
    try:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "recipient": recipient,
                "change": change,
                "action": change.action,
                "url": settings.SITE_URL + reverse("commitments:action", args=[change.action_id]),
            }
            # A header is one line: the action's title may hold line breaks (a hand-made post).
            subject = " ".join(render_to_string("commitments/email/decision_subject.txt", context).split())
            body = render_to_string("commitments/email/decision_body.txt", context)
        send_mail(subject, body, None, [recipient.email])
    except BaseException:
        notification_email_done(notification.pk, sent=False, now=timezone.now())  # a retry may take it
        raise
    notification_email_done(notification.pk, sent=True, now=timezone.now())
    return "sent"


@shared_task(name="commitments.send_unsent_decision_emails")
def send_unsent_decision_emails():
    """Every ten minutes: queue again the decision emails whose message was lost."""
    from .services import notifications_unsent

    notification_ids = list(notifications_unsent(now=timezone.now()).values_list("pk", flat=True))
    for notification_id in notification_ids:
        send_decision_email.delay(notification_id)
    return len(notification_ids)
