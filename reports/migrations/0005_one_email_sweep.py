from django.db import migrations

OLD_TASK = "commitments.send_unsent_decision_emails"
NEW = {
    "name": "Reenviar correos pendientes",
    "task": "core.send_lost_emails",
    "description": "Cada diez minutos: vuelve a poner en cola los correos cuyo envío se perdió.",
}


def decision_sweep_to_email_sweep(apps, schema_editor):
    """The decision emails' sweep becomes the sweep of every email (the old task no longer
    exists). The entry is changed in place, so an admin's edits to it (its times, whether it
    runs) survive; install_periodic_tasks then finds it and leaves it alone."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NEW["name"]).exists():
        PeriodicTask.objects.filter(task=OLD_TASK).delete()
    else:
        PeriodicTask.objects.filter(task=OLD_TASK).update(**NEW)


def email_sweep_to_decision_sweep(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=NEW["task"]).update(
        name="Reenviar avisos de revisión pendientes",
        task=OLD_TASK,
        description="Cada diez minutos: envía los correos de aprobación o devolución que no salieron.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0001_initial"),
        ("reports", "0004_digest_mail"),
    ]

    operations = [migrations.RunPython(decision_sweep_to_email_sweep, email_sweep_to_decision_sweep)]
