"""The GIN index of the practices' full-text vector, on PostgreSQL only (SQLite searches the
folded words instead: practices/search.py)."""

from django.db import migrations

INDEX = "practice_search_vector_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON practices_practice USING gin (search_vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_practices")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
