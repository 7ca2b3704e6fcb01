"""The link works once, until it expires, while the invitation is open and its latest; a forged
or altered one does nothing."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone

from ambassadors.models import Ambassador
from invitations import links, services
from invitations.links import Problem, invitation_from_token, token_for
from invitations.tests.conftest import link_path

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "Nora",
    "last_name": "Nueva",
    "password1": "una-clave-larga-2026",
    "password2": "una-clave-larga-2026",
}


def _nothing_happened():
    assert not get_user_model().objects.filter(email="nueva@example.org").exists()
    assert not Ambassador.objects.filter(city__name="Callao").exists()


def test_a_fresh_link_works(callao_invitation):
    invitation, problem = invitation_from_token(token_for(callao_invitation))
    assert problem is None
    assert invitation == callao_invitation


def test_a_tampered_link_shows_its_page_and_does_nothing(client, callao_invitation):
    token = token_for(callao_invitation)
    forged = signing.Signer(salt="another-salt").sign_object({"i": callao_invitation.pk, "n": "guessed"})
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        response = client.post(f"/invitacion/{bad}/", NEW_PERSON)
        assert response.status_code == 404
        assert "El enlace está incompleto o no es válido" in response.content.decode()
    _nothing_happened()


def test_a_link_signed_for_a_wrong_nonce_is_a_replaced_link(client, callao_invitation):
    token = signing.Signer(salt=links.SALT).sign_object({"i": callao_invitation.pk, "n": "not-its-nonce"})
    response = client.post(f"/invitacion/{token}/", NEW_PERSON)
    assert response.status_code == 410
    _nothing_happened()


def test_an_expired_link_does_nothing(client, callao_invitation):
    path = link_path(callao_invitation)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = client.post(path, NEW_PERSON)
    assert response.status_code == 410
    assert "Esta invitación venció." in response.content.decode()
    _nothing_happened()


def test_a_revoked_link_does_nothing(client, callao_invitation, coordinator):
    path = link_path(callao_invitation)
    services.invitation_revoke(invitation=callao_invitation, by=coordinator)
    response = client.post(path, NEW_PERSON)
    assert response.status_code == 410
    assert "revocada" in response.content.decode()
    _nothing_happened()


def test_a_used_link_does_nothing_the_second_time(client, callao_invitation):
    path = link_path(callao_invitation)
    assert client.post(path, NEW_PERSON).status_code == 302
    client.logout()
    response = client.post(path, {**NEW_PERSON, "first_name": "Otra"})
    assert response.status_code == 410
    assert "ya fue aceptada" in response.content.decode()
    assert get_user_model().objects.filter(email="nueva@example.org").count() == 1
    assert Ambassador.objects.filter(city__name="Callao").count() == 1


def test_sending_again_kills_the_old_link_and_the_new_one_works(client, callao_invitation, coordinator):
    old = link_path(callao_invitation)
    services.invitation_resend(invitation=callao_invitation, by=coordinator)
    new = link_path(callao_invitation)
    assert new != old
    response = client.post(old, NEW_PERSON)
    assert response.status_code == 410
    assert "se envió otra vez" in response.content.decode()
    _nothing_happened()
    assert client.post(new, NEW_PERSON).status_code == 302


def test_sending_again_renews_an_expired_invitation(callao_invitation, coordinator):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        services.invitation_resend(invitation=callao_invitation, by=coordinator)
        assert invitation_from_token(token_for(callao_invitation))[1] is None


def test_the_problem_page_speaks_the_visitors_language(client, callao_invitation, coordinator):
    path = link_path(callao_invitation)
    services.invitation_revoke(invitation=callao_invitation, by=coordinator)
    response = client.get(path, headers={"accept-language": "en"})
    assert '<html lang="en">' in response.content.decode()


def test_an_address_that_opens_many_bad_links_is_refused_for_a_while(client, callao_invitation, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bad-links"}}
    for number in range(links.BAD_LINKS_PER_ADDRESS):
        assert client.get(f"/invitacion/bad-{number}/").status_code == 404
    assert client.get("/invitacion/bad-again/").status_code == 429
    # Only bad links are refused: a working one, its signature checked first, still opens.
    assert client.get(link_path(callao_invitation)).status_code == 200
    assert Problem.INVALID == "invalid"
