"""The demo's progress reports: queued for the Celery worker as the schedule would."""

from .models import ReportKind
from .tasks import generate_due_reports


def queue_demo_reports():
    """Last month's and last quarter's report of every city, of every coordinated country and of
    the network (the schedule's own task: reports already ready are skipped)."""
    for kind in (ReportKind.MONTH, ReportKind.QUARTER):
        generate_due_reports.delay(kind)
