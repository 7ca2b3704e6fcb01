"""Celery tasks of the reports: scheduled fan-out, one report per city, digests and reminders
(their emails go through the outgoing mail, core.mail).

The scheduled task only decides what is due and queues one small task per city; each of those
is idempotent (it skips a report already ready), so a retry or a second run never duplicates.
"""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from core.replica import on_replica

from . import digests, services

logger = logging.getLogger(__name__)

# Worth another try: the database or the disk hiccuped, or the task ran out of time.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError, SoftTimeLimitExceeded)
REPORT_RETRIES = 3


def _same_queue(task):
    """Follow-up tasks go to the queue this one came from: an admin who routes a schedule to its own
    queue (the periodic task's "queue" in admin) gets the whole batch there. From the default queue
    or the reports queue they follow the routes (config/celery.py): reports to the reports queue,
    digests and emails to the default one."""
    queue = (task.request.delivery_info or {}).get("routing_key")
    routed = {task.app.conf.task_default_queue, task.app.conf.reports_queue}
    return {"queue": queue} if queue and queue not in routed and not task.request.is_eager else {}


def _backoff(retries):
    """1, 2, 4 … minutes, capped at an hour."""
    return min(60 * 2**retries, 3600)


@shared_task(bind=True, name="reports.generate_due_reports")
def generate_due_reports(self, kind, today=None):
    """Scheduled: queue the report of the period that just ended for every due city, every
    coordinated country and the network (all created before any is queued)."""
    today = datetime.date.fromisoformat(today) if today else timezone.localdate()
    city_ids, period = services.scheduled_reports_create(kind=kind, today=today)
    scopes, _period = services.scheduled_scope_reports_create(kind=kind, today=today)
    start = period.start.isoformat()
    for city_id in city_ids:
        generate_city_report.apply_async((city_id, kind, start), **_same_queue(self))
    for key in scopes:
        generate_scope_report.apply_async((key["scope"], key["country_id"], kind, start), **_same_queue(self))
    logger.info("Queued %s %s reports of cities and %s of scopes for %s", len(city_ids), kind, len(scopes), start)
    return len(city_ids) + len(scopes)


@shared_task(bind=True, name="reports.generate_city_report", acks_late=True, max_retries=REPORT_RETRIES)
def generate_city_report(self, city_id, kind, period_start, force=False, with_pdf=True):
    """Write one city's report for one period (without its PDF when not `with_pdf`, as the bench
    does). Transient errors are retried with back-off; the last failure, or any other error, marks
    the report failed with the error, shown on its page."""
    return _generate(self, {"city_id": city_id}, kind, period_start, force=force, with_pdf=with_pdf)


@shared_task(bind=True, name="reports.generate_scope_report", acks_late=True, max_retries=REPORT_RETRIES)
def generate_scope_report(self, scope, country_id, kind, period_start, force=False, with_pdf=True):
    """Write one country's report (`scope` "country") or the network's ("network", no country)
    for one period: the same claim, retries and digest as a city's."""
    return _generate(
        self, {"scope": scope, "country_id": country_id}, kind, period_start, force=force, with_pdf=with_pdf
    )


def _generate(task, scope_key, kind, period_start, *, force, with_pdf):
    """Claim the report (services.report_claim: once, whatever the retries), write it, and record
    a failure; a scheduled report's readiness wakes the digest planner."""
    with transaction.atomic():
        report = services.report_claim(
            **scope_key, kind=kind, period_start=datetime.date.fromisoformat(period_start), force=force
        )
    if report is None:
        return "skipped"
    try:
        # The figures from the replica when there is one (its requester's pin respected; the
        # primary if the replica fails), outside any transaction; then saved on the primary.
        built = on_replica(services.report_build, report, with_pdf=with_pdf, user_id=report.requested_by_id)
        with transaction.atomic():
            services.report_store(report, built)
    except TRANSIENT_ERRORS as error:
        final = task.request.retries >= task.max_retries
        services.report_record_failure(report, error, final=final)
        if final:
            raise
        raise task.retry(exc=error, countdown=_backoff(task.request.retries)) from error
    except Exception as error:
        services.report_record_failure(report, error, final=True)
        raise
    if report.requested_by_id is None:
        send_report_digests.apply_async(**_same_queue(task))  # sends once the whole batch is ready
    return "ready"


@shared_task(bind=True, name="reports.send_report_digests")
def send_report_digests(self):
    """Fold the scheduled reports that are ready into one email per reader, once none is still
    being written (so a batch goes out together). Also hourly, as a safety net: it queues again
    the reports whose message was lost (lost emails are core.send_lost_emails' to find)."""
    now = timezone.now()
    services.reports_requeue_stale(now=now)
    return len(digests.plan_report_digests(now=now, queue=_same_queue(self).get("queue")))


@shared_task(name="reports.send_reminders")
def send_reminders(today=None):
    """Daily: one reminder email per person with something pending, as often as they chose."""
    today = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return len(digests.plan_reminders(today=today, now=timezone.now()))


@shared_task(name="reports.send_weekly_summaries")
def send_weekly_summaries(today=None):
    """Mondays: last week's summary for each coordinator (the figures of their scope and its new
    practices) and for each ambassador with new practices on the commitments they follow."""
    today = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return len(digests.plan_weekly_summaries(today=today))
