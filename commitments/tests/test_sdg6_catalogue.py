"""SDG 6 in full (commitments 0021): every global indicator of goal 6 is in the catalogue under
commitment 3.1, with the UN's official Spanish and English names, a Brazilian Portuguese one, and
the action form of 3.1 offers them."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from commitments import services
from commitments.forms import IndicatorValuesForm
from commitments.models import Commitment, Indicator, IndicatorValue

# The official names of the goal 6 indicators, copied from the project's seed
# (shared/seed/sdg-indicators.csv, every row of goal 6); the project never reads the seed itself.
GOAL_6 = {
    "6.1.1": (
        "Proporción de la población que utiliza servicios de suministro de agua potable gestionados sin riesgos",
        "Proportion of population using safely managed drinking water services",
    ),
    "6.2.1": (
        "Proporción de la población que utiliza: a) servicios de saneamiento gestionados sin riesgos y b) "
        "instalaciones para el lavado de manos con agua y jabón",
        "Proportion of population using (a) safely managed sanitation services and (b) a hand-washing facility "
        "with soap and water",
    ),
    "6.3.1": (
        "Proporción de aguas residuales domésticas e industriales tratadas de manera adecuada",
        "Proportion of domestic and industrial wastewater flows safely treated",
    ),
    "6.3.2": (
        "Proporción de masas de agua de buena calidad",
        "Proportion of bodies of water with good ambient water quality",
    ),
    "6.4.1": (
        "Cambio en el uso eficiente de los recursos hídricos con el paso del tiempo",
        "Change in water-use efficiency over time",
    ),
    "6.4.2": (
        "Nivel de estrés hídrico: extracción de agua dulce en proporción a los recursos de agua dulce disponibles",
        "Level of water stress: freshwater withdrawal as a proportion of available freshwater resources",
    ),
    "6.5.1": (
        "Grado de implementación de la gestión integrada de los recursos hídricos (0-100)",
        "Degree of integrated water resources management implementation (0-100)",
    ),
    "6.5.2": (
        "Proporción de la superficie de cuencas transfronterizas sujetas a arreglos operacionales para la "
        "cooperación en materia de aguas",
        "Proportion of transboundary basin area with an operational arrangement for water cooperation",
    ),
    "6.6.1": (
        "Cambio en la extensión de los ecosistemas relacionados con el agua con el paso del tiempo",
        "Change in the extent of water-related ecosystems over time",
    ),
    "6.a.1": (
        "Volumen de la asistencia oficial para el desarrollo destinada al agua y el saneamiento que forma parte "
        "de un plan de gastos coordinado por el gobierno",
        "Amount of water- and sanitation-related official development assistance that is part of a "
        "government-coordinated spending plan",
    ),
    "6.b.1": (
        "Proporción de dependencias administrativas locales que han establecido políticas y procedimientos "
        "operacionales para la participación de las comunidades locales en la gestión del agua y el saneamiento",
        "Proportion of local administrative units with established and operational policies and procedures for "
        "participation of local communities in water and sanitation management",
    ),
}
# The ones 0021 adds (the seed had 6.1.1 and 6.3.1).
ADDED = ["6.2.1", "6.3.2", "6.4.1", "6.4.2", "6.5.1", "6.5.2", "6.6.1", "6.a.1", "6.b.1"]
MIGRATION = importlib.import_module("commitments.migrations.0021_sdg6_indicators")


def _water():
    return Commitment.objects.with_axis().get(axis__number=3, number=1)


def _goal_6():
    return {
        indicator.sdg_indicator: indicator
        for indicator in Indicator.objects.filter(sdg_indicator__startswith="6.").select_related("commitment__axis")
    }


@pytest.mark.django_db
def test_every_goal_6_indicator_is_under_3_1_with_its_official_names_and_a_portuguese_one():
    indicators = _goal_6()
    assert set(indicators) == set(GOAL_6)
    for sdg, (name_es, name_en) in GOAL_6.items():
        indicator = indicators[sdg]
        assert indicator.commitment.code == "3.1", sdg
        assert indicator.active, sdg
        assert (indicator.name_es, indicator.name_en) == (name_es, name_en), sdg
        assert indicator.name_pt_br not in ("", name_es, name_en), sdg
        assert indicator.unit_es and indicator.unit_en and indicator.unit_pt_br, sdg
    added = sorted(indicators[sdg].code for sdg in ADDED)
    assert added == [f"3.1-{letter}" for letter in "fghijklmn"]
    with translation.override("pt-br"):
        assert str(indicators["6.4.1"].name) == "Alteração da eficiência no uso da água ao longo do tempo"


@pytest.mark.django_db
def test_levels_and_proportions_count_per_period_and_only_development_aid_adds_up():
    indicators = _goal_6()
    per_period = {sdg for sdg, indicator in indicators.items() if indicator.aggregation == "per_period"}
    assert per_period == set(GOAL_6) - {"6.a.1"}
    assert indicators["6.a.1"].unit_en == "USD"
    assert indicators["6.4.2"].direction == "decrease"
    assert {sdg for sdg, indicator in indicators.items() if indicator.direction == "increase"} == set(GOAL_6) - {
        "6.4.2"
    }


@pytest.mark.django_db
def test_the_action_form_of_3_1_offers_every_goal_6_indicator(client_for, ambassador):
    response = client_for(ambassador).get(reverse("commitments:action_create", args=[_water().pk]))
    offered = {indicator.sdg_indicator for indicator in response.context["values_form"].indicators}
    assert set(GOAL_6) <= offered
    page = response.content.decode()
    for sdg in ADDED:
        assert f"Indicador ODS {sdg}" in page


@pytest.mark.django_db
def test_an_index_stops_at_100_while_water_stress_may_pass_it():
    """6.5.1 is an index from 0 to 100; 6.4.2 passes 100 % where more water is withdrawn than renews."""
    indicators = _goal_6()
    index, stress = indicators["6.5.1"], indicators["6.4.2"]
    form = IndicatorValuesForm({f"indicator_{index.pk}": "120", f"indicator_{stress.pk}": "130"}, commitment=_water())
    assert not form.is_valid()
    assert list(form.errors) == [f"indicator_{index.pk}"]


@pytest.mark.django_db
def test_the_migration_runs_again_unchanged_and_reverses_keeping_what_was_used(ambassador):
    before = {row["code"]: row for row in Indicator.objects.values()}
    MIGRATION.add_sdg6_indicators(apps, None)
    assert {row["code"]: row for row in Indicator.objects.values()} == before

    aid = _goal_6()["6.a.1"]
    action = services.action_create(
        by=ambassador,
        commitment=_water(),
        data={"title": "Crédito para la planta de tratamiento", "started_on": datetime.date(2026, 3, 1)},
        indicator_values={aid.pk: Decimal("250000")},
    )
    MIGRATION.remove_sdg6_indicators(apps, None)
    remaining = _goal_6()
    assert set(remaining) == {"6.1.1", "6.3.1", "6.a.1"}
    assert not remaining["6.a.1"].active
    assert IndicatorValue.objects.get(action=action).indicator_id == aid.pk

    MIGRATION.add_sdg6_indicators(apps, None)
    assert set(_goal_6()) == set(GOAL_6)
    assert all(indicator.active for indicator in _goal_6().values())
