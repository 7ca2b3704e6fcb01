"""The outgoing mail's tasks: one email per task, and the sweep that finds lost ones."""

from celery import shared_task
from django.utils import timezone

from .mail import MailDeferred, mail_send, mails_requeue_lost


# max_retries=None: the row counts the tries (mail.MAX_ATTEMPTS), whichever task made them.
@shared_task(bind=True, name="core.send_email", max_retries=None)
def send_email(self, mail_id):
    """Send one OutgoingEmail, at most once; retried with back-off while the mail server fails."""
    try:
        return mail_send(mail_id=mail_id)
    except MailDeferred as deferred:
        raise self.retry(exc=deferred.__cause__, countdown=deferred.countdown) from deferred


@shared_task(name="core.send_lost_emails")
def send_lost_emails():
    """Every ten minutes: queue again the emails whose message was lost."""
    return mails_requeue_lost(now=timezone.now())
