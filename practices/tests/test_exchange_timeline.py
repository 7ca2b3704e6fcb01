"""The action's timeline tells the changes of an exchange action's exchange and role, made through
the action's form, in the entry of the action's own change, and their removal when the action
leaves the kind."""

import datetime

import pytest
from django.urls import reverse

from commitments.models import Action
from commitments.tests.factories import EMPTY_FORMSETS, seeded_commitment
from practices.exchange_timeline import NAMES
from practices.models import ExchangeParticipation
from practices.tests.factories import ExchangeFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 12, 14, tzinfo=datetime.UTC)


def post(client, data, *, action=None):
    url = (
        reverse("commitments:action_edit", args=[action.pk])
        if action
        else reverse("commitments:action_create", args=[seeded_commitment("1.1").pk])
    )
    base = {"commitment": action.commitment_id} if action else {}
    response = client.post(url, {**EMPTY_FORMSETS, **base, "save": "", **data})
    assert response.status_code == 302, response.context and response.context["kind_forms"]["exchange"].errors


def test_the_timeline_tells_the_exchange_and_the_role_changed_and_the_details_removed(
    client_for, ambassador, coordinator, rosario, time_machine
):
    time_machine.move_to(NOW, tick=False)
    webinar = ExchangeFactory(by=ambassador, cities=[rosario], title="Webinar con Rosario")
    visit = ExchangeFactory(by=ambassador, cities=[rosario], title="Visita a Rosario")
    client = client_for(ambassador)
    data = {"kind": "exchange", "title": "Webinar", "exchange-exchange": webinar.pk, "exchange-role": "hosted"}
    post(client, data)
    action = Action.objects.get()
    time_machine.shift(datetime.timedelta(hours=1))
    post(client, {**data, "title": "Visita", "exchange-exchange": visit.pk, "exchange-role": "visited"}, action=action)
    time_machine.shift(datetime.timedelta(hours=1))
    post(client, {"kind": "general", "title": "Visita", "confirm_kind_change": "on"}, action=action)

    assert not ExchangeParticipation.objects.exists()
    timeline = client_for(coordinator).get(reverse("commitments:action", args=[action.pk])).context["timeline"]
    assert [(entry.who, entry.changes) for entry in timeline] == [
        ("Alicia", ["creó la acción", "añadió los datos de «Intercambio entre ciudades»"]),
        (
            "Alicia",
            [
                "cambió el título de «Webinar» a «Visita»",
                "cambió el intercambio de «Webinar con Rosario» a «Visita a Rosario»",
                "cambió el papel de la ciudad de «Recibió a otras ciudades» a «Visitó otra ciudad»",
            ],
        ),
        (
            "Alicia",
            [
                "cambió el tipo de acción de «Intercambio entre ciudades» a «General»",
                "quitó los datos de «Intercambio entre ciudades»",
            ],
        ),
    ]


def test_every_field_of_an_exchange_action_has_its_name_in_the_timeline():
    assert set(NAMES) == {field.name for field in ExchangeParticipation._meta.concrete_fields} - {"action"}
