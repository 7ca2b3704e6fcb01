import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_action_city_again(apps, schema_editor):
    """Status changes recorded since 0011 by code that did not yet set the city (workers still
    running the previous release during the deploy) take their action's city too."""
    Action = apps.get_model("commitments", "Action")
    ActionStatusChange = apps.get_model("commitments", "ActionStatusChange")
    copied = ActionStatusChange.objects.filter(city__isnull=True).update(
        city_id=Subquery(Action.objects.filter(pk=OuterRef("action_id")).values("city_id")[:1])
    )
    if copied and schema_editor.connection.vendor == "postgresql":
        # The UPDATE's deferred foreign-key checks, now: ALTER TABLE refuses pending ones.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    """Apart from 0011, so that its UPDATE's deferred foreign-key checks ran before this ALTER."""

    dependencies = [
        ("ambassadors", "0004_access_attempts"),
        ("commitments", "0011_status_change_city"),
    ]

    operations = [
        migrations.RunPython(copy_action_city_again, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="actionstatuschange",
            name="city",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="ambassadors.city",
            ),
        ),
        migrations.RemoveIndex(
            model_name="actionstatuschange",
            name="statuschange_status_at_idx",
        ),
        migrations.AddIndex(
            model_name="actionstatuschange",
            index=models.Index(
                fields=["to_status", "at", "city", "by", "review_time"], name="statuschange_decisions_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="actionstatuschange",
            index=models.Index(fields=["city", "-at"], name="statuschange_city_at_idx"),
        ),
    ]
