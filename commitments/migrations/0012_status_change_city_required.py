import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0011, so that its UPDATE's deferred foreign-key checks ran before this ALTER."""

    dependencies = [
        ("ambassadors", "0004_access_attempts"),
        ("commitments", "0011_status_change_city"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actionstatuschange",
            name="city",
            field=models.ForeignKey(
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
