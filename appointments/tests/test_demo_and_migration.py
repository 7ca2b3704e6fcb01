import importlib

import pytest
from django.apps import apps

from ambassadors.demo import DEMO_AMBASSADORS
from ambassadors.models import Ambassador
from appointments import services
from appointments.models import Acceptance, AppointmentLetter

MIGRATION = importlib.import_module("appointments.migrations.0002_accept_existing_appointments")


@pytest.mark.acceptance_pending
def test_the_migration_records_the_appointments_in_force_as_accepted_on_paper_with_a_letter(
    ambassador, other_ambassador, appointment_of
):
    assert not services.has_accepted(ambassador)
    ended = appointment_of(other_ambassador)
    ended.status, ended.ended_on = Ambassador.Status.ENDED, ended.appointed_on
    ended.save()
    MIGRATION.accept_existing(apps, None)
    ambassador.__dict__.pop("_omcs_roles", None)
    assert services.has_accepted(ambassador)
    acceptance = Acceptance.objects.get(appointment__user=ambassador)
    assert (acceptance.source, acceptance.language, acceptance.accepted_by) == ("paper", "es", ambassador)
    assert AppointmentLetter.objects.get(acceptance=acceptance).revoked_at is None
    assert not Acceptance.objects.filter(appointment=ended).exists()
    MIGRATION.accept_existing(apps, None)  # again: nothing more
    assert Acceptance.objects.count() == 1 and AppointmentLetter.objects.count() == 1
    MIGRATION.forget_paper_acceptances(apps, None)
    assert not Acceptance.objects.exists() and not AppointmentLetter.objects.exists()


@pytest.mark.usefixtures("demo_for_reading")
class TestDemo:
    def test_every_demo_ambassador_accepted_and_has_a_letter_in_force(self):
        usernames = [row[0] for row in DEMO_AMBASSADORS]
        appointments = Ambassador.objects.current().filter(user__username__in=usernames).select_related("user")
        assert appointments.count() == len(usernames)
        for appointment in appointments:
            assert services.has_accepted(appointment.user), appointment
            letter = AppointmentLetter.objects.get(appointment=appointment, revoked_at__isnull=True)
            assert services.letter_state(letter.code) == services.VALID
