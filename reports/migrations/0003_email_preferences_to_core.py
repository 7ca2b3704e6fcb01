from django.db import migrations


class Migration(migrations.Migration):
    """EmailPreferences moves to core, where every app may read it: reports lets go of the model
    and keeps the table, which core.0002 takes over with its rows."""

    dependencies = [
        ("reports", "0002_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EmailPreferences")],
            database_operations=[],
        ),
    ]
