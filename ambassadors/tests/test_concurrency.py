"""Two coordinators appointing at the same moment: one wins, the other is told, nothing breaks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ambassadors import services
from ambassadors.models import Ambassador
from ambassadors.tests.factories import UserFactory
from core.tests.threads import at_once


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_appointments_to_one_city_leave_exactly_one_in_office(lima):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on it)")
    people = [UserFactory(username=f"candidate{n}") for n in range(2)]
    outcomes = at_once(
        lambda user: services.ambassador_appoint(city=lima, user=user, appointed_on=datetime.date(2026, 1, 1)),
        people,
    )
    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == [
        outcome for outcome in outcomes if isinstance(outcome, ValidationError)
    ]
    outcomes = ["refused" if isinstance(outcome, ValidationError) else "appointed" for outcome in outcomes]
    # Both can win in turn (the second ends the first, keeping history); none may crash.
    assert sorted(outcomes) in (["appointed", "appointed"], ["appointed", "refused"])
    assert Ambassador.objects.current().filter(city=lima).count() == 1
    assert Ambassador.objects.filter(city=lima).count() == outcomes.count("appointed")
