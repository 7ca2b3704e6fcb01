"""A target falls due after its baseline year, now in the database too (the rule was only in the
site's service, and Django admin saved what the site refused)."""

import sys

import django.db.models.lookups
from django.db import migrations, models
from django.utils import timezone

import commitments.dbfunctions

REPAIRED = "Año de la línea base corregido por la migración 0017 (vencía en ese año)."


def repair_targets_due_in_their_baseline_year(apps, schema_editor):
    """Targets Django admin saved due in (or before) their baseline year get the year before their
    due date as baseline year: the one change that keeps the entered values and the due date.
    Each repair is written to the target's history and printed, so an administrator can review it.
    Not undone by the reverse migration (the constraint is only removed)."""
    Target = apps.get_model("commitments", "Target")
    HistoricalTarget = apps.get_model("commitments", "HistoricalTarget")
    now = timezone.now()
    fields = [field.attname for field in Target._meta.concrete_fields]
    for target in Target.objects.filter(due_on__year__lte=models.F("baseline_year")).order_by("pk"):
        before = target.baseline_year
        target.baseline_year = target.due_on.year - 1
        Target.objects.filter(pk=target.pk).update(baseline_year=target.baseline_year)
        HistoricalTarget.objects.create(
            **{name: getattr(target, name) for name in fields},
            history_date=now,
            history_type="~",
            history_change_reason=REPAIRED,
            history_user=None,
        )
        # Written where `migrate` reports its steps, for whoever runs the deploy.
        sys.stdout.write(
            f"\n  Target #{target.pk} repaired: due {target.due_on}, baseline year {before} -> {target.baseline_year}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0016_retire_typed_funds_indicator"),
    ]

    operations = [
        migrations.RunPython(repair_targets_due_in_their_baseline_year, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThanOrEqual(
                    commitments.dbfunctions.DayNumber("due_on"),
                    commitments.dbfunctions.YearEndDayNumber("baseline_year"),
                ),
                name="target_due_after_baseline_year",
                violation_error_message="La fecha límite debe ser posterior al año de la línea base.",
            ),
        ),
    ]
