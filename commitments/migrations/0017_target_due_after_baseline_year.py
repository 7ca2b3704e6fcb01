"""A target falls due after its baseline year, now in the database too (the rule was only in the
site's service, and Django admin saved what the site refused)."""

import django.db.models.lookups
from django.db import migrations, models

import commitments.dbfunctions


def refuse_targets_due_in_their_baseline_year(apps, schema_editor):
    """Name the targets the constraint would refuse, rather than fail on an anonymous check:
    an administrator decides their new due date (no date is guessed here)."""
    Target = apps.get_model("commitments", "Target")
    wrong = [
        f"#{pk} (due {due_on}, baseline {baseline_year})"
        for pk, due_on, baseline_year in Target.objects.filter(due_on__year__lte=models.F("baseline_year"))
        .order_by("pk")
        .values_list("pk", "due_on", "baseline_year")
    ]
    if wrong:
        raise RuntimeError(
            "These targets fall due in or before their baseline year; correct their due date or "
            "baseline year (Django admin, at the previous release) and migrate again: " + ", ".join(wrong)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0016_retire_typed_funds_indicator"),
    ]

    operations = [
        migrations.RunPython(refuse_targets_due_in_their_baseline_year, migrations.RunPython.noop),
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
