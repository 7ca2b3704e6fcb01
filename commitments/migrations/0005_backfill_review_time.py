"""Decisions recorded before review times were kept: the time since the submission before them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    ActionStatusChange = apps.get_model("commitments", "ActionStatusChange")
    submitted_before = ActionStatusChange.objects.filter(
        action=OuterRef("action"), to_status="submitted", at__lte=OuterRef("at")
    ).order_by("-at", "-pk")
    decisions = ActionStatusChange.objects.filter(
        to_status__in=["approved", "returned"], review_time__isnull=True
    ).annotate(submitted_at=Subquery(submitted_before.values("at")[:1]))
    for decision in decisions.exclude(submitted_at=None).iterator():
        decision.review_time = decision.at - decision.submitted_at
        decision.save(update_fields=["review_time"])


class Migration(migrations.Migration):
    dependencies = [("commitments", "0004_review_time_and_notifications")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
