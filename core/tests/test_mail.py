"""The outgoing mail: one row per key, claimed before it is sent, retried, swept, never dropped."""

import datetime
import smtplib
from contextlib import contextmanager

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from core import mail as outgoing
from core.models import OutgoingEmail
from core.preferences import email_preferences_save
from core.tasks import send_email, send_lost_emails
from core.tests.threads import at_once

FAILING_BACKEND = "core.tests.test_mail.FailingBackend"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("lucia", "lucia@example.org", first_name="Lucía")


def queue(reader, key="decision:1", **options):
    return outgoing.mail_queue(
        key=key, recipient=reader, template="commitments/email/decision", context=_decision(reader), **options
    )


def _decision(reader):
    return {
        "recipient": reader,
        "change": {"to_status": "approved", "comment": "", "by": reader},
        "action": {"title": "Huerta escolar"},
        "url": "http://testserver/acciones/1/",
    }


@contextmanager
def _eager_errors_kept():
    conf = send_email.app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    try:
        yield
    finally:
        conf.task_eager_propagates = previous


def sweep(*, minutes_later):
    """The sweep as beat runs it, `minutes_later`; the messages it queues are delivered."""
    later = timezone.now() + datetime.timedelta(minutes=minutes_later)
    with time_machine.travel(later, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return send_lost_emails()


@pytest.mark.django_db
def test_an_email_is_written_in_its_readers_language_and_sent_once_its_transaction_commits(
    reader, django_capture_on_commit_callbacks
):
    email_preferences_save(user=reader, values={"language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        written = queue(reader)
        assert mail.outbox == []  # not before the commit
    assert (written.language, written.subject) == ("en", "Action approved: Huerta escolar")
    [message] = mail.outbox
    assert message.to == ["lucia@example.org"] and message.subject == "Action approved: Huerta escolar"
    assert "Hello Lucía," in message.body
    written.refresh_from_db()
    assert (written.state, written.attempts, written.sent_at is not None) == ("sent", 1, True)


@pytest.mark.django_db
def test_queueing_a_key_again_writes_and_sends_nothing_more(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(reader)
        second = queue(reader)
    assert second == first and len(callbacks) == 1
    assert OutgoingEmail.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_person_without_an_address_gets_no_row(db):
    assert queue(get_user_model().objects.create_user("sin-correo")) is None
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_message_delivered_twice_and_the_sweeps_copy_send_one_email(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as first_message:  # still in the broker
        written = queue(reader)
    assert sweep(minutes_later=11) == 1  # lost, as far as the sweep can tell: it queues a second copy
    for callback in first_message * 2:  # the first message arrives at last, and is delivered twice
        callback()
    assert send_email(written.pk) == "not claimed"
    assert len(mail.outbox) == 1
    assert sweep(minutes_later=30) == 0


@pytest.mark.django_db
def test_the_sweep_leaves_a_fresh_email_and_one_waiting_for_its_retry_alone(reader):
    written = queue(reader)
    assert sweep(minutes_later=5) == 0  # its first try has not had its chance yet
    OutgoingEmail.objects.filter(pk=written.pk).update(due_at=timezone.now() + datetime.timedelta(hours=1))
    assert sweep(minutes_later=30) == 0  # a retry is due in an hour: its message is not lost
    assert sweep(minutes_later=75) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_claim_held_by_a_dead_task_is_taken_back_after_the_timeout(reader):
    written = queue(reader)
    assert outgoing.mail_claim(mail_id=written.pk, now=timezone.now())  # a worker took it, then died
    assert send_email(written.pk) == "not claimed"  # while that claim may still be alive
    timeout = outgoing.CLAIM_TIMEOUT.total_seconds() / 60
    assert sweep(minutes_later=timeout - 1) == 0
    assert sweep(minutes_later=timeout + 1) == 1
    written.refresh_from_db()
    assert (written.state, written.attempts, len(mail.outbox)) == ("sent", 2, 1)


@pytest.mark.django_db
def test_a_failing_mail_server_is_tried_again_then_the_email_is_failed_and_listed_in_admin(
    reader, admin, client, settings
):
    written = queue(reader)
    settings.EMAIL_BACKEND = FAILING_BACKEND
    # Eager Celery runs each retry at once, so the whole policy plays out in this call (a retry
    # raises instead while eager errors propagate).
    with _eager_errors_kept():
        assert send_email.apply(args=[written.pk]).get() == "failed"
    written.refresh_from_db()
    assert (written.state, written.attempts) == ("failed", outgoing.MAX_ATTEMPTS)
    assert written.last_error == "SMTPServerDisconnected: the mail server went away"
    assert mail.outbox == []
    assert sweep(minutes_later=60 * 24) == 0  # failed is final: the sweep does not take it back

    client.force_login(admin)
    changelist = reverse("admin:core_outgoingemail_changelist")
    page = client.get(changelist, {"state__exact": "failed"}).content.decode()
    assert "decision:1" in page and "lucia@example.org" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(changelist, {"action": "send_again", "_selected_action": [written.pk]}, follow=True)
    assert "1 correo en cola de nuevo." in response.content.decode()
    written.refresh_from_db()
    assert (written.state, written.attempts, len(mail.outbox)) == ("sent", 1, 1)


@pytest.mark.django_db
def test_one_failed_try_releases_the_email_for_a_later_retry(reader, settings):
    written = queue(reader)
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with pytest.raises(outgoing.MailDeferred) as deferred:
        outgoing.mail_send(mail_id=written.pk)
    written.refresh_from_db()
    assert (written.state, written.attempts, written.claimed_at) == ("queued", 1, None)
    assert 0 <= deferred.value.countdown <= outgoing.RETRY_BACKOFF
    assert written.due_at <= timezone.now() + datetime.timedelta(seconds=outgoing.RETRY_BACKOFF)


@pytest.mark.django_db
def test_send_again_leaves_sent_emails_alone(reader, admin, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        written = queue(reader)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_outgoingemail_changelist"),
            {"action": "send_again", "_selected_action": [written.pk]},
            follow=True,
        )
    assert "1 correo no se volvió a enviar" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_sweep_gives_up_on_an_email_lost_for_a_week(reader):
    written = queue(reader)
    assert sweep(minutes_later=8 * 24 * 60) == 0
    written.refresh_from_db()
    assert written.state == "failed" and "una semana" in written.last_error
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_the_same_moment_send_one_email(reader):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on it)")
    written = OutgoingEmail.objects.create(key="digest:1", to=reader.email, subject="Informes listos", body="…")
    outcomes = at_once(lambda _worker: outgoing.mail_send(mail_id=written.pk), ["first", "second"])
    assert sorted(outcomes) == ["not claimed", "sent"]
    assert len(mail.outbox) == 1
    written.refresh_from_db()
    assert (written.state, written.attempts) == ("sent", 1)
