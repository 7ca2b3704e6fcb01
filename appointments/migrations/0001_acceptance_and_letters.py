import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ambassadors", "0006_city_text_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Wording",
            fields=[
                (
                    "language",
                    models.CharField(
                        choices=[("es", "Español"), ("en", "Inglés"), ("pt-br", "Portugués (Brasil)")],
                        max_length=8,
                        primary_key=True,
                        serialize=False,
                        verbose_name="idioma",
                    ),
                ),
                ("version", models.CharField(max_length=64, verbose_name="versión")),
                ("refreshed_at", models.DateTimeField(auto_now=True, verbose_name="calculada")),
            ],
            options={
                "verbose_name": "versión vigente de los compromisos",
                "verbose_name_plural": "versiones vigentes de los compromisos",
            },
        ),
        migrations.CreateModel(
            name="Acceptance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "language",
                    models.CharField(
                        choices=[("es", "Español"), ("en", "Inglés"), ("pt-br", "Portugués (Brasil)")],
                        max_length=8,
                        verbose_name="idioma",
                    ),
                ),
                ("version", models.CharField(max_length=64, verbose_name="versión")),
                ("wording", models.JSONField(verbose_name="texto aceptado")),
                ("accepted_at", models.DateTimeField(verbose_name="aceptados el")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("site", "Aceptados en el sitio"),
                            ("paper", "Nombramiento anterior, aceptado en papel"),
                        ],
                        default="site",
                        max_length=8,
                        verbose_name="origen",
                    ),
                ),
                (
                    "accepted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="commitment_acceptances",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="aceptados por",
                    ),
                ),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptances",
                        to="ambassadors.ambassador",
                        verbose_name="nombramiento",
                    ),
                ),
            ],
            options={
                "verbose_name": "aceptación de los compromisos",
                "verbose_name_plural": "aceptaciones de los compromisos",
                "ordering": ["-accepted_at"],
            },
        ),
        migrations.CreateModel(
            name="AppointmentLetter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=16, unique=True, verbose_name="código de verificación")),
                (
                    "language",
                    models.CharField(
                        choices=[("es", "Español"), ("en", "Inglés"), ("pt-br", "Portugués (Brasil)")],
                        max_length=8,
                        verbose_name="idioma",
                    ),
                ),
                ("issued_at", models.DateTimeField(verbose_name="emitida el")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revocada el")),
                (
                    "acceptance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="appointments.acceptance",
                        verbose_name="aceptación que nombra",
                    ),
                ),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="ambassadors.ambassador",
                        verbose_name="nombramiento",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="emitida por",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revocada por",
                    ),
                ),
            ],
            options={
                "verbose_name": "carta de nombramiento",
                "verbose_name_plural": "cartas de nombramiento",
                "ordering": ["-issued_at"],
            },
        ),
        migrations.AddConstraint(
            model_name="acceptance",
            constraint=models.UniqueConstraint(
                fields=("appointment", "language", "version"), name="acceptance_once_per_wording"
            ),
        ),
        migrations.AddConstraint(
            model_name="appointmentletter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_at__isnull", True)), fields=("appointment",), name="letter_one_in_force"
            ),
        ),
        migrations.AddConstraint(
            model_name="appointmentletter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revoked_at__isnull", True), ("revoked_at__gte", models.F("issued_at")), _connector="OR"
                ),
                name="letter_revoked_after_issued",
            ),
        ),
    ]
