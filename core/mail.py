"""The outgoing mail: every email of the product takes this one path.

1. `mail_queue` writes the email (in its reader's language) as an OutgoingEmail row with a
   unique key, in the caller's transaction, and queues its task once that transaction commits.
2. The task `core.send_email` calls `mail_send`, which claims the row with a conditional UPDATE
   (queued, or sending with a stale claim, becomes sending), sends it and marks it sent. When the
   mail server fails it releases the row and the task tries again with back-off; after
   MAX_ATTEMPTS tries the email is marked failed (Django admin lists it; "send again" there).
3. The sweep `core.send_lost_emails` queues again the emails whose message was lost (the broker
   was down, a worker died). Because of the claim, an email queued twice is sent once.
"""

import datetime
import logging
import smtplib

from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import OutgoingEmail
from .preferences import email_language

logger = logging.getLogger(__name__)

State = OutgoingEmail.State

# The mail server failing or out of reach: worth another try. A task out of time too.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, SoftTimeLimitExceeded)
# The project's email retry policy: back-off from a minute, doubling, capped at an hour, eight
# retries after the first try.
RETRY_BACKOFF = 60
RETRY_BACKOFF_MAX = 3600
MAX_ATTEMPTS = 9
# A claim older than this belongs to a task that is no longer running: the hard time limit has
# killed any task twice over.
CLAIM_TIMEOUT = datetime.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
# A queued email whose try is this much overdue lost its message.
LOST_AFTER = datetime.timedelta(minutes=10)
# News older than this is stale (and the app shows it anyway): the sweep gives up on it.
GIVE_UP_AFTER = datetime.timedelta(days=7)


class MailDeferred(Exception):
    """The mail server failed; the email is queued again and its next try is due in `countdown`
    seconds."""

    def __init__(self, countdown):
        super().__init__(countdown)
        self.countdown = countdown


def _one_line(text):
    """A header is one line: a title may hold line breaks or control characters."""
    return " ".join(text.split())


def mail_queue(*, key, recipient, template, context, language=None, queue=None):
    """Write the email to `recipient` and send it once the current transaction commits.

    `template` names two templates, `<template>_subject.txt` and `<template>_body.txt`,
    rendered in the recipient's language (their EmailPreferences, unless the caller passes
    `language` read from there already); `context` is a dict, or a function of the language that
    returns one. A key already queued writes and sends nothing more. Returns the OutgoingEmail,
    or None when the person has no address. `queue` names the Celery queue of the send task.
    """
    existing = OutgoingEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not recipient.email:
        logger.warning("Email %s: user %s has no email address", key, recipient.pk)
        return None
    language = language or email_language(recipient)
    return _write(
        key=key,
        recipient=recipient,
        to=recipient.email,
        language=language,
        template=template,
        context=context,
        queue=queue,
    )


def mail_queue_address(*, key, to, language, template, context, queue=None):
    """As mail_queue, to an address with no account behind it yet (an invitation): in `language`,
    the sender's choice, since there are no preferences to read it from."""
    existing = OutgoingEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    return _write(key=key, recipient=None, to=to, language=language, template=template, context=context, queue=queue)


def _write(*, key, recipient, to, language, template, context, queue):
    with translation.override(language):
        values = context(language) if callable(context) else context
        subject = _one_line(render_to_string(f"{template}_subject.txt", values))
        body = render_to_string(f"{template}_body.txt", values)
    with transaction.atomic():
        mail, created = OutgoingEmail.objects.get_or_create(
            key=key,
            defaults={"recipient": recipient, "to": to, "language": language, "subject": subject, "body": body},
        )
    if created:
        _send_on_commit(mail.pk, queue=queue)
    return mail


def _send_on_commit(mail_id, *, queue=None):
    options = {"queue": queue} if queue else {}

    # robust: with the broker down the write still stands (the error is logged) and the sweep
    # sends the email later. A named function: Django logs a failed robust callback by its
    # __qualname__.
    def queue_email():
        from .tasks import send_email

        send_email.apply_async((mail_id,), **options)

    transaction.on_commit(queue_email, robust=True)


def _claimable(*, now):
    return OutgoingEmail.objects.filter(
        Q(state=State.QUEUED) | Q(state=State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT),
        attempts__lt=MAX_ATTEMPTS,
    )


def mail_claim(*, mail_id, now):
    """Take the email for sending with a conditional UPDATE: whoever changes the row sends it;
    everyone else (a second copy of the task, the sweep's) finds nothing to take."""
    return bool(
        _claimable(now=now).filter(pk=mail_id).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def mail_send(*, mail_id, now=None):
    """Send one email, at most once. Returns "sent", or "not claimed" (sent already, being sent,
    failed, gone). When the mail server fails, records the error and raises MailDeferred (a retry
    is due) or returns "failed" (the last try failed)."""
    now = now or timezone.now()
    if not mail_claim(mail_id=mail_id, now=now):
        return "not claimed"
    mail = OutgoingEmail.objects.get(pk=mail_id)
    try:
        EmailMessage(mail.subject, mail.body, None, [mail.to]).send()
    except TRANSIENT_ERRORS as error:
        return _release(mail, error)
    except Exception as error:
        _record_failure(mail, error, retry_in=None)
        raise
    OutgoingEmail.objects.filter(pk=mail.pk, state=State.SENDING).update(
        state=State.SENT, sent_at=timezone.now(), claimed_at=None, last_error=""
    )
    return "sent"


def _release(mail, error):
    if mail.attempts >= MAX_ATTEMPTS:
        _record_failure(mail, error, retry_in=None)
        logger.warning("Email %s failed %s times, the last: %r", mail.key, mail.attempts, error)
        return "failed"
    countdown = get_exponential_backoff_interval(
        factor=RETRY_BACKOFF, retries=mail.attempts - 1, maximum=RETRY_BACKOFF_MAX, full_jitter=True
    )
    _record_failure(mail, error, retry_in=countdown)
    raise MailDeferred(countdown) from error


def _record_failure(mail, error, *, retry_in):
    """Queued again for a retry due in `retry_in` seconds, or failed for good when None."""
    now = timezone.now()
    changes = {"state": State.FAILED} if retry_in is None else {"state": State.QUEUED}
    if retry_in is not None:
        changes["due_at"] = now + datetime.timedelta(seconds=retry_in)
    OutgoingEmail.objects.filter(pk=mail.pk, state=State.SENDING).update(
        claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000], **changes
    )


def mails_lost(*, now):
    """Emails whose message was lost: queued and well past their try, or claimed by a task that
    is no longer running."""
    return OutgoingEmail.objects.filter(
        Q(state=State.QUEUED, due_at__lt=now - LOST_AFTER) | Q(state=State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    )


def mails_requeue_lost(*, now):
    """The sweep: give up on lost emails that are stale or tried too often (marked failed, with
    why), and queue the rest again. Returns how many were queued."""
    lost = mails_lost(now=now)
    hopeless = lost.filter(Q(created_at__lt=now - GIVE_UP_AFTER) | Q(attempts__gte=MAX_ATTEMPTS))
    hopeless.filter(last_error="").update(last_error=_("No salió en una semana: se dejó de intentar."))
    hopeless.update(state=State.FAILED, claimed_at=None)
    mail_ids = list(lost.values_list("pk", flat=True))
    for mail_id in mail_ids:
        _send_on_commit(mail_id)
    return len(mail_ids)


def mails_send_again(*, mail_ids):
    """An admin's "send again": failed emails are queued with a fresh count of tries, queued ones
    get another message (the claim keeps it to one email). Sent emails and those being sent are
    left alone. Returns how many were queued."""
    now = timezone.now()
    candidates = OutgoingEmail.objects.filter(pk__in=mail_ids).exclude(body="")
    with transaction.atomic():
        candidates.filter(state=State.FAILED).update(state=State.QUEUED, attempts=0, due_at=now, claimed_at=None)
        queued = list(candidates.filter(state=State.QUEUED).values_list("pk", flat=True))
        for mail_id in queued:
            _send_on_commit(mail_id)
    return len(queued)
