"""A progress report's life is in the audit trail, with each status it went through."""

import datetime

from core.tests.audit import trail
from reports.models import ProgressReport
from reports.periods import period_of
from reports.services import report_request


def test_a_reports_life_is_recorded(lima, ambassador, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(city=lima, kind="month", period=period_of("month", datetime.date(2026, 9, 1)))
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.READY  # generated eagerly in tests
    assert [status for _type, status, _user in trail(report)] == ["pending", "running", "ready"]
