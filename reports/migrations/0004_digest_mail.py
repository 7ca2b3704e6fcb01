import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000
PLANNED_AGAIN_DAYS = 7
NOT_SENT = "Sin enviar antes del registro de correos (no guarda su texto)."


def plan_recent_unsent_digests_again(apps, schema_editor):
    """Unsent digests of the last days are removed so the planners write them again, with their
    text, through the outgoing mail (a migration cannot render the app's templates): a reports
    digest's reports become undelivered, for the hourly planner to fold again; reminders and
    weekly summaries are written anew by their next scheduled run, the same period's key now free.
    Not undone by the reverse migration: the digests written again stand."""
    Digest = apps.get_model("reports", "Digest")
    ProgressReport = apps.get_model("reports", "ProgressReport")
    since = timezone.now() - datetime.timedelta(days=PLANNED_AGAIN_DAYS)
    recent = Digest.objects.filter(sent_at__isnull=True, created_at__gte=since)
    report_ids = Digest.reports.through.objects.filter(digest__in=recent.filter(kind="reports")).values(
        "progressreport_id"
    )
    ProgressReport.objects.filter(pk__in=report_ids).update(delivered_at=None)
    recent.delete()


def digests_to_mail(apps, schema_editor):
    """Each digest gets its mail row: sent (and when) for those sent, failed for the older unsent
    ones, whose text was never kept (they are listed in admin, where the digest shows what they held)."""
    plan_recent_unsent_digests_again(apps, schema_editor)
    Digest = apps.get_model("reports", "Digest")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    EmailPreferences = apps.get_model("core", "EmailPreferences")
    languages = dict(EmailPreferences.objects.values_list("user_id", "language"))
    pending = Digest.objects.filter(mail__isnull=True).select_related("recipient")
    while batch := list(pending.order_by("pk")[:BATCH]):
        mails = [
            OutgoingEmail(
                key=f"digest:{digest.pk}",
                recipient_id=digest.recipient_id,
                to=digest.recipient.email,
                language=languages.get(digest.recipient_id, settings.LANGUAGE_CODE),
                state="sent" if digest.sent_at else "failed",
                attempts=1 if digest.sent_at else 0,
                created_at=digest.created_at,
                due_at=digest.created_at,
                sent_at=digest.sent_at,
                last_error="" if digest.sent_at else NOT_SENT,
            )
            for digest in batch
        ]
        OutgoingEmail.objects.bulk_create(mails)
        mail_of = dict(OutgoingEmail.objects.filter(key__in=[mail.key for mail in mails]).values_list("key", "pk"))
        for digest in batch:
            digest.mail_id = mail_of[f"digest:{digest.pk}"]
        Digest.objects.bulk_update(batch, ["mail"])


def mail_to_digests(apps, schema_editor):
    Digest = apps.get_model("reports", "Digest")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    for digest in Digest.objects.filter(mail__sent_at__isnull=False).select_related("mail").iterator():
        Digest.objects.filter(pk=digest.pk).update(sent_at=digest.mail.sent_at)
    OutgoingEmail.objects.filter(key__startswith="digest:").delete()


class Migration(migrations.Migration):
    """Digest emails go through core's outgoing mail: the digest keeps a link to its mail row,
    which says whether and when it was sent, instead of its own `sent_at`."""

    dependencies = [
        ("core", "0002_email_preferences_from_reports"),
        ("reports", "0003_email_preferences_to_core"),
    ]

    # Each step in its own transaction: PostgreSQL refuses to alter a table whose rows the same
    # transaction updated with deferred foreign-key checks still pending (the links to the mail rows).
    atomic = False

    operations = [
        migrations.AddField(
            model_name="digest",
            name="mail",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.outgoingemail",
                verbose_name="correo",
            ),
        ),
        migrations.RunPython(digests_to_mail, mail_to_digests, atomic=True),
        migrations.RemoveField(model_name="digest", name="sent_at"),
    ]
