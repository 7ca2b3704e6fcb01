"""An address already used as another account's username: the new account gets a suffix, and
the person is told the username they log in with."""

import pytest

from ambassadors.tests.factories import UserFactory
from invitations.tests.conftest import link_path

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "N",
    "last_name": "N",
    "password1": "una-clave-larga-2026",
    "password2": "una-clave-larga-2026",
}


def test_the_person_is_told_the_username_when_the_address_was_taken(client, callao_invitation):
    UserFactory(username="nueva@example.org", email="otra@example.org")
    response = client.post(link_path(callao_invitation), NEW_PERSON, follow=True)
    assert "el suyo es nueva@example.org-2" in response.content.decode()
