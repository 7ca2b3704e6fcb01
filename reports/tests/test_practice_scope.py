"""The weekly summary and a city's report hold only published practices (found by the attack on
the practice library: its drafts never leave the city through an email or a report)."""

import datetime
import json

import pytest
from django.utils import timezone

from ambassadors.tests.factories import UserFactory
from commitments.models import Action, Commitment
from commitments.tests.factories import ActionFactory
from practices.models import CommitmentFollow, Practice
from practices.tests.factories import PracticeFactory
from reports.content import build_snapshot
from reports.digests import weekly_items
from reports.periods import Period

SECRET = "Plan reservado de Lima"


@pytest.mark.django_db
def test_the_weekly_summary_and_the_report_snapshot_hold_no_unpublished_practice(
    ambassador, coordinator, lima, seeded_catalogue
):
    reviewer = UserFactory(is_staff=True, is_superuser=True)

    def approved():
        return ActionFactory(by=ambassador, status=Action.Status.APPROVED, reviewer=reviewer)

    for status in (Practice.Status.DRAFT, Practice.Status.SUBMITTED, Practice.Status.RETURNED):
        PracticeFactory(by=ambassador, actions=[approved()], status=status, title=f"{SECRET} {status}")
    PracticeFactory(by=ambassador, actions=[approved()], status="published", title="Publicada")
    for commitment in Commitment.objects.all():
        CommitmentFollow.objects.create(user=coordinator, commitment=commitment)
    today = timezone.localdate()
    items = weekly_items(
        week=Period(today - datetime.timedelta(days=3), today + datetime.timedelta(days=1)), now=timezone.now()
    )
    text = json.dumps({str(user): value for user, value in items.items()}, default=str)
    assert "Publicada" in text  # the summary works: the published one is there
    assert SECRET not in text
    snapshot = build_snapshot(city=lima, kind="month", period=Period(today.replace(day=1), today))
    assert SECRET not in json.dumps(snapshot, default=str)
    assert snapshot["practices"]["published"] == 1
