"""Two coordinators appointing at the same moment: one wins, the other is told, nothing breaks."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from ambassadors import services
from ambassadors.models import Ambassador
from ambassadors.tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_appointments_to_one_city_leave_exactly_one_in_office(lima):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on it)")
    people = [UserFactory(username=f"candidate{n}") for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def appoint(user):
        try:
            barrier.wait()
            services.ambassador_appoint(city=lima, user=user, appointed_on=datetime.date(2026, 1, 1))
            outcomes.append("appointed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=appoint, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Both can win in turn (the second ends the first, keeping history); none may crash.
    assert sorted(outcomes) in (["appointed", "appointed"], ["appointed", "refused"])
    assert Ambassador.objects.current().filter(city=lima).count() == 1
    assert Ambassador.objects.filter(city=lima).count() == outcomes.count("appointed")
