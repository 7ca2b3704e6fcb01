"""Renewing a term and naming a successor: who may, and what each does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ambassadors.models import Ambassador
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments.models import Target
from commitments.tests.factories import ActionFactory, TargetFactory
from funding.tests.factories import TransitionPlanFactory
from terms import services
from terms.models import Handover

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_coordinator_renews_a_term_of_their_scope_and_the_history_keeps_it(client_for, coordinator, alicia_term):
    new_end = TODAY + datetime.timedelta(days=730)
    response = client_for(coordinator).post(
        reverse("terms:renew", args=[alicia_term.pk]), {"term_ends_on": new_end.isoformat()}
    )
    assert response.status_code == 302
    alicia_term.refresh_from_db()
    assert alicia_term.term_ends_on == new_end
    last = alicia_term.history.order_by("-history_id").first()
    assert last.term_ends_on == new_end and last.history_user == coordinator


def test_a_renewal_must_end_in_the_future(client_for, coordinator, alicia_term):
    response = client_for(coordinator).post(
        reverse("terms:renew", args=[alicia_term.pk]), {"term_ends_on": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert "El nuevo fin del periodo debe ser una fecha futura." in response.content.decode()
    alicia_term.refresh_from_db()
    assert alicia_term.term_ends_on == TODAY + datetime.timedelta(days=50)


@pytest.mark.parametrize("who", ["coordinator_elsewhere", "other_ambassador", "ambassador"])
def test_nobody_outside_the_scope_renews_or_hands_over(request, client_for, who, alicia_term, newcomer):
    client = client_for(request.getfixturevalue(who))
    for name, body in (
        ("terms:term", None),
        ("terms:renew", {"term_ends_on": "2028-01-01"}),
        ("terms:successor", {"user": newcomer.pk}),
    ):
        url = reverse(name, args=[alicia_term.pk])
        response = client.get(url) if body is None else client.post(url, body)
        assert response.status_code == 404, name
    alicia_term.refresh_from_db()
    assert alicia_term.status == "active" and alicia_term.term_ends_on == TODAY + datetime.timedelta(days=50)
    assert not Handover.objects.exists()


@pytest.mark.parametrize("who", ["ambassador", "other_ambassador"])
def test_an_ambassador_cannot_open_the_terms_page(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("terms:terms")).status_code == 403


def test_the_services_refuse_whoever_does_not_review_the_city(ambassador, coordinator_elsewhere, alicia_term, newcomer):
    for user in (ambassador, coordinator_elsewhere):
        with pytest.raises(PermissionDenied):
            services.term_renew(ambassador=alicia_term, term_ends_on=datetime.date(2028, 1, 1), by=user)
        with pytest.raises(PermissionDenied):
            services.successor_appoint(outgoing=alicia_term, user=newcomer, by=user)


def test_naming_an_existing_person_ends_the_outgoing_appointment_and_appoints_them(
    client_for, coordinator, ambassador, alicia_term, newcomer
):
    response = client_for(coordinator).post(
        reverse("terms:successor", args=[alicia_term.pk]), {"user": newcomer.pk, "term_ends_on": "2028-11-30"}
    )
    assert response.status_code == 302
    alicia_term.refresh_from_db()
    assert alicia_term.status == "ended" and alicia_term.ended_on == TODAY
    successor = Ambassador.objects.current().get(city=alicia_term.city)
    assert successor.user == newcomer and successor.appointed_on == TODAY
    assert successor.term_ends_on == datetime.date(2028, 11, 30)
    handover = Handover.objects.get()
    assert (handover.outgoing, handover.successor, handover.by) == (alicia_term, successor, coordinator)
    assert handover.read_access_until == TODAY + datetime.timedelta(days=30)
    assert not ambassador.groups.filter(name="Embajadores").exists()
    assert newcomer.groups.filter(name="Embajadores").exists()


def test_a_successor_who_cannot_be_appointed_leaves_the_outgoing_one_in_office(
    coordinator, other_ambassador, alicia_term
):
    # Bruno is ambassador of Rosario: he holds a post, so the appointment fails, and the end with it.
    with pytest.raises(ValidationError):
        services.successor_appoint(outgoing=alicia_term, user=other_ambassador, by=coordinator)
    alicia_term.refresh_from_db()
    assert alicia_term.status == "active" and alicia_term.ended_on is None
    assert not Handover.objects.exists()
    assert Ambassador.objects.current().filter(user=other_ambassador, city__name="Rosario").exists()


def test_the_form_offers_only_people_without_a_current_post(client_for, coordinator, alicia_term, newcomer):
    page = client_for(coordinator).get(reverse("terms:term", args=[alicia_term.pk])).content.decode()
    assert "Nora Paz (nora@example.org)" in page
    assert "bruno@example.org" not in page and "carla@example.org" not in page and "alicia@example.org" not in page


def test_an_appointment_is_handed_over_once(coordinator, alicia_term, newcomer):
    services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    other = UserFactory(username="otro")
    with pytest.raises(ValidationError):
        services.successor_appoint(outgoing=alicia_term, user=other, by=coordinator)


def test_a_recently_ended_appointment_gets_a_successor_without_ending_again(coordinator, alicia_term, newcomer):
    from ambassadors.services import ambassador_end

    ambassador_end(ambassador=alicia_term, ended_on=TODAY - datetime.timedelta(days=5))
    handover = services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    alicia_term.refresh_from_db()
    assert alicia_term.ended_on == TODAY - datetime.timedelta(days=5)
    assert handover.read_access_until == TODAY + datetime.timedelta(days=25)


def test_handover_record_is_idempotent(coordinator, alicia_term, newcomer):
    handover = services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    again = services.handover_record(outgoing=alicia_term, successor=handover.successor, by=None)
    assert again.pk == handover.pk and Handover.objects.count() == 1


def test_the_successor_inherits_the_citys_targets_plan_and_history(
    client_for, coordinator, ambassador, alicia_term, newcomer
):
    lima = alicia_term.city
    target = TargetFactory(city=lima)
    plan = TransitionPlanFactory(by=ambassador)
    approved = ActionFactory(by=ambassador, status="approved")
    services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    client = client_for(newcomer)
    # All kept per city: the successor reads and adjusts them as the city's ambassador.
    assert Target.objects.visible_to(newcomer).filter(pk=target.pk).exists()
    assert client.get(reverse("commitments:target_edit", args=[target.pk])).status_code == 200
    assert client.get(reverse("funding:plan", args=[plan.pk])).status_code == 200
    assert client.get(reverse("funding:plan_edit", args=[plan.pk])).status_code == 200
    assert client.get(reverse("commitments:action", args=[approved.pk])).status_code == 200
    assert client.get(reverse("reports:city_progress", args=[lima.pk])).status_code == 200


def test_another_citys_appointment_is_not_listed(client_for, coordinator, alicia_term, other_ambassador):
    rosario = Ambassador.objects.get(user=other_ambassador)
    Ambassador.objects.filter(pk=rosario.pk).update(term_ends_on=TODAY + datetime.timedelta(days=10))
    page = client_for(coordinator).get(reverse("terms:terms")).content.decode()
    assert "Lima" in page and "Rosario" not in page


def test_an_admin_sees_every_city(client_for, admin, alicia_term):
    city = CityFactory(name="Cusco", country=alicia_term.city.country)
    page = client_for(admin).get(reverse("terms:terms")).content.decode()
    assert "Lima" in page and city.name not in page  # Cusco has no appointment
