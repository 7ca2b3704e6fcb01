import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OutgoingEmail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "key",
                    models.CharField(
                        help_text="Lo que cuenta el correo, como «decision:12» o «digest:40»: uno por clave.",
                        max_length=100,
                        unique=True,
                        verbose_name="clave",
                    ),
                ),
                ("to", models.EmailField(max_length=254, verbose_name="para")),
                (
                    "language",
                    models.CharField(
                        choices=[("es", "Español"), ("en", "Inglés"), ("pt-br", "Portugués (Brasil)")],
                        default="es",
                        max_length=8,
                        verbose_name="idioma",
                    ),
                ),
                ("subject", models.TextField(blank=True, verbose_name="asunto")),
                ("body", models.TextField(blank=True, verbose_name="texto")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "En cola"),
                            ("sending", "Enviándose"),
                            ("sent", "Enviado"),
                            ("failed", "Falló"),
                        ],
                        default="queued",
                        max_length=8,
                        verbose_name="estado",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="intentos")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="creado")),
                ("due_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="próximo intento")),
                ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="en envío desde")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="enviado el")),
                ("last_error", models.TextField(blank=True, verbose_name="último error")),
                (
                    "recipient",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="persona",
                    ),
                ),
            ],
            options={
                "verbose_name": "correo saliente",
                "verbose_name_plural": "correos salientes",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("state__in", ["queued", "sending"])),
                        fields=["due_at"],
                        name="outgoingemail_unsent_idx",
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("state", "sent"), _negated=True), ("sent_at__isnull", False), _connector="OR"
                        ),
                        name="outgoingemail_sent_has_time",
                    )
                ],
            },
        ),
    ]
