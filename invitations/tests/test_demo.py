import datetime

import pytest
import time_machine
from django.utils import timezone

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from invitations.demo import DEMO_INVITATION, load_demo_invitations
from invitations.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord_sur(peru):
    user = UserFactory(username="coord.sur")
    ambassador_services.coordinator_set_scope(user=user, countries=[peru])
    CityFactory(country=peru, name="Arequipa")
    return user


def test_the_demo_has_one_pending_invitation_and_a_second_load_adds_none(coord_sur):
    first = load_demo_invitations()
    assert load_demo_invitations() == first
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.city.name, invitation.invited_by) == (
        DEMO_INVITATION["email"],
        "Arequipa",
        coord_sur,
    )
    assert invitation.state == Invitation.State.PENDING


def test_a_later_load_sends_an_expired_demo_invitation_again(coord_sur):
    load_demo_invitations()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        load_demo_invitations()
        invitation = Invitation.objects.get()
        assert (invitation.state, invitation.times_sent) == (Invitation.State.PENDING, 2)
