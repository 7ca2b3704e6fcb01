"""What /healthz reports: can the web reach the database and the broker, are a worker and beat
alive, and has work piled up that should have gone out."""

import datetime

from celery import current_app as app
from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat

# Beat sends the heartbeat every minute: three missed beats mean the worker (or beat) is down.
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)


def database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means the same to a monitor: down
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def broker_state(*, timeout=1.0):
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as error:  # kombu wraps the transport's errors in its own types
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def worker_state(*, now):
    heartbeat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if heartbeat is None:
        return {"ok": False, "last_seen_seconds": None}
    age = (now - heartbeat.seen_at).total_seconds()
    return {"ok": age <= HEARTBEAT_STALE_AFTER.total_seconds(), "last_seen_seconds": round(age)}


def backlog(*, now):
    """Work the sweeps will queue again: a number that keeps growing means messages are lost."""
    from core.mail import mails_lost
    from reports.services import reports_stale

    return {
        "emails_unsent": mails_lost(now=now).count(),
        "reports_stale": reports_stale(now=now).count(),
    }


def service_state():
    """The whole report. The web can serve as long as it reaches its database: that decides
    `ok`. A broker or worker down makes the state `degraded` (pages work and nothing is lost;
    emails and reports wait for the sweeps)."""
    now = timezone.now()
    checks = {"database": database_state(), "broker": broker_state()}
    ok = checks["database"]["ok"]
    checks["worker"] = worker_state(now=now) if ok else {"ok": False}
    state = {"status": "ok" if all(check["ok"] for check in checks.values()) else ("degraded" if ok else "down")}
    state.update(checks)
    if ok:
        state["backlog"] = backlog(now=now)
    return ok, state
