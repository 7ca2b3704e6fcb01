"""Asking for a city's public page and deciding on it: who may, and what each step leaves."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import UserFactory
from core.models import OutgoingEmail
from core.tests.threads import at_once
from public import services
from public.models import PublicPage


@pytest.fixture
def request_of_lima(ambassador, lima):
    return services.page_request(city=lima, by=ambassador)


def test_the_ambassador_in_office_asks_for_their_citys_page_with_an_address_of_its_name(ambassador, lima):
    page = services.page_request(city=lima, by=ambassador)
    assert (page.slug, page.status, page.requested_by) == ("lima-pe", "pending", ambassador)
    assert page.requested_at is not None
    assert page.history.first().history_user == ambassador


def test_a_request_tells_the_coordinators_of_the_citys_country_and_no_one_else(
    ambassador, lima, coordinator, coordinator_elsewhere, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.page_request(city=lima, by=ambassador)
    sent = OutgoingEmail.objects.filter(key__startswith="public-page-request:")
    assert [email.recipient for email in sent] == [coordinator]
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "Lima" in mail.outbox[0].subject and "/publico/solicitudes/" in mail.outbox[0].body


def test_a_request_in_a_country_without_coordinators_tells_the_admins(ambassador, lima, admin):
    services.page_request(city=lima, by=ambassador)
    assert [e.recipient for e in OutgoingEmail.objects.filter(key__startswith="public-page-request:")] == [admin]


def test_nobody_but_the_citys_ambassador_in_office_may_ask(lima, other_ambassador, coordinator, admin):
    for user in (other_ambassador, coordinator, admin):
        with pytest.raises(PermissionDenied):
            services.page_request(city=lima, by=user)
    assert not PublicPage.objects.exists()


def test_a_page_waiting_or_public_cannot_be_asked_for_again(request_of_lima, ambassador, lima):
    with pytest.raises(PermissionDenied):
        services.page_request(city=lima, by=ambassador)


def test_a_coordinator_of_the_country_approves_and_the_ambassador_is_told_by_email(
    request_of_lima, coordinator, ambassador, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = services.page_approve(page=request_of_lima, by=coordinator)
    assert (page.status, page.decided_by) == ("published", coordinator)
    assert page.history.first().history_user == coordinator
    [email] = mail.outbox
    assert email.to == [ambassador.email]
    assert "/publico/lima-pe/" in email.body


def test_declining_needs_a_comment_and_the_ambassador_reads_it_and_may_ask_again(
    request_of_lima, coordinator, ambassador, lima
):
    with pytest.raises(ValidationError) as refused:
        services.page_decline(page=request_of_lima, by=coordinator, comment="  ")
    assert "comment" in refused.value.message_dict
    page = services.page_decline(page=request_of_lima, by=coordinator, comment="Faltan metas aprobadas.")
    assert (page.status, page.comment) == ("declined", "Faltan metas aprobadas.")
    assert OutgoingEmail.objects.get(key__startswith="public-page-decision:").recipient == ambassador
    again = services.page_request(city=lima, by=ambassador)
    assert (again.pk, again.status, again.comment, again.decided_by) == (page.pk, "pending", "", None)


def test_an_ambassador_cannot_approve_a_request_of_their_city_nor_of_another(
    request_of_lima, ambassador, other_ambassador
):
    for user in (ambassador, other_ambassador):
        with pytest.raises(PermissionDenied):
            services.page_approve(page=request_of_lima, by=user)
    request_of_lima.refresh_from_db()
    assert request_of_lima.status == "pending"


def test_a_coordinator_elsewhere_cannot_decide(request_of_lima, coordinator_elsewhere):
    with pytest.raises(PermissionDenied):
        services.page_approve(page=request_of_lima, by=coordinator_elsewhere)
    with pytest.raises(PermissionDenied):
        services.page_decline(page=request_of_lima, by=coordinator_elsewhere, comment="No.")


def test_a_coordinator_never_decides_a_request_they_made_themselves(lima, peru, coordinator):
    """A coordinator who is also the city's ambassador (an interim) asked: another must decide."""
    ambassador_services.ambassador_appoint(city=lima, user=coordinator, appointed_on=datetime.date(2026, 1, 1))
    page = services.page_request(city=lima, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.page_approve(page=page, by=coordinator)
    services.page_approve(page=page, by=UserFactory(is_staff=True, is_superuser=True))


def test_a_request_is_decided_once(request_of_lima, coordinator, admin):
    services.page_approve(page=request_of_lima, by=coordinator)
    with pytest.raises(ValidationError):
        services.page_decline(page=request_of_lima, by=admin, comment="Tarde.")


def test_an_admin_switches_a_page_on_and_off_and_only_an_admin(lima, admin, coordinator):
    page = services.page_admin_save(city=lima, slug="", published=True, by=admin)
    assert (page.slug, page.status, page.decided_by) == ("lima-pe", "published", admin)
    page = services.page_admin_save(city=lima, slug="lima", published=False, by=admin, page=page)
    assert (page.slug, page.status) == ("lima", "unpublished")
    with pytest.raises(PermissionDenied):
        services.page_admin_save(city=lima, slug="x", published=True, by=coordinator, page=page)
    assert page.history.count() == 2


def test_a_decline_comment_with_a_control_character_is_refused_as_the_model_refuses_it(request_of_lima, coordinator):
    # The decision is a conditional UPDATE, which runs no field validator of the model's.
    with pytest.raises(ValidationError):
        services.page_decline(page=request_of_lima, by=coordinator, comment="Faltan\x0b metas.")
    request_of_lima.refresh_from_db()
    assert (request_of_lima.status, request_of_lima.comment) == ("pending", "")


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_leave_one_waiting_and_no_crash(lima, ambassador):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on it)")
    # A double click on "Solicitar": with no page yet there was no row to lock, and the second
    # insert failed on the unique city (IntegrityError, a 500).
    outcomes = at_once(lambda _n: services.page_request(city=lima, by=ambassador), [1, 2])
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["PermissionDenied", "PublicPage"]
    assert PublicPage.objects.get(city=lima).status == "pending"
