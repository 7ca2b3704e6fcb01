import datetime

import pytest
import time_machine

from ambassadors.models import Ambassador
from ambassadors.tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 24)
NOW = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def set_term(appointment, days):
    """The appointment's term ends `days` days from TODAY."""
    Ambassador.objects.filter(pk=appointment.pk).update(term_ends_on=TODAY + datetime.timedelta(days=days))
    appointment.refresh_from_db()
    return appointment


@pytest.fixture
def alicia_term(ambassador):
    """Alicia's appointment in Lima, its term ending in 50 days."""
    return set_term(Ambassador.objects.get(user=ambassador), 50)


@pytest.fixture
def newcomer(db):
    """Nora, registered, holding no post: a successor."""
    return UserFactory(username="nora", first_name="Nora", last_name="Paz")
