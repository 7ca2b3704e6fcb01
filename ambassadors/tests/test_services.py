import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ambassadors import services
from ambassadors.models import AMBASSADORS_GROUP, COORDINATORS_GROUP, Ambassador, City
from ambassadors.tests.factories import CityFactory, UserFactory

MARCH_2025 = datetime.date(2025, 3, 1)


def groups(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.django_db
def test_appointing_makes_the_person_an_ambassador_of_the_city(lima):
    user = UserFactory()
    ambassador = services.ambassador_appoint(city=lima, user=user, appointed_on=MARCH_2025)
    assert ambassador.status == Ambassador.Status.ACTIVE
    assert groups(user) == {AMBASSADORS_GROUP}
    assert list(City.objects.visible_to(user)) == [lima]


@pytest.mark.django_db
def test_a_new_ambassador_ends_the_previous_one_and_keeps_the_history(ambassador, lima):
    newcomer = UserFactory(username="elena")
    services.ambassador_appoint(city=lima, user=newcomer, appointed_on=datetime.date(2026, 1, 15))

    history = list(lima.ambassadors.order_by("appointed_on").values_list("user__username", "status", "ended_on"))
    assert history == [
        ("alicia", "ended", datetime.date(2026, 1, 15)),
        ("elena", "active", None),
    ]
    assert City.objects.visible_to(ambassador).count() == 0
    assert AMBASSADORS_GROUP not in groups(ambassador)


@pytest.mark.django_db
def test_a_person_cannot_hold_two_cities_at_once(ambassador, rosario):
    with pytest.raises(ValidationError):
        services.ambassador_appoint(city=rosario, user=ambassador, appointed_on=MARCH_2025)
    assert Ambassador.objects.current().filter(user=ambassador).count() == 1


@pytest.mark.django_db
def test_a_term_cannot_end_before_the_appointment(lima):
    with pytest.raises(ValidationError):
        services.ambassador_appoint(
            city=lima, user=UserFactory(), appointed_on=MARCH_2025, term_ends_on=datetime.date(2025, 1, 1)
        )


@pytest.mark.django_db
def test_the_database_refuses_two_current_ambassadors_for_one_city(ambassador, lima):
    with pytest.raises(IntegrityError), transaction.atomic():
        Ambassador.objects.create(user=UserFactory(), city=lima, appointed_on=MARCH_2025)


@pytest.mark.django_db
def test_ending_an_appointment_removes_access_but_keeps_the_record(ambassador, lima):
    appointment = Ambassador.objects.get(user=ambassador)
    services.ambassador_end(ambassador=appointment, ended_on=datetime.date(2026, 6, 30))
    appointment.refresh_from_db()
    assert (appointment.status, appointment.ended_on) == ("ended", datetime.date(2026, 6, 30))
    assert City.objects.visible_to(ambassador).count() == 0


@pytest.mark.django_db
def test_a_paused_ambassador_still_reads_their_city_and_can_resume(ambassador, lima):
    appointment = Ambassador.objects.get(user=ambassador)
    services.ambassador_set_paused(ambassador=appointment, paused=True)
    assert list(City.objects.visible_to(ambassador)) == [lima]
    services.ambassador_set_paused(ambassador=appointment, paused=False)
    assert Ambassador.objects.get(user=ambassador).status == "active"


@pytest.mark.django_db
def test_an_ended_appointment_cannot_be_paused(ambassador):
    appointment = Ambassador.objects.get(user=ambassador)
    services.ambassador_end(ambassador=appointment, ended_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.ambassador_set_paused(ambassador=appointment, paused=True)


@pytest.mark.django_db
def test_expired_terms_end_on_their_last_day_and_others_stay(lima, rosario):
    expired = services.ambassador_appoint(
        city=lima, user=UserFactory(), appointed_on=MARCH_2025, term_ends_on=datetime.date(2026, 11, 23)
    )
    running = services.ambassador_appoint(
        city=rosario, user=UserFactory(), appointed_on=MARCH_2025, term_ends_on=datetime.date(2026, 11, 24)
    )
    assert services.ambassadors_end_expired_terms(today=datetime.date(2026, 11, 24)) == 1
    expired.refresh_from_db()
    running.refresh_from_db()
    assert (expired.status, expired.ended_on) == ("ended", datetime.date(2026, 11, 23))
    assert running.status == "active"


@pytest.mark.django_db
def test_a_coordinator_scope_can_be_changed_and_withdrawn(coordinator, peru, argentina, lima, rosario):
    services.coordinator_set_scope(user=coordinator, countries=[argentina])
    assert set(City.objects.visible_to(coordinator)) == {rosario}
    services.coordinator_set_scope(user=coordinator, countries=[argentina], active=False)
    assert City.objects.visible_to(coordinator).count() == 0
    assert COORDINATORS_GROUP not in groups(coordinator)


@pytest.mark.django_db
def test_one_person_can_be_ambassador_and_coordinator(ambassador, rosario, argentina, lima):
    services.coordinator_set_scope(user=ambassador, countries=[argentina])
    assert set(City.objects.visible_to(ambassador)) == {lima, rosario}
    assert groups(ambassador) == {AMBASSADORS_GROUP, COORDINATORS_GROUP}


@pytest.mark.django_db
def test_a_city_with_history_cannot_be_deleted(ambassador, lima):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        lima.delete()


@pytest.mark.django_db
def test_cities_out_of_range_coordinates_are_refused(peru):
    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(country=peru, latitude=95)
