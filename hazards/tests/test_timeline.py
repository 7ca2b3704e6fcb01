"""The action's timeline tells the changes of a hazard response (its phase, its hazard and the
events it answers), made through the action's form, in the entry of the action's own change, and
their removal when the action leaves the kind."""

import datetime

import pytest
from django.urls import reverse

from commitments.models import Action
from commitments.tests.factories import EMPTY_FORMSETS, seeded_commitment
from hazards.models import HazardEvent, HazardResponse
from hazards.tests.figure_factories import HazardEventFactory
from hazards.timeline import NAMES

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 12, 14, tzinfo=datetime.UTC)


def post(client, data, *, action=None):
    url = (
        reverse("commitments:action_edit", args=[action.pk])
        if action
        else reverse("commitments:action_create", args=[seeded_commitment("3.1").pk])
    )
    base = {"commitment": action.commitment_id} if action else {}
    response = client.post(url, {**EMPTY_FORMSETS, **base, "save": "", **data})
    assert response.status_code == 302, response.context and response.context["kind_forms"]["hazard_response"].errors


def test_the_timeline_tells_the_phase_and_the_events_changed_and_the_details_removed(
    client_for, ambassador, coordinator, lima, time_machine
):
    time_machine.move_to(NOW, tick=False)
    flood = HazardEventFactory(city=lima, title="Inundación del Rímac", started_on=datetime.date(2026, 2, 10))
    landslide = HazardEventFactory(
        city=lima, hazard=HazardEvent.Hazard.LANDSLIDE, title="Huaico en Chosica", started_on=datetime.date(2026, 3, 1)
    )
    client = client_for(ambassador)
    data = {
        "kind": "hazard_response",
        "title": "Limpieza de cauces",
        "started_on": "2026-03-15",
        "hazard_response-phase": "respond",
        "hazard_response-hazard": "flood",
        "hazard_response-events": [flood.pk],
    }
    post(client, data)
    action = Action.objects.get()
    time_machine.shift(datetime.timedelta(hours=1))
    changes = {
        "started_on": "2026-03-20",
        "hazard_response-phase": "recover",
        "hazard_response-hazard": "",
        "hazard_response-events": [landslide.pk],
    }
    post(client, {**data, **changes}, action=action)
    time_machine.shift(datetime.timedelta(hours=1))
    post(
        client,
        {"kind": "general", "title": data["title"], "started_on": "2026-03-20", "confirm_kind_change": "on"},
        action=action,
    )

    assert not HazardResponse.objects.exists()
    timeline = client_for(coordinator).get(reverse("commitments:action", args=[action.pk])).context["timeline"]
    kind = "Preparación o respuesta ante un evento"
    assert [(entry.who, entry.changes) for entry in timeline] == [
        (
            "Alicia",
            ["creó la acción", f"añadió los datos de «{kind}»", "añadió el evento «Inundación del Rímac»"],
        ),
        (
            "Alicia",
            [
                "cambió la fecha de inicio de «15/03/2026» a «20/03/2026»",
                "cambió la fase de «Respuesta» a «Recuperación»",
                "borró la amenaza («Inundación»)",
                "añadió el evento «Huaico en Chosica»",
                "quitó el evento «Inundación del Rímac»",
            ],
        ),
        ("Alicia", [f"cambió el tipo de acción de «{kind}» a «General»", f"quitó los datos de «{kind}»"]),
    ]


def test_every_field_of_a_response_has_its_name_in_the_timeline():
    assert set(NAMES) == {field.name for field in HazardResponse._meta.concrete_fields} - {"action"}
