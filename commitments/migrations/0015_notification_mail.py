import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.template.loader import render_to_string
from django.utils import timezone, translation

BATCH = 2000
# What the old sweep still sent: younger than a week, tried fewer than ten times.
STILL_DUE = datetime.timedelta(days=7)
OLD_MAX_ATTEMPTS = 10
GAVE_UP = "Sin enviar: se dejó de intentar antes del registro de correos (no guarda su texto)."


def _person(user):
    """What the decision templates read of a person, without the model's methods."""
    full_name = f"{user.first_name} {user.last_name}".strip()
    return {"get_full_name": full_name, "get_username": user.username}


def _render(notification, language):
    change = notification.status_change
    context = {
        "recipient": _person(notification.recipient),
        "change": {"to_status": change.to_status, "comment": change.comment, "by": _person(change.by)},
        "action": {"title": change.action.title},
        # The action's path as it is when this migration was written.
        "url": f"{settings.SITE_URL}/acciones/{change.action_id}/",
    }
    with translation.override(language):
        subject = " ".join(render_to_string("commitments/email/decision_subject.txt", context).split())
        body = render_to_string("commitments/email/decision_body.txt", context)
    return subject, body


def notifications_to_mail(apps, schema_editor):
    """Each notification gets its mail row: sent (when, how many tries) for those emailed,
    queued (written now, in the reader's language) for those the old sweep would still send,
    failed for those it had given up on."""
    Notification = apps.get_model("commitments", "Notification")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    EmailPreferences = apps.get_model("core", "EmailPreferences")
    languages = dict(EmailPreferences.objects.values_list("user_id", "language"))
    now = timezone.now()
    pending = Notification.objects.filter(mail__isnull=True).select_related(
        "recipient", "status_change__action", "status_change__by"
    )
    while batch := list(pending.order_by("pk")[:BATCH]):
        mails = []
        for notification in batch:
            recipient = notification.recipient
            language = languages.get(recipient.pk, settings.LANGUAGE_CODE)
            mail = OutgoingEmail(
                key=f"decision:{notification.pk}",
                recipient_id=recipient.pk,
                to=recipient.email,
                language=language,
                attempts=notification.email_attempts,
                created_at=notification.created_at,
                due_at=notification.created_at,
            )
            if notification.emailed_at is not None:
                mail.state, mail.sent_at = "sent", notification.emailed_at
            elif (
                notification.created_at >= now - STILL_DUE
                and notification.email_attempts < OLD_MAX_ATTEMPTS
                and recipient.is_active
                and recipient.email
            ):
                mail.state = "queued"  # the sweep (core.send_lost_emails) sends it
                mail.subject, mail.body = _render(notification, language)
            else:
                mail.state, mail.last_error = "failed", GAVE_UP
            mails.append(mail)
        OutgoingEmail.objects.bulk_create(mails)
        mail_of = dict(OutgoingEmail.objects.filter(key__in=[mail.key for mail in mails]).values_list("key", "pk"))
        for notification in batch:
            notification.mail_id = mail_of[f"decision:{notification.pk}"]
        Notification.objects.bulk_update(batch, ["mail"])


def mail_to_notifications(apps, schema_editor):
    Notification = apps.get_model("commitments", "Notification")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    for notification in Notification.objects.filter(mail__isnull=False).select_related("mail").iterator():
        mail = notification.mail
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=mail.sent_at, email_attempts=min(mail.attempts, 32767)
        )
    OutgoingEmail.objects.filter(key__startswith="decision:").delete()


class Migration(migrations.Migration):
    """Decision emails go through core's outgoing mail: the notification keeps a link to its
    mail row, which says whether and when it was sent, instead of its own claim columns."""

    dependencies = [
        ("commitments", "0014_history_of_cities_values_funds"),
        ("core", "0002_email_preferences_from_reports"),
    ]

    # Each step in its own transaction: PostgreSQL refuses to alter a table whose rows the same
    # transaction updated with deferred foreign-key checks still pending (the links to the mail rows).
    atomic = False

    operations = [
        migrations.AddField(
            model_name="notification",
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
        migrations.RunPython(notifications_to_mail, mail_to_notifications, atomic=True),
        migrations.RemoveIndex(model_name="notification", name="notification_unsent_idx"),
        migrations.RemoveField(model_name="notification", name="email_attempts"),
        migrations.RemoveField(model_name="notification", name="email_claimed_at"),
        migrations.RemoveField(model_name="notification", name="emailed_at"),
    ]
