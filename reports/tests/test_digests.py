"""Digest emails: reports ready and reminders fold into one email per person and period."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments import services
from commitments.models import Indicator
from core.mail import mail_queue
from core.models import EmailPreferences, OutgoingEmail
from core.tasks import send_lost_emails
from reports import tasks
from reports.models import Digest, ProgressReport
from reports.tests.factories import ReportedActionFactory

MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


def run(task, *args):
    """Run a task as a worker would: the emails it writes leave once its transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return task.delay(*args).get()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def cusco(peru, db):
    """A second Peruvian city, so Peru's coordinator reads two reports."""
    city = CityFactory(country=peru, name="Cusco")
    user = UserFactory(username="ximena")
    ambassador_services.ambassador_appoint(city=city, user=user, appointed_on=datetime.date(2025, 3, 1))
    return city


@pytest.mark.django_db
def test_scheduled_reports_reach_each_reader_in_one_email(
    ambassador, other_ambassador, cusco, coordinator, coordinator_elsewhere
):
    with time_machine.travel(MONDAY, tick=False):
        run(tasks.generate_due_reports, "month")
    # Three cities', Peru's (its coordinator's scope) and the network's (Mexico has no city).
    assert ProgressReport.objects.filter(status="ready").count() == 5
    assert recipients() == ["alicia@example.org", "bruno@example.org", "carla@example.org", "ximena@example.org"]
    carla = next(message for message in mail.outbox if message.to == ["carla@example.org"])
    assert carla.subject == "Informes de progreso listos: 3 informes"
    assert "Lima · Octubre de 2026" in carla.body and "Cusco · Octubre de 2026" in carla.body
    assert "Perú: todas las ciudades · Octubre de 2026" in carla.body
    assert "Red OMCS" not in carla.body  # the network's is for admins
    assert "Rosario" not in carla.body
    assert ProgressReport.objects.filter(delivered_at__isnull=True).count() == 0
    # Another run, or the hourly safety net, sends nothing more.
    with time_machine.travel(MONDAY, tick=False):
        run(tasks.generate_due_reports, "month")
        run(tasks.send_report_digests)
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_reports_asked_for_on_demand_and_opted_out_readers_get_no_digest(ambassador, lima, coordinator):
    EmailPreferences.objects.create(user=coordinator, report_digests=False)
    with time_machine.travel(MONDAY, tick=False):
        run(tasks.generate_due_reports, "month")
    assert recipients() == ["alicia@example.org"]
    mail.outbox.clear()
    report = ProgressReport.objects.get(city=lima)
    report.requested_by = ambassador
    report.delivered_at = None
    report.save()
    run(tasks.send_report_digests)
    assert mail.outbox == []


@pytest.fixture
def pending_work(ambassador, lima, coordinator):
    """Two forgotten drafts, a returned action not sent again, a target due soon, and an action
    waiting for review: all from three weeks before Monday."""
    with time_machine.travel(MONDAY - datetime.timedelta(days=21), tick=False):
        ReportedActionFactory(by=ambassador, status="draft", title="Borrador uno")
        ReportedActionFactory(by=ambassador, status="draft", title="Borrador dos")
        ReportedActionFactory(
            by=ambassador, reviewer=coordinator, status="returned", title="Falta la lista de asistencia"
        )
        ReportedActionFactory(by=ambassador, status="submitted", title="Feria del reciclaje")
        indicator = Indicator.objects.filter(commitment__axis__number=3, commitment__number=1).first()
        services.target_save(
            by=ambassador, city=lima, indicator=indicator, horizon="short", baseline=Decimal(10), baseline_year=2025,
            target_value=Decimal(50), due_on=datetime.date(2026, 12, 10),
        )  # fmt: skip


def remind(day):
    with time_machine.travel(day, tick=False):
        return run(tasks.send_reminders)


@pytest.mark.django_db
def test_reminders_go_once_per_person_per_day_with_every_item(pending_work, coordinator_elsewhere):
    assert remind(MONDAY) == 2  # Alicia and Carla, one email each
    assert recipients() == ["alicia@example.org", "carla@example.org"]
    alicia = next(message for message in mail.outbox if message.to == ["alicia@example.org"])
    assert alicia.subject == "OMCS: 5 asuntos pendientes"
    for text in (
        # Lima's action waits for review: inactive as the cities table says (nothing approved).
        "Su ciudad todavía no tiene ninguna acción aprobada.",
        "«Borrador uno»",
        "«Borrador dos»",
        "«Falta la lista de asistencia»",
        "vence el 10 de diciembre de 2026",
    ):
        assert text in alicia.body
    carla = next(message for message in mail.outbox if message.to == ["carla@example.org"])
    assert "Lima: «Feria del reciclaje» espera revisión desde hace 21 días." in carla.body
    assert remind(MONDAY + datetime.timedelta(hours=3)) == 0  # the same day: nothing more
    assert len(mail.outbox) == 2
    assert remind(MONDAY + datetime.timedelta(days=1)) == 2  # the next day: a new digest each
    assert Digest.objects.filter(kind=Digest.Kind.REMINDERS).count() == 4


@pytest.mark.django_db
def test_weekly_readers_get_reminders_once_a_week_and_those_who_opted_out_never(pending_work, ambassador, coordinator):
    EmailPreferences.objects.create(user=ambassador, reminders=EmailPreferences.Frequency.WEEKLY)
    EmailPreferences.objects.create(user=coordinator, reminders=EmailPreferences.Frequency.NEVER)
    for day in range(7):  # Monday to Sunday
        remind(MONDAY + datetime.timedelta(days=day))
    assert recipients() == ["alicia@example.org"]
    remind(MONDAY + datetime.timedelta(days=7))
    assert recipients() == ["alicia@example.org", "alicia@example.org"]


@pytest.mark.django_db
def test_an_ambassador_whose_city_has_nothing_approved_is_reminded_in_their_language(ambassador, lima):
    EmailPreferences.objects.create(user=ambassador, language="en")
    remind(MONDAY)
    [message] = mail.outbox
    assert message.to == ["alicia@example.org"]
    assert "Your city has no approved action yet." in message.body


@pytest.mark.django_db
def test_coordinators_get_last_weeks_summary_once(ambassador, coordinator):
    with time_machine.travel(MONDAY - datetime.timedelta(days=3), tick=False):
        ReportedActionFactory(
            by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 11, 18), people_reached=25
        )
    with time_machine.travel(MONDAY, tick=False):
        assert run(tasks.send_weekly_summaries) == 1
        assert run(tasks.send_weekly_summaries) == 0
    [message] = mail.outbox
    assert message.to == ["carla@example.org"]
    assert "Acciones aprobadas: 1" in message.body and "Personas alcanzadas: 25" in message.body


@pytest.mark.django_db
def test_a_digest_queued_twice_and_swept_goes_out_once(ambassador, lima, django_capture_on_commit_callbacks):
    """The old way: the hourly sweep queued a digest again while its first task still waited in
    the broker, and both copies sent it."""
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks() as first_message:
        assert tasks.send_reminders.delay().get() == 1  # its email waits in the broker
    digest = Digest.objects.select_related("mail", "recipient").get()
    again = mail_queue(
        key=f"digest:{digest.pk}", recipient=digest.recipient, template="reports/email/reminders", context={}
    )
    assert again == digest.mail and OutgoingEmail.objects.count() == 1  # the same row: nothing new
    with (
        time_machine.travel(MONDAY + datetime.timedelta(minutes=45), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_lost_emails() == 1  # as far as the sweep can tell, its message was lost
    for callback in first_message:  # the first message is delivered at last
        callback()
    [message] = mail.outbox
    assert message.to == ["alicia@example.org"] and "Your city" not in message.body
    digest.mail.refresh_from_db()
    assert (digest.mail.state, digest.mail.attempts) == ("sent", 1)
