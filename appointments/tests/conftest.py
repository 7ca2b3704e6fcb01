import pytest

from ambassadors.models import Ambassador
from appointments import services
from appointments.models import AppointmentLetter


@pytest.fixture
def appointment_of():
    def find(user):
        return Ambassador.objects.current().select_related("city__country", "user").get(user=user)

    return find


@pytest.fixture
def letter_of(appointment_of):
    def find(user):
        return AppointmentLetter.objects.get(appointment=appointment_of(user), revoked_at__isnull=True)

    return find


@pytest.fixture
def accept(appointment_of):
    """Record the user's acceptance of the current wording, as the page does."""

    def record(user, language="es"):
        return services.acceptance_record(appointment=appointment_of(user), by=user, language=language)

    return record
