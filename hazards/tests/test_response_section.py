"""A hazard response is logged through the action's own form on commitment 3.1: its phase,
hazard and the city's events it answers are saved with the action and shown on the event's
page; another city's event is no choice, and the section leads to the event form."""

import datetime

import pytest
from django.urls import reverse

from commitments.models import Action
from commitments.tests.factories import EMPTY_FORMSETS, seeded_commitment
from hazards.models import HazardResponse
from hazards.tests.factories import HazardEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood(ambassador):
    return HazardEventFactory(by=ambassador, title="Desborde del Rímac", started_on=datetime.date(2026, 1, 20))


@pytest.fixture
def rosario_flood(other_ambassador):
    return HazardEventFactory(by=other_ambassador, title="Crecida del Paraná", started_on=datetime.date(2026, 1, 10))


def _create(client, **fields):
    data = {
        **EMPTY_FORMSETS,
        "save": "",
        "kind": "hazard_response",
        "title": "Brigadas de limpieza de cauces",
        "started_on": "2026-01-25",
        "description": "Retiro de lodo y residuos en los barrios ribereños.",
        "hazard_response-phase": "respond",
        "hazard_response-hazard": "flood",
        **fields,
    }
    return client.post(reverse("commitments:action_create", args=[seeded_commitment("3.1").pk]), data)


def test_the_action_form_of_3_1_draws_the_section_with_the_citys_events_and_a_way_to_record_one(
    client_for, ambassador, flood, rosario_flood
):
    page = client_for(ambassador).get(reverse("commitments:action_create", args=[seeded_commitment("3.1").pk]))
    html = page.content.decode()
    assert 'data-kind-section="hazard_response"' in html
    assert "Desborde del Rímac · Inundación · 20/01/2026" in html
    assert "Crecida del Paraná" not in html
    assert f'href="{reverse("hazards:event_create")}">Registrar un evento</a>' in html


def test_a_city_without_events_is_told_so_in_the_section(client_for, ambassador):
    html = client_for(ambassador).get(reverse("commitments:action_create", args=[seeded_commitment("3.1").pk]))
    assert "Su ciudad todavía no registró eventos" in html.content.decode()


def test_a_response_is_saved_with_its_phase_and_event_and_shown_on_the_events_page(client_for, ambassador, flood):
    client = client_for(ambassador)
    response = _create(client, **{"hazard_response-events": [str(flood.pk)]})
    assert response.status_code == 302, response.context and response.context["kind_forms"]["hazard_response"].errors
    action = Action.objects.get()
    assert action.kind == "hazard_response"
    assert (action.hazard_response.phase, action.hazard_response.hazard) == ("respond", "flood")
    assert list(action.hazard_response.events.all()) == [flood]
    page = client.get(reverse("hazards:event", args=[flood.pk])).content.decode()
    assert "Brigadas de limpieza de cauces" in page and "Respuesta" in page
    detail = client.get(reverse("commitments:action", args=[action.pk])).content.decode()
    assert f'href="{reverse("hazards:event", args=[flood.pk])}">Desborde del Rímac</a>' in detail


def test_another_citys_event_posted_by_id_is_refused_at_the_field(client_for, ambassador, flood, rosario_flood):
    response = _create(client_for(ambassador), **{"hazard_response-events": [str(flood.pk), str(rosario_flood.pk)]})
    assert response.status_code == 200
    errors = response.context["kind_forms"]["hazard_response"].errors
    assert list(errors) == ["events"] and str(rosario_flood.pk) in errors["events"][0]
    assert 'value="Brigadas de limpieza de cauces"' in response.content.decode(), "kept as typed"
    assert not Action.objects.exists() and not HazardResponse.objects.exists()


def test_a_response_cannot_start_before_the_event_it_answers(client_for, ambassador, flood):
    response = _create(client_for(ambassador), started_on="2026-01-15", **{"hazard_response-events": [str(flood.pk)]})
    assert response.status_code == 200
    errors = response.context["kind_forms"]["hazard_response"].errors
    assert errors["events"] == [
        "Una respuesta no puede empezar antes del evento: «Desborde del Rímac» empezó después de la acción."
    ]
    # Preparing for the next flood may well come first.
    response = _create(
        client_for(ambassador),
        started_on="2026-01-15",
        **{"hazard_response-phase": "prepare", "hazard_response-events": [str(flood.pk)]},
    )
    assert response.status_code == 302
    assert HazardResponse.objects.get().phase == "prepare"


def test_a_response_with_its_details_is_sent_for_review(client_for, ambassador, flood):
    client = client_for(ambassador)
    area = seeded_commitment("3.1").focus_areas.first()
    response = _create(client, submit="", focus_areas=[str(area.pk)], **{"hazard_response-events": [str(flood.pk)]})
    action = Action.objects.get()
    assert response.status_code == 302 and action.status == "submitted"
    assert list(action.hazard_response.events.all()) == [flood]
