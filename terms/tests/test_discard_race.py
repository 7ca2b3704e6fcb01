"""A discard decided on a page loaded before the successor took the draft over deletes nothing:
the draft is locked and read again, and deleted only while still the ended appointment's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commitments.models import Action
from commitments.tests.factories import ActionFactory
from terms import services

pytestmark = pytest.mark.django_db


def test_a_discard_after_a_take_over_leaves_the_successors_draft(ambassador, coordinator, alicia_term, newcomer):
    draft = ActionFactory(by=ambassador, title="Borrador de Alicia")
    services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    stale = Action.objects.select_related("ambassador").get(pk=draft.pk)  # the coordinator's page
    services.draft_take_over(action=Action.objects.get(pk=draft.pk), by=newcomer)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.draft_discard(action=stale, by=coordinator)
    assert Action.objects.get(pk=draft.pk).ambassador.user == newcomer


def test_a_paused_successor_is_not_offered_what_they_cannot_take_over(
    client_for, ambassador, coordinator, alicia_term, newcomer
):
    from django.urls import reverse

    from ambassadors.models import Ambassador
    from ambassadors.services import ambassador_set_paused
    from commitments.selectors import left_behind_count

    ActionFactory(by=ambassador, title="Borrador de Alicia")
    handover = services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    ambassador_set_paused(ambassador=Ambassador.objects.get(pk=handover.successor_id), paused=True)
    assert left_behind_count(user=newcomer) == 0
    assert "Borrador de Alicia" not in client_for(newcomer).get(reverse("terms:left_behind")).content.decode()
