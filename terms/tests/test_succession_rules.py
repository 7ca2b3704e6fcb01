"""One rule for who may succeed: naming a registered person, inviting someone by email and
accepting that invitation all ask it (admins, coordinators, people in office and the outgoing
person are refused; an appointment handed over once is not handed over again); and a term that
ran out overnight can still be renewed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ambassadors.models import Ambassador
from ambassadors.services import ambassador_appoint, ambassadors_end_expired_terms
from ambassadors.tests.factories import UserFactory
from invitations.models import Invitation
from invitations.tests.conftest import link_path
from terms import invite, services
from terms.models import Handover

from .conftest import TODAY, set_term

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "Otro",
    "last_name": "Más",
    "password1": "una-clave-larga-2026",
    "password2": "una-clave-larga-2026",
}


@pytest.fixture
def inactive(db):
    return UserFactory(username="ina", email="ina@example.org", is_active=False)


@pytest.mark.parametrize("who", ["admin", "coordinator_elsewhere", "ambassador", "other_ambassador", "inactive"])
def test_nobody_holding_a_post_nor_the_outgoing_person_succeeds(request, coordinator, alicia_term, who):
    person = request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        invite.successor_invite(outgoing=alicia_term, by=coordinator, email=person.email, full_name="X Y")
    with pytest.raises(ValidationError):
        services.successor_appoint(outgoing=alicia_term, user=person, by=coordinator)
    assert not Invitation.objects.exists() and not Handover.objects.exists()
    alicia_term.refresh_from_db()
    assert alicia_term.status == "active"


def test_the_form_refuses_the_outgoing_person_by_email(client_for, coordinator, ambassador, alicia_term):
    response = client_for(coordinator).post(
        reverse("terms:successor", args=[alicia_term.pk]), {"email": ambassador.email, "full_name": "Alicia"}
    )
    assert response.status_code == 200
    assert "La persona saliente no puede sucederse a sí misma" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_appointment_handed_over_gets_no_second_successor_by_email(client_for, coordinator, alicia_term, newcomer):
    services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    with pytest.raises(ValidationError, match="ya tiene sucesor"):
        invite.successor_invite(outgoing=alicia_term, by=coordinator, email="otro@example.org", full_name="Otro")
    response = client_for(coordinator).post(
        reverse("terms:successor", args=[alicia_term.pk]), {"email": "otro@example.org", "full_name": "Otro"}
    )
    assert response.status_code in (200, 302) and not Invitation.objects.exists()


def test_naming_someone_while_a_succession_invitation_waits_is_refused(coordinator, alicia_term, newcomer):
    invite.successor_invite(outgoing=alicia_term, by=coordinator, email="otro@example.org", full_name="Otro")
    with pytest.raises(ValidationError, match=r"otro@example\.org"):
        services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    assert Ambassador.objects.current().get(city=alicia_term.city) == alicia_term


def test_race_an_invitation_accepted_after_a_direct_handover_changes_nothing(
    client, coordinator, alicia_term, newcomer
):
    """The invitation was sent; meanwhile the post went to someone else (here by the admin's
    appointment, which knows nothing of invitations): accepting refuses, the successor stays."""
    invitation = invite.successor_invite(outgoing=alicia_term, by=coordinator, email="otro@example.org", full_name="O")
    services.handover_record(
        outgoing=alicia_term,
        successor=ambassador_appoint(city=alicia_term.city, user=newcomer, appointed_on=TODAY),
        by=coordinator,
    )
    response = client.post(link_path(invitation), NEW_PERSON)
    assert response.status_code == 410
    assert "ya no puede aceptarse" in response.content.decode()
    assert Ambassador.objects.current().get(city=alicia_term.city).user == newcomer
    assert Handover.objects.get().successor.user == newcomer
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not Ambassador.objects.filter(user__email="otro@example.org").exists()


def test_race_two_invitations_to_succeed_one_term_only_the_first_acceptance_counts(
    client, coordinator, alicia_term, admin, django_capture_on_commit_callbacks
):
    first = invite.successor_invite(outgoing=alicia_term, by=coordinator, email="una@example.org", full_name="Una")
    # A second invitation slipped in (made before the first, revoked later, ...): built directly.
    second = Invitation.objects.create(
        email="dos@example.org",
        full_name="Dos",
        role="ambassador",
        city=alicia_term.city,
        succeeds=alicia_term,
        invited_by=admin,
        nonce="n" * 32,
        expires_at=first.expires_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link_path(first), NEW_PERSON).status_code == 302
    client.logout()
    assert client.post(link_path(second), NEW_PERSON).status_code == 410
    assert Ambassador.objects.current().get(city=alicia_term.city).user.email == "una@example.org"
    assert Handover.objects.get().successor.user.email == "una@example.org"


def test_an_invitation_to_succeed_an_expired_term_records_the_handover(
    client, coordinator, alicia_term, django_capture_on_commit_callbacks
):
    invitation = invite.successor_invite(outgoing=alicia_term, by=coordinator, email="otro@example.org", full_name="O")
    set_term(alicia_term, -1)
    ambassadors_end_expired_terms(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link_path(invitation), NEW_PERSON).status_code == 302
    handover = Handover.objects.get()
    assert handover.outgoing == alicia_term and handover.successor.user.email == "otro@example.org"


def test_a_term_that_ran_out_overnight_is_renewed_by_reopening_it(client_for, coordinator, ambassador, alicia_term):
    set_term(alicia_term, -1)
    ambassadors_end_expired_terms(today=TODAY)
    page = client_for(coordinator).get(reverse("terms:term", args=[alicia_term.pk])).content.decode()
    assert "Renovar el periodo" in page
    new_end = TODAY + datetime.timedelta(days=365)
    response = client_for(coordinator).post(
        reverse("terms:renew", args=[alicia_term.pk]), {"term_ends_on": new_end.isoformat()}
    )
    assert response.status_code == 302
    alicia_term.refresh_from_db()
    assert (alicia_term.status, alicia_term.ended_on, alicia_term.term_ends_on) == ("active", None, new_end)
    assert ambassador.groups.filter(name="Embajadores").exists()


def test_the_outgoing_person_is_told_to_renew_only_when_renewing_is_possible(coordinator, ambassador, alicia_term):
    set_term(alicia_term, -1)
    ambassadors_end_expired_terms(today=TODAY)
    with pytest.raises(ValidationError, match="renueve el periodo"):
        services.successor_appoint(outgoing=alicia_term, user=ambassador, by=coordinator)


def test_an_appointment_ended_before_its_term_is_not_renewed(coordinator, alicia_term):
    from ambassadors.services import ambassador_end

    ambassador_end(ambassador=alicia_term, ended_on=TODAY)
    with pytest.raises(ValidationError, match="nombre a un sucesor"):
        services.term_renew(ambassador=alicia_term, term_ends_on=TODAY + datetime.timedelta(days=90), by=coordinator)
    alicia_term.refresh_from_db()
    assert alicia_term.status == "ended"


def test_the_term_page_shows_the_succession_invitation_waiting(client_for, coordinator, alicia_term):
    invite.successor_invite(outgoing=alicia_term, by=coordinator, email="otro@example.org", full_name="Otro")
    page = client_for(coordinator).get(reverse("terms:term", args=[alicia_term.pk])).content.decode()
    assert "Hay una invitación pendiente para este cargo, enviada a otro@example.org" in page


def test_a_bad_choice_of_successor_gives_one_error(client_for, coordinator, alicia_term):
    response = client_for(coordinator).post(reverse("terms:successor", args=[alicia_term.pk]), {"user": "999999"})
    form = response.context["successor_form"]
    assert list(form.errors) == ["user"] and len(form.errors["user"]) == 1


@pytest.mark.parametrize(("days_ago", "reads"), [(0, True), (30, True), (31, False)])
def test_the_outgoing_person_reads_for_30_days_after_the_end(ambassador, alicia_term, days_ago, reads):
    from ambassadors.scope import appointments_in_grace
    from ambassadors.services import ambassador_end

    ambassador_end(ambassador=alicia_term, ended_on=TODAY - datetime.timedelta(days=days_ago))
    assert appointments_in_grace(ambassador, today=TODAY).exists() is reads
