"""An action's page shows the funding opportunities that would finance it (the fund rows it typed
before are opportunities now), and offers its city's ambassador in office to register one. The
commitments app reads them through the relation only: these assertions live here, where the
funding app may be imported."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commitments.tests.factories import ActionFactory
from funding import services
from funding.tests.factories import FunderFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def financing_section(page):
    start = page.index('id="financing-heading"')
    return page[start : page.index("</section>", start)]


def test_the_action_page_lists_the_opportunities_that_would_finance_it(client_for, ambassador, coordinator):
    action = ActionFactory(by=ambassador)
    other = ActionFactory(by=ambassador, title="Otra acción")
    green = OpportunityFactory(
        by=ambassador,
        funder=FunderFactory(name="Fondo Verde para el Clima"),
        title="Ciudades resilientes",
        amount=Decimal("250000"),
        currency="USD",
        stage="submitted",
        actions=[action],
    )
    national = OpportunityFactory(
        by=ambassador,
        funder=None,
        funder_name="Gobierno nacional",
        title="Programa de agua",
        amount=Decimal("4500000"),
        currency="PEN",
        stage="awarded",
        amount_awarded=Decimal("4000000"),
        actions=[action],
    )
    OpportunityFactory(by=ambassador, title="De la otra acción", actions=[other])

    page = client_for(coordinator).get(reverse("commitments:action", args=[action.pk])).content.decode()
    section = financing_section(page)
    assert "Financiamiento" in section
    assert reverse("funding:opportunity", args=[green.pk]) in section
    assert reverse("funding:opportunity", args=[national.pk]) in section
    assert "Fondo Verde para el Clima" in section and "Gobierno nacional" in section
    assert "Presentada" in section and "Otorgada" in section
    assert "250\xa0000,00 USD" in section
    assert "4\xa0000\xa0000,00 PEN" in section  # the amount awarded beside the amount sought
    assert "De la otra acción" not in section
    # A coordinator reads, the city's ambassador registers.
    assert "Registrar una oportunidad para esta acción" not in section


def test_the_citys_ambassador_in_office_may_register_an_opportunity_for_the_action(client_for, ambassador):
    action = ActionFactory(by=ambassador)
    page = client_for(ambassador).get(reverse("commitments:action", args=[action.pk])).content.decode()
    section = financing_section(page)
    assert "Ninguna oportunidad de financiamiento la financia todavía." in section
    link = f"{reverse('funding:opportunity_create')}?accion={action.pk}"
    assert f'href="{link}"' in section and "Registrar una oportunidad para esta acción" in section


def test_the_action_page_runs_the_same_queries_with_or_without_opportunities(
    client_for, ambassador, coordinator, django_assert_max_num_queries
):
    bare = ActionFactory(by=ambassador)
    financed = ActionFactory(by=ambassador)
    for n in range(3):
        OpportunityFactory(by=ambassador, funder=FunderFactory(name=f"Financiador {n}"), actions=[financed])
    client = client_for(coordinator)
    with django_assert_max_num_queries(18) as without:
        client.get(reverse("commitments:action", args=[bare.pk]))
    with django_assert_max_num_queries(18) as with_three:
        response = client.get(reverse("commitments:action", args=[financed.pk]))
    assert response.status_code == 200
    assert len(with_three.captured_queries) == len(without.captured_queries)


def test_a_funders_name_is_typed_on_one_line(ambassador):
    """As the fund rows' funder was: a line break is refused at the field, not stored."""
    with pytest.raises(ValidationError) as refused:
        services.opportunity_create(
            by=ambassador,
            data={
                "funder_name": "Fondo\nVerde",
                "title": "Convocatoria",
                "amount": Decimal("25000"),
                "currency": "MXN",
                "identified_on": datetime.date(2026, 6, 1),
            },
        )
    assert refused.value.message_dict["funder_name"] == ["Escriba este texto en una sola línea, sin saltos de línea."]
