import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, source, target):
    """Keep the permissions given on the model (they hang on its content type)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="emailpreferences").exists():
        ContentType.objects.filter(app_label=source, model="emailpreferences").update(app_label=target)


def content_type_to_core(apps, schema_editor):
    _move_content_type(apps, schema_editor, "reports", "core")


def content_type_to_reports(apps, schema_editor):
    _move_content_type(apps, schema_editor, "core", "reports")


class Migration(migrations.Migration):
    """EmailPreferences comes from reports with its rows: core adopts the table as it is, then
    renames it to its own name."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_outgoing_email"),
        ("reports", "0003_email_preferences_to_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EmailPreferences",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "reminders",
                            models.CharField(
                                choices=[
                                    ("daily", "Cada día que haya algo pendiente"),
                                    ("weekly", "Una vez por semana"),
                                    ("never", "Nunca"),
                                ],
                                default="daily",
                                max_length=8,
                                verbose_name="recordatorios",
                            ),
                        ),
                        (
                            "report_digests",
                            models.BooleanField(default=True, verbose_name="informes de progreso listos"),
                        ),
                        (
                            "weekly_summary",
                            models.BooleanField(
                                default=True,
                                help_text="Solo para coordinadores: las cifras de la semana.",
                                verbose_name="resumen semanal",
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[("es", "Español"), ("en", "Inglés"), ("pt-br", "Portugués (Brasil)")],
                                default="es",
                                max_length=8,
                                verbose_name="idioma",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="email_preferences",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="persona",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "preferencias de correo",
                        "verbose_name_plural": "preferencias de correo",
                        "db_table": "reports_emailpreferences",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="emailpreferences", table=None),
        migrations.RunPython(content_type_to_core, content_type_to_reports),
    ]
