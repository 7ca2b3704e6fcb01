"""The drafts an outgoing ambassador leaves: listed for the successor (and whoever reviews the
city), taken over as the successor's own, or discarded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ambassadors.models import Ambassador
from commitments import services as commitment_services
from commitments.models import Action
from commitments.tests.factories import ActionFactory, ActionFormFactory
from terms import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(ambassador, coordinator, alicia_term, newcomer):
    """Alicia left a draft and a returned action in Lima; Nora succeeded her."""
    draft = ActionFactory(by=ambassador, title="Borrador de Alicia")
    returned = ActionFactory(by=ambassador, status="returned", reviewer=coordinator, title="Devuelta a Alicia")
    submitted = ActionFactory(by=ambassador, status="submitted", title="Enviada por Alicia")
    services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    return {"draft": draft, "returned": returned, "submitted": submitted}


def test_the_successor_sees_the_unfinished_actions_and_a_link_from_their_actions(client_for, newcomer, handed_over):
    client = client_for(newcomer)
    page = client.get(reverse("terms:left_behind")).content.decode()
    assert "Borrador de Alicia" in page and "Devuelta a Alicia" in page
    assert "Enviada por Alicia" not in page  # waiting for review: the reviewer decides
    actions_page = client.get(reverse("commitments:actions")).content.decode()
    assert reverse("terms:left_behind") in actions_page
    assert "Su predecesor dejó 2 acciones sin terminar." in actions_page


@pytest.mark.parametrize("who", ["other_ambassador", "coordinator_elsewhere", "ambassador"])
def test_nobody_else_sees_or_takes_them(request, client_for, who, handed_over):
    client = client_for(request.getfixturevalue(who))
    assert "Borrador de Alicia" not in client.get(reverse("terms:left_behind")).content.decode()
    draft = handed_over["draft"]
    assert client.post(reverse("terms:take_over", args=[draft.pk])).status_code == 404
    assert client.post(reverse("terms:discard", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.ambassador.user.username == "alicia"


def test_the_coordinator_of_the_city_sees_them_too(client_for, coordinator, handed_over):
    assert "Borrador de Alicia" in client_for(coordinator).get(reverse("terms:left_behind")).content.decode()


def test_the_successor_takes_over_a_draft_then_edits_and_sends_it(client_for, newcomer, handed_over):
    draft = handed_over["draft"]
    client = client_for(newcomer)
    response = client.post(reverse("terms:take_over", args=[draft.pk]))
    assert response.status_code == 302 and response.url == reverse("commitments:action", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.ambassador == Ambassador.objects.get(user=newcomer) and draft.status == "draft"
    assert draft.history.order_by("-history_id").first().history_user == newcomer
    form = ActionFormFactory(title="Borrador de Nora", **{"links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"})
    form.update(
        commitment=draft.commitment_id,
        kind="general",
        started_on="2026-10-05",
        description="Limpieza con 40 vecinos.",
        focus_areas=[area.pk for area in draft.focus_areas.all()],
    )
    assert client.post(reverse("commitments:action_edit", args=[draft.pk]), form).status_code == 302
    assert client.post(reverse("commitments:action_submit", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Borrador de Nora" and draft.status == "submitted"
    assert "Borrador de Nora" not in client.get(reverse("terms:left_behind")).content.decode()


def test_a_taken_over_returned_action_can_be_fixed_and_sent_again(newcomer, handed_over):
    returned = handed_over["returned"]
    services.draft_take_over(action=returned, by=newcomer)
    returned = Action.objects.select_related("ambassador").get(pk=returned.pk)
    commitment_services.action_submit(action=returned, by=newcomer)
    returned.refresh_from_db()
    assert returned.status == "submitted"


def test_the_successor_discards_a_draft_after_confirming(client_for, newcomer, handed_over):
    draft = handed_over["draft"]
    client = client_for(newcomer)
    confirm = client.get(reverse("terms:discard", args=[draft.pk]))
    assert "¿Descartar «Borrador de Alicia» y sus evidencias?" in confirm.content.decode()
    assert Action.objects.filter(pk=draft.pk).exists()
    assert client.post(reverse("terms:discard", args=[draft.pk])).status_code == 302
    assert not Action.objects.filter(pk=draft.pk).exists()
    deleted = Action.history.get(id=draft.pk, history_type="-")
    assert deleted.history_user == newcomer


def test_a_returned_action_is_not_discarded(client_for, newcomer, handed_over):
    returned = handed_over["returned"]
    assert client_for(newcomer).post(reverse("terms:discard", args=[returned.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.draft_discard(action=returned, by=newcomer)
    assert Action.objects.filter(pk=returned.pk).exists()


def test_a_draft_of_an_appointment_in_force_is_never_taken(ambassador, coordinator):
    draft = ActionFactory(by=ambassador)
    with pytest.raises(PermissionDenied):
        services.draft_take_over(action=draft, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.draft_discard(action=draft, by=coordinator)
