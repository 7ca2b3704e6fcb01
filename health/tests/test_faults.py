"""Faults the app must survive: the broker down, a worker killed in the middle of a report, a
dropped database connection. Each runs against the real services when CI provides them."""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import time_machine
from celery import current_app as app
from django.conf import settings
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from commitments.models import Action, Commitment, Notification
from core.tasks import send_lost_emails
from core.tests.celery import drop_connection_pools, eventually
from health.tasks import heartbeat
from health.views import healthz

BASE_DIR = Path(__file__).resolve().parents[2]
DEAD_BROKER = "redis://127.0.0.1:9/0"  # nothing listens on the discard port: Redis is "down"
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second process needs a database it can share (CI: PostgreSQL)"
)


@pytest.fixture
def broker_down():
    """Point the app at a broker that refuses connections, and send for real (not eagerly)."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = DEAD_BROKER, False
    drop_connection_pools()
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous
    drop_connection_pools()


@pytest.mark.on_commit_errors_expected  # queueing the email fails: the broker is down
def test_with_the_broker_down_actions_are_saved_submitted_and_decided_and_the_email_follows_later(
    client, ambassador, coordinator, broker_down, django_capture_on_commit_callbacks, mailoutbox
):
    commitment = Commitment.objects.get(axis__number=3, number=1)
    client.force_login(ambassador)
    response = client.post(
        reverse("commitments:action_create", args=[commitment.pk]),
        {
            "title": "Huertos en las azoteas",
            "description": "Veinte familias siembran en sus techos.",
            "started_on": "2026-10-01",
            "focus_areas": [commitment.focus_areas.first().pk],
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "save": "",
        },
    )
    action = Action.objects.get(title="Huertos en las azoteas")
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("commitments:action_submit", args=[action.pk])).status_code == 302
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("commitments:action_review", args=[action.pk]), {"decision": "approve"})
    assert response.status_code == 302  # the decision stands although its email could not be queued
    action.refresh_from_db()
    assert action.status == Action.Status.APPROVED
    notification = Notification.objects.select_related("mail").get(status_change__action=action)
    assert notification.mail.state == "queued" and mailoutbox == []

    # The broker is back; ten minutes later the sweep sends the email, and only once.
    app.conf.broker_url, app.conf.task_always_eager = settings.CELERY_BROKER_URL, True
    drop_connection_pools()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_lost_emails() == 1
        assert send_lost_emails() == 0
    assert [message.to for message in mailoutbox] == [[ambassador.email]]
    assert "Huertos en las azoteas" in mailoutbox[0].body


def test_healthz_says_what_is_up_and_down(db, client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 200  # the web still serves: a load balancer must keep it
    state = response.json()
    assert state["status"] == "degraded"
    assert state["database"] == {"ok": True}
    assert state["broker"]["ok"] is False
    assert state["backlog"] == {"emails_unsent": 0, "reports_stale": 0}


@pytest.mark.django_db
def test_healthz_is_ok_with_the_broker_up_and_follows_the_workers_heartbeat(client):
    state = client.get("/healthz").json()
    assert (state["status"], state["broker"], state["worker"]) == (
        "degraded",
        {"ok": True},
        {
            "ok": False,
            "last_seen_seconds": None,
        },
    )
    heartbeat.apply()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=4)):
        stale = client.get("/healthz").json()
    assert stale["status"] == "degraded" and stale["worker"]["ok"] is False
    assert stale["worker"]["last_seen_seconds"] >= 240


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue, media_root, *, time_limit):
    """A real Celery worker in its own process group, on the test database and broker."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(media_root),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(time_limit - 1),
        "CELERY_TASK_TIME_LIMIT": str(time_limit),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=1"]
    # Its own queue, this test process's default and reports queues (a report requeued by the
    # sweep goes to the reports queue), and its own default one.
    queues = f"{queue},{app.conf.task_default_queue},{app.conf.reports_queue},celery"
    command += ["-Q", queues, "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_report_leaves_it_to_be_written_exactly_once(
    lima, ambassador, tmp_path, settings
):
    from reports.models import ProgressReport
    from reports.periods import period_of
    from reports.services import reports_requeue_stale
    from reports.tasks import generate_city_report

    if not settings.REDIS_URL:
        pytest.skip("needs a broker two processes share (CI: Redis)")
    queue = f"fault-{os.getpid()}-{time.monotonic_ns()}"
    period = period_of("month", datetime.date(2026, 9, 1))
    report = ProgressReport.objects.create(city=lima, kind="month", period_start=period.start, period_end=period.end)
    app.conf.task_always_eager = False
    drop_connection_pools()
    worker = _start_worker(queue, tmp_path, time_limit=5)
    try:
        generate_city_report.apply_async((lima.pk, "month", period.start.isoformat()), queue=queue)
        running = eventually(
            lambda: ProgressReport.objects.filter(pk=report.pk, status="running").exists(), timeout=60, interval=0.05
        )
        assert running, "the worker never started the report"
        os.killpg(worker.pid, signal.SIGKILL)  # the whole worker, parent and child, mid-report
        worker.wait(timeout=10)
        report.refresh_from_db()
        assert (report.status, report.attempts, report.pdf_file.name) == ("running", 1, "")

        # A new worker; once the dead one's claim is older than the time limit, the hourly sweep
        # queues the report again (on the default queue) and the new worker takes it back.
        worker = _start_worker(queue, tmp_path, time_limit=5)
        settings.CELERY_TASK_TIME_LIMIT = 5
        time.sleep(5.5)
        assert reports_requeue_stale(now=timezone.now()) == 1
        done = eventually(lambda: ProgressReport.objects.filter(pk=report.pk, status="ready").exists(), timeout=60)
        assert done, "the report was not written after the retry"
        # A late redelivery of the first message finds it ready and leaves it alone.
        generate_city_report.apply_async((lima.pk, "month", period.start.isoformat()), queue=queue)
        time.sleep(2)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        app.conf.task_always_eager = True
    report.refresh_from_db()
    assert ProgressReport.objects.filter(city=lima, kind="month", period_start=period.start).count() == 1
    assert report.status == "ready" and report.attempts == 2
    written = ProgressReport.history.filter(id=report.pk, status="ready").count()
    assert written == 1
    stored = sorted(path.name for path in tmp_path.rglob("*") if path.is_file())
    assert len(stored) == 4, stored  # one HTML, PDF, XLSX and CSV: nothing left from the dead worker


def _drop_this_threads_connection():
    """Terminate our server-side session from another connection, as a failover or a restart does."""
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    db = connection.settings_dict
    other = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"])
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


def _request_healthz():
    """What a real request does: close_old_connections() on request_started, then the view."""
    close_old_connections()
    return healthz(RequestFactory().get("/healthz"))


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_app_recovers_from_a_dropped_database_connection():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] and connection.settings_dict["CONN_MAX_AGE"] > 0
    assert _request_healthz().status_code == 200
    _drop_this_threads_connection()
    response = _request_healthz()
    assert response.status_code == 200
    assert json.loads(response.content)["database"] == {"ok": True}


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_without_health_checks_the_dropped_connection_would_fail_the_next_request(monkeypatch):
    """The control: the recovery above is the health check's doing."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    assert _request_healthz().status_code == 200
    _drop_this_threads_connection()
    response = _request_healthz()
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == {"ok": False, "error": "OperationalError"}
    connection.close()
