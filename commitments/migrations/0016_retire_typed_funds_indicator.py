"""Indicator 1.4-a "Fondos internacionales movilizados" retired: the funds an action mobilised
are its fund rows (amount, currency, funder, stage), shown everywhere as money sought and money
secured in USD at the admins' rate. A number typed again beside them counted the same money twice.

Deactivated, not deleted: the action and target forms offer active indicators only, so no new
value or target is typed on it, while the values and targets already recorded stay readable (the
action's page, its history, reports already written). Reversing it offers the indicator again.
"""

from django.db import migrations

RETIRED = ["1.4-a"]


def retire_typed_funds(apps, schema_editor):
    apps.get_model("commitments", "Indicator").objects.filter(code__in=RETIRED).update(active=False)


def offer_typed_funds_again(apps, schema_editor):
    apps.get_model("commitments", "Indicator").objects.filter(code__in=RETIRED).update(active=True)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0015_notification_mail"),
    ]

    operations = [migrations.RunPython(retire_typed_funds, offer_typed_funds_again)]
