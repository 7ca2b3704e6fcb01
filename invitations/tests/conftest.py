import pytest
from django.core import mail

from ambassadors.tests.factories import CityFactory
from invitations import services
from invitations.links import token_for
from invitations.models import Invitation


@pytest.fixture
def callao(peru):
    """A city of Peru with no ambassador: Carla's scope."""
    return CityFactory(country=peru, name="Callao", region="Callao", time_zone="America/Lima")


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """invite(by, **fields): an invitation made through the service, its email sent."""

    def make(by, **fields):
        fields.setdefault("email", "nueva@example.org")
        fields.setdefault("full_name", "Nora Nueva")
        fields.setdefault("role", Invitation.Role.AMBASSADOR)
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_create(by=by, **fields)

    return make


@pytest.fixture
def callao_invitation(invite, coordinator, callao):
    """Carla invited Nora to be the ambassador of Callao."""
    mail.outbox.clear()
    return invite(coordinator, city=callao)


def link_path(invitation):
    from django.urls import reverse

    invitation.refresh_from_db()
    return reverse("invitations:accept", args=[token_for(invitation)])
