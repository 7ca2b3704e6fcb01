"""Celery wiring: a task goes through the configured broker (Redis in CI) to a real worker."""

import datetime
import json
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connections
from django_celery_beat.models import PeriodicTask

from ambassadors import services
from ambassadors.models import Ambassador
from ambassadors.tasks import end_expired_terms
from ambassadors.tests.factories import UserFactory
from config.celery import app
from config.tests.celery_helpers import drop_connection_pools, eventually
from reports.schedules import PERIODIC_TASKS


def _close_worker_connections(**kwargs):
    # The worker thread opens its own database connection; close it so the test database
    # can be dropped at the end of the session.
    connections.close_all()


@pytest.fixture
def isolated_broker(tmp_path):
    """The file-system broker (no REDIS_URL) gets a folder of its own, so a developer's
    running `make run` worker cannot take the test's message."""
    if settings.REDIS_URL:
        yield
        return
    previous = app.conf.broker_transport_options
    app.conf.broker_transport_options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    drop_connection_pools()  # an earlier eager task opened them with the default folder
    yield
    app.conf.broker_transport_options = previous
    drop_connection_pools()


@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_the_broker_is_run_by_a_real_worker(lima, isolated_broker):
    appointment = services.ambassador_appoint(
        city=lima,
        user=UserFactory(),
        appointed_on=datetime.date(2024, 1, 1),
        term_ends_on=datetime.date(2025, 12, 31),
    )
    queue = f"test-{uuid.uuid4().hex}"  # nobody else listens here
    app.conf.task_always_eager = False  # the root conftest's default; restored after the test
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=20):
            end_expired_terms.apply_async(queue=queue)
            eventually(Ambassador.objects.filter(pk=appointment.pk, status="ended").exists)
    finally:
        task_postrun.disconnect(_close_worker_connections)
    appointment.refresh_from_db()
    assert appointment.status == "ended"
    assert appointment.ended_on == datetime.date(2025, 12, 31)


@pytest.mark.django_db(transaction=True)
def test_the_monthly_schedule_runs_through_a_real_worker_to_ready_reports(lima, rosario, isolated_broker, mailoutbox):
    """Beat's entry → the fan-out → one task per city → reports ready and one digest email each."""
    from reports.models import ProgressReport
    from reports.schedules import install_periodic_tasks

    for city, name in ((lima, "alicia"), (rosario, "bruno")):
        services.ambassador_appoint(city=city, user=UserFactory(username=name), appointed_on=datetime.date(2025, 1, 1))
    install_periodic_tasks()  # a flushed test database has lost what migrate installed
    entry = PeriodicTask.objects.get(name="Informes mensuales")
    queue = f"test-{uuid.uuid4().hex}"
    app.conf.task_always_eager = False
    task_postrun.connect(_close_worker_connections, weak=False)
    ready = ProgressReport.objects.filter(status=ProgressReport.Status.READY)
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=20):
            # What beat does when the entry is due: send its task with its arguments.
            app.send_task(entry.task, kwargs=json.loads(entry.kwargs), queue=queue)
            eventually(lambda: ready.count() == 2 and len(mailoutbox) == 2, timeout=90)
    finally:
        task_postrun.disconnect(_close_worker_connections)
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
    for entry in PERIODIC_TASKS:
        assert installed[entry["name"]] == entry["task"]
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_installing_the_schedules_again_keeps_an_admins_edits():
    from reports.schedules import install_periodic_tasks

    task = PeriodicTask.objects.get(task="ambassadors.end_expired_terms")
    task.enabled = False
    task.save()
    install_periodic_tasks()
    assert PeriodicTask.objects.get(pk=task.pk).enabled is False
