"""bench/floor_sql.py spells the on-track rule of targets again in SQL (the floor a page is measured
against), in two variants: from the values and from the indicator tally. Both must judge every
target as the app does. PostgreSQL only: the bench's SQL is PostgreSQL's (CI runs it there).

The fixtures are those of commitments/tests/test_targets.py (commitments/tests/targets.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from bench.floor_sql import CITY_ACTIONS_SQL, CITY_TALLY_SQL
from commitments.models import Indicator, Target, TargetStatus
from commitments.tests.factories import ActionFactory

pytestmark = pytest.mark.usefixtures("progress_source")


@pytest.mark.django_db
def test_the_bench_floor_judges_every_target_as_the_app_does(target_on, water_target, ambassador, coordinator, lima):
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
            ActionFactory(
                by=ambassador,
                indicator_values={target.indicator.pk: Decimal(value)},
                status="approved",
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
