"""The appointments in force when the acceptance of the commitments ships were made under the
paper process, where the person accepted the commitments on paper: they are recorded as
accepted (source "paper", in Spanish, the text of that process) in the current wording, with
their letter, so nobody in office is locked out the day this ships. The current wording's
versions are stored for every language.

The wording and its version are computed as appointments/wording.py does, without importing it
(appointments/tests/test_wording.py pins that both give the same version)."""

import hashlib
import json
import secrets

from django.conf import settings
from django.db import migrations
from django.utils import timezone

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _in(obj, name, language):
    return getattr(obj, f"{name}_{language.replace('-', '_')}", "") or getattr(obj, f"{name}_es")


def _wording(apps, language):
    Axis = apps.get_model("action_axes", "Axis")
    Commitment = apps.get_model("commitments", "Commitment")
    axis_numbers = dict(Axis.objects.values_list("pk", "number"))
    commitments = {}
    for commitment in Commitment.objects.filter(active=True).order_by("order", "number"):
        commitments.setdefault(commitment.axis_id, []).append(
            {
                "code": f"{axis_numbers[commitment.axis_id]}.{commitment.number}",
                "text": _in(commitment, "text", language),
            }
        )
    return {
        "axes": [
            {"number": axis.number, "name": _in(axis, "name", language), "commitments": commitments.get(axis.pk, [])}
            for axis in Axis.objects.order_by("number")
        ]
    }


def _version(wording):
    canonical = json.dumps(wording, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def accept_existing(apps, schema_editor):
    Wording = apps.get_model("appointments", "Wording")
    Acceptance = apps.get_model("appointments", "Acceptance")
    AppointmentLetter = apps.get_model("appointments", "AppointmentLetter")
    Ambassador = apps.get_model("ambassadors", "Ambassador")
    for language, _name in settings.LANGUAGES:
        Wording.objects.update_or_create(language=language, defaults={"version": _version(_wording(apps, language))})
    wording = _wording(apps, "es")
    version, now = _version(wording), timezone.now()
    for appointment in Ambassador.objects.exclude(status="ended").order_by("pk"):
        acceptance, created = Acceptance.objects.get_or_create(
            appointment=appointment,
            language="es",
            version=version,
            defaults={"accepted_by_id": appointment.user_id, "wording": wording, "accepted_at": now, "source": "paper"},
        )
        if created and not AppointmentLetter.objects.filter(appointment=appointment, revoked_at__isnull=True).exists():
            AppointmentLetter.objects.create(
                appointment=appointment,
                acceptance=acceptance,
                code="".join(secrets.choice(CODE_ALPHABET) for _ in range(12)),
                language="es",
                issued_at=now,
            )


def forget_paper_acceptances(apps, schema_editor):
    Acceptance = apps.get_model("appointments", "Acceptance")
    AppointmentLetter = apps.get_model("appointments", "AppointmentLetter")
    AppointmentLetter.objects.filter(acceptance__source="paper").delete()
    Acceptance.objects.filter(source="paper").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_acceptance_and_letters"),
        ("action_axes", "0004_axis_text_checks"),
        ("commitments", "0021_sdg6_indicators"),
    ]

    operations = [migrations.RunPython(accept_existing, forget_paper_acceptances)]
