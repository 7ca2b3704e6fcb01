"""Celery wiring: a task goes through the configured broker (Redis in CI) to a real worker."""

import datetime
import json
import uuid

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from ambassadors import services
from ambassadors.models import Ambassador
from ambassadors.tasks import end_expired_terms
from ambassadors.tests.factories import UserFactory
from config.celery import app
from core.schedules import periodic_tasks
from core.tests.celery import broker_of_its_own, eventually, real_worker


@pytest.fixture
def isolated_broker(tmp_path):
    with broker_of_its_own(tmp_path):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_the_broker_is_run_by_a_real_worker(lima, isolated_broker):
    appointment = services.ambassador_appoint(
        city=lima,
        user=UserFactory(),
        appointed_on=datetime.date(2024, 1, 1),
        term_ends_on=datetime.date(2025, 12, 31),
    )
    queue = f"test-{uuid.uuid4().hex}"  # nobody else listens here
    with real_worker(queues=[queue]):
        end_expired_terms.apply_async(queue=queue)
        eventually(Ambassador.objects.filter(pk=appointment.pk, status="ended").exists)
    appointment.refresh_from_db()
    assert appointment.status == "ended"
    assert appointment.ended_on == datetime.date(2025, 12, 31)


@pytest.mark.django_db(transaction=True)
def test_the_monthly_schedule_runs_through_a_real_worker_to_ready_reports(lima, rosario, isolated_broker, mailoutbox):
    """Beat's entry → the fan-out → one task per city → reports ready and one digest email each."""
    from core.schedules import install_periodic_tasks
    from reports.models import ProgressReport

    for city, name in ((lima, "alicia"), (rosario, "bruno")):
        services.ambassador_appoint(city=city, user=UserFactory(username=name), appointed_on=datetime.date(2025, 1, 1))
    install_periodic_tasks()  # a flushed test database has lost what migrate installed
    entry = PeriodicTask.objects.get(name="Informes mensuales")
    queue = f"test-{uuid.uuid4().hex}"
    # The cities' reports; the network's is written too (reports/tests/test_scope_worker.py).
    ready = ProgressReport.objects.filter(status=ProgressReport.Status.READY, scope="city")
    with real_worker(queues=[queue]):
        # What beat does when the entry is due: send its task with its arguments.
        app.send_task(entry.task, kwargs=json.loads(entry.kwargs), queue=queue)
        eventually(lambda: ready.count() == 2 and len(mailoutbox) == 2, timeout=90)
    assert sorted(ready.values_list("city__name", "kind")) == [("Lima", "month"), ("Rosario", "month")]
    assert all(report.pdf_file and report.delivered_at for report in ready)
    assert sorted(message.to[0] for message in mailoutbox) == ["alicia@example.org", "bruno@example.org"]


def test_the_broker_is_redis_when_redis_url_is_set_and_files_otherwise():
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert app.connection_for_write().transport_cls == expected


def test_reliability_settings_are_in_force():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0


@pytest.mark.django_db
def test_every_declared_periodic_task_is_installed_after_migrate_and_names_a_real_task():
    app.loader.import_default_modules()  # what a worker does at start: every app's tasks module
    installed = dict(PeriodicTask.objects.values_list("name", "task"))
    for entry in periodic_tasks():
        assert installed[entry["name"]] == entry["task"]
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_installing_the_schedules_again_keeps_an_admins_edits():
    from core.schedules import install_periodic_tasks

    task = PeriodicTask.objects.get(task="ambassadors.end_expired_terms")
    task.enabled = False
    task.save()
    install_periodic_tasks()
    assert PeriodicTask.objects.get(pk=task.pk).enabled is False


def _waiting(queue):
    """Messages waiting on `queue` in the broker (declared if new)."""
    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue).message_count


@pytest.mark.django_db(transaction=True)
def test_reports_are_written_from_the_reports_queue_and_everything_else_from_the_default_one(
    lima, rosario, isolated_broker, mailoutbox
):
    """The monthly schedule sent as beat sends it (default queue): a worker of the default queue
    alone fans out and leaves every report waiting on the reports queue; a worker of the reports
    queue writes them, and their digest comes back to the default queue."""
    from celery.signals import task_prerun

    from core.schedules import install_periodic_tasks
    from reports.models import ProgressReport

    for city, name in ((lima, "alicia"), (rosario, "bruno")):
        services.ambassador_appoint(city=city, user=UserFactory(username=name), appointed_on=datetime.date(2025, 1, 1))
    install_periodic_tasks()
    entry = PeriodicTask.objects.get(name="Informes mensuales")
    default, reports = app.conf.task_default_queue, app.conf.reports_queue
    assert default != reports
    ran = []

    def record(task=None, **kwargs):
        ran.append((task.name, task.request.delivery_info["routing_key"]))

    task_prerun.connect(record, weak=False)
    try:
        with real_worker(queues=[default]):
            app.send_task(entry.task, kwargs=json.loads(entry.kwargs))
            assert eventually(lambda: ran == [("reports.generate_due_reports", default)])
            assert eventually(lambda: _waiting(reports) == ProgressReport.objects.count() >= 3)
        assert not ProgressReport.objects.filter(status=ProgressReport.Status.READY).exists()
        with real_worker(queues=[reports]):
            assert eventually(lambda: _waiting(reports) == 0 and _waiting(default) >= 1, timeout=90)
        assert not mailoutbox  # the digests wait for a worker of the default queue
        with real_worker(queues=[default]):
            assert eventually(lambda: len(mailoutbox) == 2, timeout=60)
    finally:
        task_prerun.disconnect(record)
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {ProgressReport.Status.READY}
    writers = {queue for name, queue in ran if name.startswith("reports.generate_") and name.endswith("_report")}
    assert writers == {reports}
    assert {queue for name, queue in ran if name in ("reports.send_report_digests", "core.send_email")} == {default}
