"""A successor invited by email: when the invitations app accepts the invitation, it ends the
outgoing appointment, appoints the successor and sends appointment_started; the receiver records
the handover."""

import datetime

import pytest

from ambassadors.models import Ambassador
from ambassadors.services import ambassador_appoint, ambassador_end
from invitations import models as invitation_models
from invitations import signals
from terms.models import Handover

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_an_accepted_invitation_of_a_successor_records_the_handover(coordinator, alicia_term, newcomer):
    ambassador_end(ambassador=alicia_term, ended_on=TODAY)
    successor = ambassador_appoint(city=alicia_term.city, user=newcomer, appointed_on=TODAY)
    invitation = invitation_models.Invitation(invited_by=coordinator)
    signals.appointment_started.send(
        sender=invitation_models.Invitation, invitation=invitation, ambassador=successor, outgoing=alicia_term
    )
    handover = Handover.objects.get()
    assert (handover.outgoing, handover.successor, handover.by) == (alicia_term, successor, coordinator)
    assert handover.read_access_until == TODAY + datetime.timedelta(days=30)


def test_an_invitation_that_succeeds_nobody_records_nothing(coordinator, newcomer, lima):
    invitation = invitation_models.Invitation(invited_by=coordinator)
    successor = Ambassador.objects.filter(user=newcomer).first()
    signals.appointment_started.send(
        sender=invitation_models.Invitation, invitation=invitation, ambassador=successor, outgoing=None
    )
    assert not Handover.objects.exists()
