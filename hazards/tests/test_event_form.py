"""The event form refuses what contradicts itself at the field that is wrong, keeps what was
typed, and proposes the city's currency; the service refuses the same without the form."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hazards import services
from hazards.models import HazardEvent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _event(**fields):
    data = {
        "hazard": "flood",
        "title": "Desborde del Rímac",
        "started_on": "2026-01-20",
        "ended_on": "2026-01-23",
        "area": "Cercado de Lima",
        "people_affected": "1200",
        "deaths": "0",
        "missing": "0",
        "economic_loss": "",
        "currency": "PEN",
        "description": "",
    }
    return {**data, **fields}


def _post(client, **fields):
    return client.post(reverse("hazards:event_create"), _event(**fields))


def _errors(response):
    return {name: [str(error) for error in errors] for name, errors in response.context["form"].errors.items()}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ended_on": "2026-01-19"}, "ended_on", "La fecha de fin no puede ser anterior a la de inicio."),
        (
            {"started_on": (TODAY + datetime.timedelta(days=1)).isoformat(), "ended_on": ""},
            "started_on",
            "La fecha de inicio no puede estar en el futuro: registre lo que ya pasó.",
        ),
        (
            {"ended_on": (TODAY + datetime.timedelta(days=3)).isoformat()},
            "ended_on",
            "La fecha de fin no puede estar en el futuro: déjela vacía si el evento sigue.",
        ),
        ({"people_affected": "-5"}, "people_affected", "No puede ser un número negativo."),
        ({"deaths": "-1"}, "deaths", "No puede ser un número negativo."),
        ({"missing": "-2"}, "missing", "No puede ser un número negativo."),
        ({"economic_loss": "-100"}, "economic_loss", "No puede ser un número negativo."),
        ({"economic_loss": "5000", "currency": ""}, "currency", "Indique la moneda de la pérdida."),
        ({"currency": "XYZ"}, "currency", "Escoja una opción válida. XYZ no es una de las opciones disponibles."),
        ({"hazard": "meteor"}, "hazard", "Escoja una opción válida. meteor no es una de las opciones disponibles."),
        ({"title": ""}, "title", "Este campo es obligatorio."),
        ({"started_on": ""}, "started_on", "Este campo es obligatorio."),
    ],
)
def test_an_inconsistent_event_is_refused_at_its_field_with_what_was_typed_kept(
    client_for, ambassador, fields, field, message
):
    response = _post(client_for(ambassador), area="Chosica y Lurigancho", **fields)
    assert response.status_code == 200
    errors = _errors(response)
    assert errors == {field: [message]}, errors
    page = response.content.decode()
    assert 'id="form-errors"' in page and f'href="#div_id_{field}"' in page
    assert 'value="Chosica y Lurigancho"' in page, "what was typed is kept"
    assert not HazardEvent.objects.exists()


def test_deaths_and_missing_are_not_a_part_of_the_people_affected(client_for, ambassador):
    """Sendai counts the dead and the missing (target A) apart from the people affected (target
    B): more deaths than people affected is no contradiction."""
    response = _post(client_for(ambassador), people_affected="0", deaths="4", missing="2")
    assert response.status_code == 302
    assert HazardEvent.objects.values_list("people_affected", "deaths", "missing").get() == (0, 4, 2)


def test_unknown_figures_stay_unknown_not_zero(client_for, ambassador):
    response = _post(client_for(ambassador), people_affected="", deaths="", missing="", ended_on="", currency="")
    assert response.status_code == 302
    event = HazardEvent.objects.get()
    assert (event.people_affected, event.deaths, event.missing, event.ended_on, event.economic_loss) == (None,) * 5
    assert event.currency == "USD"


def test_an_event_of_one_day_and_one_that_goes_on_today_are_accepted(client_for, ambassador):
    client = client_for(ambassador)
    assert _post(client, started_on="2026-01-20", ended_on="2026-01-20").status_code == 302
    assert _post(client, title="Ola de calor", started_on=TODAY.isoformat(), ended_on="").status_code == 302
    assert HazardEvent.objects.count() == 2


def test_the_form_proposes_the_currency_of_the_citys_country(client_for, ambassador, other_ambassador):
    lima = client_for(ambassador).get(reverse("hazards:event_create")).content.decode()
    assert '<option value="PEN" selected>' in lima
    rosario = client_for(other_ambassador).get(reverse("hazards:event_create")).content.decode()
    assert '<option value="ARS" selected>' in rosario
    assert f'max="{TODAY.isoformat()}"' in rosario


def test_the_form_is_drawn_in_labelled_fieldsets(client_for, ambassador):
    page = client_for(ambassador).get(reverse("hazards:event_create")).content.decode()
    for legend in ("El evento", "Personas", "Pérdida económica"):
        assert f"<legend>{legend}</legend>" in page or f">{legend}</legend>" in page
    for name in HazardEvent.AUTHOR_FIELDS:
        assert f'for="id_{name}"' in page, name


def test_the_service_refuses_what_the_form_refuses(ambassador):
    data = {"hazard": "flood", "title": "Desborde", "started_on": TODAY + datetime.timedelta(days=2)}
    with pytest.raises(ValidationError) as refused:
        services.event_create(by=ambassador, data=data)
    assert set(refused.value.message_dict) == {"started_on"}
    data = {"hazard": "flood", "title": "Desborde", "started_on": datetime.date(2026, 1, 5)}
    with pytest.raises(ValidationError) as refused:
        services.event_create(by=ambassador, data={**data, "ended_on": datetime.date(2026, 1, 4)})
    assert set(refused.value.message_dict) == {"ended_on"}
    with pytest.raises(ValidationError) as refused:
        services.event_create(by=ambassador, data={**data, "deaths": -1})
    assert refused.value.messages == ["Las cifras no pueden ser negativas."]
    with pytest.raises(ValidationError) as refused:
        services.event_create(by=ambassador, data={**data, "economic_loss": Decimal(10), "currency": ""})
    assert set(refused.value.message_dict) == {"currency"}
    assert not HazardEvent.objects.exists()
