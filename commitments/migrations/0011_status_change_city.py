import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_action_city(apps, schema_editor):
    """Every status change takes its action's city, in one UPDATE."""
    Action = apps.get_model("commitments", "Action")
    ActionStatusChange = apps.get_model("commitments", "ActionStatusChange")
    ActionStatusChange.objects.update(
        city_id=Subquery(Action.objects.filter(pk=OuterRef("action_id")).values("city_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0004_access_attempts"),
        ("commitments", "0010_indicator_tally"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionstatuschange",
            name="city",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="ambassadors.city",
            ),
        ),
        migrations.RunPython(copy_action_city, migrations.RunPython.noop, elidable=True),
    ]
