"""Who sees which city: the one place every later page filters through."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ambassadors.models import AMBASSADORS_GROUP, City
from ambassadors.scope import roles_of
from ambassadors.tests.factories import UserFactory
from conftest import session_queries


def visible(user):
    return set(City.objects.visible_to(user).values_list("name", flat=True))


@pytest.mark.django_db
def test_an_ambassador_sees_only_their_own_city(ambassador, other_ambassador):
    assert visible(ambassador) == {"Lima"}
    assert visible(other_ambassador) == {"Rosario"}


@pytest.mark.django_db
def test_a_coordinator_sees_the_cities_of_the_countries_they_coordinate(
    coordinator, coordinator_elsewhere, lima, rosario
):
    assert visible(coordinator) == {"Lima"}
    assert visible(coordinator_elsewhere) == set()


@pytest.mark.django_db
def test_an_admin_sees_every_city(admin, lima, rosario):
    assert visible(admin) == {"Lima", "Rosario"}


@pytest.mark.django_db
def test_anonymous_and_roleless_people_see_nothing(lima):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    assert visible(UserFactory()) == set()


@pytest.mark.django_db
def test_a_scope_row_without_its_group_gives_no_access(ambassador):
    """A role is the group plus the scope: an admin who removes the group removes the role."""
    ambassador.groups.remove(Group.objects.get(name=AMBASSADORS_GROUP))
    assert visible(ambassador) == set()


@pytest.mark.django_db
def test_a_deactivated_account_sees_nothing(ambassador):
    ambassador.is_active = False
    ambassador.save()
    assert visible(ambassador) == set()


@pytest.mark.django_db
def test_roles_are_read_from_groups_and_scope(ambassador, coordinator, admin, lima):
    assert roles_of(ambassador).is_ambassador and roles_of(ambassador).ambassador_city_id == lima.pk
    assert roles_of(coordinator).is_coordinator and not roles_of(coordinator).is_ambassador
    assert roles_of(admin).is_admin and roles_of(admin).reads_many_cities


@pytest.mark.django_db
def test_an_ambassador_cannot_open_another_citys_page(client_for, ambassador, rosario):
    response = client_for(ambassador).get(reverse("ambassadors:city", args=[rosario.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_ambassador_opens_their_own_city_with_its_ambassador(client_for, ambassador, lima):
    response = client_for(ambassador).get(reverse("ambassadors:city", args=[lima.pk]))
    assert response.status_code == 200
    assert "Alicia" in response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_out_of_scope_cannot_open_the_city(client_for, coordinator_elsewhere, lima):
    response = client_for(coordinator_elsewhere).get(reverse("ambassadors:city", args=[lima.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_city_list_shows_only_network_cities_in_scope(client_for, coordinator, ambassador, other_ambassador):
    page = client_for(coordinator).get(reverse("ambassadors:cities")).content.decode()
    assert "Lima" in page
    assert "Rosario" not in page


@pytest.mark.django_db
def test_the_city_list_runs_a_fixed_number_of_queries(client_for, admin, django_assert_num_queries):
    import datetime

    from ambassadors import services
    from ambassadors.tests.factories import CityFactory

    for n in range(12):
        services.ambassador_appoint(
            city=CityFactory(), user=UserFactory(username=f"amb{n}"), appointed_on=datetime.date(2025, 1, 1)
        )
    client = client_for(admin)
    # user, count, page of cities, current ambassadors with their users, roles, the navigation's
    # two counters (unread notifications, actions waiting for review) in one; and the session
    with django_assert_num_queries(6 + session_queries()):
        response = client.get(reverse("ambassadors:cities"))
    assert response.content.decode().count('<th scope="row">') == 12


@pytest.mark.django_db
def test_pages_that_need_a_login_send_anonymous_people_to_it(client, lima):
    for url in [
        reverse("ambassadors:cities"),
        reverse("ambassadors:city", args=[lima.pk]),
        reverse("ambassadors:landing"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
