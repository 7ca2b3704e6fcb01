"""0004 gives each digest its mail row; digests not yet sent at the deploy are not lost as
`failed` rows with no text: those of the last days are removed and planned again (a reports
digest's reports become undelivered), the older ones stay as failed rows."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reports.digests import plan_report_digests
from reports.models import Digest, ProgressReport

BEFORE = ("reports", "0003_email_preferences_to_core")


@pytest.mark.django_db(transaction=True)
def test_a_digest_unsent_at_the_deploy_is_planned_again_with_its_email(ambassador, lima):
    now = timezone.now()
    report = ProgressReport.objects.create(
        city=lima, kind="month", period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 10, 31),
        status=ProgressReport.Status.READY, generated_at=now, delivered_at=now,
    )  # fmt: skip
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        OldDigest = executor.loader.project_state(BEFORE).apps.get_model("reports", "Digest")
        items = [{"report": report.pk, "city": "Lima", "kind": "month", "start": "2026-10-01", "end": "2026-10-31"}]
        unsent = OldDigest.objects.create(recipient_id=ambassador.pk, kind="reports", period_key="x", items=items)
        unsent.reports.add(report.pk)
        older = OldDigest.objects.create(recipient_id=ambassador.pk, kind="reminders", period_key="2026-10-01")
        OldDigest.objects.filter(pk=older.pk).update(created_at=now - datetime.timedelta(days=8))
    finally:
        MigrationExecutor(connection).migrate(leaves)

    assert not Digest.objects.filter(pk=unsent.pk).exists()
    report.refresh_from_db()
    assert report.delivered_at is None
    assert Digest.objects.get(pk=older.pk).mail.state == "failed"  # older: kept as it was

    [digest_id] = plan_report_digests(now=timezone.now())
    digest = Digest.objects.get(pk=digest_id)
    assert (digest.recipient, list(digest.reports.all())) == (ambassador, [report])
    assert digest.mail is not None and digest.mail.key == f"digest:{digest.pk}"
