"""What changed between sending and accepting: resends at once, an expired invitation sent
again, the city taken meanwhile, the inviter's rights withdrawn, the invitee now holding a post."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassadors.models import Ambassador
from ambassadors.services import ambassador_appoint, coordinator_set_scope
from ambassadors.tests.factories import UserFactory
from core.models import OutgoingEmail
from invitations import services
from invitations.links import invitation_from_token, token_for
from invitations.models import Invitation
from invitations.tests.conftest import link_path

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "N",
    "last_name": "N",
    "password1": "una-clave-larga-2026",
    "password2": "una-clave-larga-2026",
}


def test_two_resends_at_once_send_two_emails_and_the_last_link_works(callao_invitation, coordinator):
    one, two = Invitation.objects.get(pk=callao_invitation.pk), Invitation.objects.get(pk=callao_invitation.pk)
    services.invitation_resend(invitation=one, by=coordinator)
    services.invitation_resend(invitation=two, by=coordinator)
    callao_invitation.refresh_from_db()
    assert callao_invitation.times_sent == 3
    emails = OutgoingEmail.objects.filter(key__startswith=f"invitation:{callao_invitation.pk}:")
    assert emails.count() == 3
    latest = emails.get(key=f"invitation:{callao_invitation.pk}:{callao_invitation.nonce}")
    assert token_for(callao_invitation) in latest.body
    assert invitation_from_token(token_for(callao_invitation))[1] is None


def test_an_expired_invitation_is_not_sent_again_over_a_newer_one_for_the_city(invite, callao_invitation, coordinator):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        invite(coordinator, city=callao_invitation.city, email="otra@example.org")
        with pytest.raises(ValidationError, match="pendiente"):
            services.invitation_resend(invitation=callao_invitation, by=coordinator)


def test_an_invitation_to_a_city_taken_meanwhile_cannot_be_accepted(client, callao_invitation, callao):
    someone = UserFactory(username="alguien")
    ambassador_appoint(city=callao, user=someone, appointed_on=timezone.localdate())
    response = client.post(link_path(callao_invitation), NEW_PERSON)
    assert response.status_code == 410 and "ya no puede aceptarse" in response.content.decode()
    assert Ambassador.objects.current().get(city=callao).user == someone
    callao_invitation.refresh_from_db()
    assert callao_invitation.state == Invitation.State.PENDING
    assert not Ambassador.objects.filter(user__email="nueva@example.org").exists()


def test_an_invitation_outlives_no_withdrawn_coordinator(client, callao_invitation, coordinator, peru):
    coordinator_set_scope(user=coordinator, countries=[peru], active=False)
    assert client.post(link_path(callao_invitation), NEW_PERSON).status_code == 410
    assert not Ambassador.objects.filter(city=callao_invitation.city).exists()


def test_an_invitee_who_became_a_coordinator_meanwhile_is_refused(client, invite, coordinator, callao, mexico):
    person = UserFactory(username="nueva", email="nueva@example.org")
    invitation = invite(coordinator, city=callao)
    coordinator_set_scope(user=person, countries=[mexico])
    client.force_login(person)
    response = client.post(link_path(invitation))
    assert response.status_code == 200 and "coordinadora" in response.content.decode()
    assert not Ambassador.objects.filter(user=person).exists()


def test_no_city_outside_the_inviters_countries_is_named(invite, coordinator, other_ambassador, callao):
    with pytest.raises(ValidationError) as refused:
        invite(coordinator, city=callao, email=other_ambassador.email)
    assert "Rosario" not in str(refused.value) and "ya tiene un cargo vigente" in str(refused.value)
