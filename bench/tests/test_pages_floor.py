"""bench/floor_sql.py spells the on-track rule of targets again in SQL (the floor a page is measured
against), in two variants: from the values and from the indicator tally. Both must judge every
target as the app does. PostgreSQL only: the bench's SQL is PostgreSQL's (CI runs it there).

The fixtures are those of commitments/tests/test_targets.py this test needs."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from bench.floor_sql import CITY_ACTIONS_SQL, CITY_TALLY_SQL
from commitments import services, tallies
from commitments.models import Commitment, Indicator, Target, TargetStatus
from commitments.tests.helpers import log_value

BASELINE_YEAR = 2024
DUE = datetime.date(2026, 12, 31)


@pytest.fixture(autouse=True, params=["tally", "values"])
def progress_source(request, monkeypatch):
    """The app's side twice: progress read from the indicator tally, and from the values
    themselves (what a day that cuts a month short reads)."""
    if request.param == "values":
        monkeypatch.setattr(tallies, "covers", lambda start, end, today: False)
    return request.param


@pytest.fixture
def commitment(db):
    """3.1, integrated water management: it has focus areas and indicators of every kind."""
    return Commitment.objects.with_axis().get(axis__number=3, number=1)


@pytest.fixture
def make_action(commitment):
    """A draft by `by` (an ambassador), complete enough to be submitted."""

    def make(by, **data):
        fields = {
            "title": "Jornada de limpieza del río",
            "started_on": datetime.date(2026, 10, 5),
            "description": "Limpieza con 40 vecinos.",
        }
        fields.update(data)
        focus_areas = list(commitment.focus_areas.all()[:1])
        return services.action_create(by=by, commitment=commitment, data=fields, focus_areas=focus_areas)

    return make


@pytest.fixture
def target_on(ambassador, lima, commitment):
    """target_on(direction, aggregation, baseline, goal): a target of Lima on a new indicator."""

    def make(direction, aggregation, baseline, goal, *, baseline_year=BASELINE_YEAR, due_on=DUE):
        indicator = Indicator.objects.create(
            commitment=commitment,
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
def water_target(ambassador, lima, commitment):
    """Lima's target 3.1-b of the demo: safely managed drinking water (a percentage, the latest
    value counts) from 61 % in 2025 to 95 % by the end of 2030."""
    return services.target_save(
        by=ambassador,
        city=lima,
        indicator=commitment.indicators.get(code="3.1-b"),
        horizon="long",
        baseline=Decimal(61),
        baseline_year=2025,
        target_value=Decimal(95),
        due_on=datetime.date(2030, 12, 31),
    )


@pytest.mark.django_db
def test_the_bench_floor_judges_every_target_as_the_app_does(
    target_on, water_target, make_action, ambassador, coordinator, lima
):
    """bench/floor_sql.py spells the rule again in SQL (the floor a page is measured against), in
    two variants: from the values and from the indicator tally. Both must give the app's figures."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench's SQL is PostgreSQL's (CI runs this on it)")

    up, down = Indicator.Direction.INCREASE, Indicator.Direction.DECREASE
    summed, latest = Indicator.Aggregation.CUMULATIVE, Indicator.Aggregation.PER_PERIOD
    values = {
        (up, summed, 100, 200): [("2025-03-01", 20), ("2025-09-01", 25)],
        (up, latest, 10, 50): [("2025-05-01", 30), ("2026-02-01", 55)],
        (down, latest, 80, 40): [("2025-11-01", 62)],
        (down, summed, 100, 50): [("2025-04-01", 5)],
    }
    for (direction, aggregation, baseline, goal), logged in values.items():
        target = target_on(direction, aggregation, baseline, goal)
        for started_on, value in logged:
            log_value(
                make_action,
                ambassador,
                target.indicator,
                Decimal(value),
                reviewer=coordinator,
                started_on=datetime.date.fromisoformat(started_on),
            )
    statuses = set()
    for today in ("2024-12-31", "2025-06-30", "2025-12-31", "2026-03-31", "2026-11-30", "2027-01-31", "2031-01-31"):
        today = datetime.date.fromisoformat(today)
        app = {
            target.pk: (target.status, target.current_value, target.expected_value)
            for target in Target.objects.filter(city=lima).with_progress(today=today)
        }
        statuses.update(status for status, _current, _expected in app.values())
        for variant in (CITY_ACTIONS_SQL, CITY_TALLY_SQL):
            with connection.cursor() as cursor:
                cursor.execute(variant["targets"], {"today": today, "city_id": lima.pk})
                columns = [column.name for column in cursor.description]
                rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            floor = {row["id"]: (row["status"], row["current_value"], row["expected_value"]) for row in rows}
            assert floor == app, today
    assert statuses == set(TargetStatus.values)
