"""An action of kind "exchange" (commitment 1.1) names the network's exchange its city took part
in: the form offers only those, the action's page links the exchange, and the exchange's page
lists the actions logged for it that the reader may see."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commitments.models import Action
from commitments.tests.factories import EMPTY_FORMSETS, seeded_commitment
from practices import services
from practices.models import ExchangeParticipation
from practices.tests.factories import ExchangeFactory


def _post(client, **fields):
    data = {**EMPTY_FORMSETS, "save": "", "kind": "exchange", "title": "Webinar con Rosario", **fields}
    return client.post(reverse("commitments:action_create", args=[seeded_commitment("1.1").pk]), data)


@pytest.mark.django_db
def test_an_exchange_action_names_an_exchange_of_its_city(client_for, ambassador, other_ambassador, lima, rosario):
    ours = ExchangeFactory(by=ambassador, cities=[rosario])
    theirs = ExchangeFactory(by=other_ambassador, cities=[], partner_cities=[{"name": "Curitiba", "country": "BR"}])

    response = _post(client_for(ambassador), **{"exchange-exchange": theirs.pk, "exchange-role": "hosted"})
    assert response.status_code == 200
    assert "exchange" in response.context["kind_forms"]["exchange"].errors, "not an exchange of Lima"
    assert not Action.objects.exists()

    response = _post(client_for(ambassador), **{"exchange-exchange": ours.pk, "exchange-role": "hosted"})
    action = Action.objects.get()
    assert response.url == reverse("commitments:action", args=[action.pk])
    assert (action.kind, action.exchange_participation.exchange, action.exchange_participation.role) == (
        "exchange",
        ours,
        "hosted",
    )
    page = client_for(ambassador).get(response.url).content.decode()
    assert reverse("exchanges:exchange", args=[ours.pk]) in page


@pytest.mark.django_db
def test_the_exchange_page_lists_only_the_actions_the_reader_may_see(client_for, ambassador, other_ambassador, rosario):
    exchange = ExchangeFactory(by=ambassador, cities=[rosario])
    _post(client_for(ambassador), **{"exchange-exchange": exchange.pk, "exchange-role": "organised"})
    lima_action = Action.objects.get()
    url = reverse("exchanges:exchange", args=[exchange.pk])
    page = client_for(ambassador).get(url).content.decode()
    assert "Webinar con Rosario" in page.split("</title>")[1], "in the page, not its title"
    # Rosario's ambassador reads the exchange, not Lima's action log.
    page = client_for(other_ambassador).get(url).content.decode()
    assert reverse("commitments:action", args=[lima_action.pk]) not in page
    assert ExchangeParticipation.objects.count() == 1


@pytest.mark.django_db
def test_a_city_with_actions_on_an_exchange_stays_in_it(client_for, ambassador, other_ambassador, lima):
    exchange = ExchangeFactory(by=other_ambassador, cities=[], partner_cities=[{"name": "Curitiba", "country": "BR"}])
    assert {city.name for city in exchange.cities.all()} == {"Rosario"}
    exchange = services.exchange_save(
        by=other_ambassador,
        exchange=exchange,
        data={},
        cities=[lima],
        partner_cities=[{"name": "Curitiba", "country": "BR"}],
    )
    _post(client_for(ambassador), **{"exchange-exchange": exchange.pk, "exchange-role": "visited"})
    with pytest.raises(ValidationError) as refused:
        services.exchange_save(
            by=other_ambassador,
            exchange=exchange,
            data={},
            cities=[],
            partner_cities=[{"name": "Curitiba", "country": "BR"}],
        )
    assert refused.value.message_dict["cities"] == [
        "No se puede quitar Lima: tiene acciones registradas en este intercambio."
    ]
