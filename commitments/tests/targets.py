"""What the tests of the on-track rule share, here and in bench/tests (the bench's SQL floor must
judge targets as the app does): progress read two ways, targets on a new indicator, Lima's
water target of the demo. The root conftest.py loads these fixtures as a plugin; a module that
wants every test run both ways says `pytestmark = pytest.mark.usefixtures("progress_source")`."""

import datetime
from decimal import Decimal

import pytest

from commitments import services, tallies
from commitments.models import Commitment, Indicator

BASELINE_YEAR = 2024
DUE = datetime.date(2026, 12, 31)


def _water():
    """3.1, integrated water management: it has focus areas and indicators of every kind."""
    return Commitment.objects.get(axis__number=3, number=1)


@pytest.fixture(params=["tally", "values"])
def progress_source(request, monkeypatch):
    """Every example twice: progress read from the indicator tally, and from the values themselves
    (what a day that cuts a month short reads)."""
    if request.param == "values":
        monkeypatch.setattr(tallies, "covers", lambda start, end, today: False)
    return request.param


@pytest.fixture
def target_on(ambassador, lima):
    """target_on(direction, aggregation, baseline, goal): a target of Lima on a new indicator."""

    def make(direction, aggregation, baseline, goal, *, baseline_year=BASELINE_YEAR, due_on=DUE):
        indicator = Indicator.objects.create(
            commitment=_water(),
            code=f"T-{direction[:3]}-{aggregation[:3]}",
            name_es="Indicador de prueba",
            unit_es="unidades",
            kind=Indicator.Kind.NUMBER,
            direction=direction,
            aggregation=aggregation,
        )
        return services.target_save(
            by=ambassador,
            city=lima,
            indicator=indicator,
            horizon="short",
            baseline=Decimal(baseline),
            baseline_year=baseline_year,
            target_value=Decimal(goal),
            due_on=due_on,
        )

    return make


@pytest.fixture
def water_target(ambassador, lima):
    """Lima's target 3.1-b of the demo: safely managed drinking water (a percentage, the latest
    value counts) from 61 % in 2025 to 95 % by the end of 2030."""
    return services.target_save(
        by=ambassador,
        city=lima,
        indicator=_water().indicators.get(code="3.1-b"),
        horizon="long",
        baseline=Decimal(61),
        baseline_year=2025,
        target_value=Decimal(95),
        due_on=datetime.date(2030, 12, 31),
    )
