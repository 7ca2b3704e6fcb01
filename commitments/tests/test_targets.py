"""The on-track rule, on worked examples. The expected value lies on a straight line from the
baseline (at the end of its year) to the target value (at its due date). Progress is measured
from the baseline in the indicator's direction: on track when the progress made is at least 85 %
of the progress expected by now (or when none is expected yet), at risk below that."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from commitments import services, tallies
from commitments.models import Indicator, Target, TargetStatus
from commitments.tests.factories import ActionFactory

BASELINE_YEAR = 2024
DUE = datetime.date(2026, 12, 31)
HALFWAY = datetime.date(2025, 12, 31)  # 364 of the line's 729 days: expected = baseline + 49.9 % of the span


@pytest.fixture(autouse=True, params=["tally", "values"])
def progress_source(request, monkeypatch):
    """Every example twice: progress read from the indicator tally, and from the values themselves
    (what a day that cuts a month short reads)."""
    if request.param == "values":
        monkeypatch.setattr(tallies, "covers", lambda start, end, today: False)
    return request.param


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


def status_on(target, today):
    return Target.objects.with_progress(today=today).get(pk=target.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("approved_sum", "today", "expected_status"),
    [
        (None, datetime.date(2024, 6, 1), TargetStatus.ON_TRACK),  # before the line starts: none expected yet
        # Halfway 49.93 is expected (149.93 - 100); 85 % of it is 42.44.
        (45, HALFWAY, TargetStatus.ON_TRACK),  # 45 made >= 42.44
        (40, HALFWAY, TargetStatus.AT_RISK),  # 40 made < 42.44 (though 140 is within 15 % of 149.93)
        (20, HALFWAY, TargetStatus.AT_RISK),
        (60, HALFWAY, TargetStatus.ON_TRACK),  # 160: ahead of the line
        (100, HALFWAY, TargetStatus.ACHIEVED),  # 200 reached before the due date
        (60, datetime.date(2027, 1, 15), TargetStatus.OFF_TRACK),  # due date passed at 160
        (120, datetime.date(2027, 1, 15), TargetStatus.ACHIEVED),  # 220 after the due date: achieved
    ],
)
def test_an_increase_target_from_100_to_200(target_on, ambassador, coordinator, approved_sum, today, expected_status):
    target = target_on(Indicator.Direction.INCREASE, Indicator.Aggregation.CUMULATIVE, 100, 200)
    if approved_sum is not None:
        # Two approved actions share the sum; a submitted one does not count.
        half = Decimal(approved_sum) / 2
        for started_on in (datetime.date(2025, 3, 1), datetime.date(2025, 9, 1)):
            ActionFactory(
                by=ambassador,
                indicator_values={target.indicator.pk: half},
                status="approved",
                reviewer=coordinator,
                started_on=started_on,
            )
        ActionFactory(
            by=ambassador,
            indicator_values={target.indicator.pk: Decimal(500)},
            status="submitted",
            started_on=datetime.date(2025, 10, 1),
        )
    result = status_on(target, today)
    assert result.status == expected_status
    assert result.current_value == 100 + (approved_sum or 0)


@pytest.mark.django_db
def test_the_expected_value_follows_the_straight_line(target_on):
    target = target_on(Indicator.Direction.INCREASE, Indicator.Aggregation.CUMULATIVE, 100, 200)
    assert status_on(target, datetime.date(2024, 12, 31)).expected_value == 100
    assert round(status_on(target, HALFWAY).expected_value, 1) == Decimal("149.9")
    assert status_on(target, DUE).expected_value == 200
    assert status_on(target, datetime.date(2030, 1, 1)).expected_value == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latest", "today", "expected_status"),
    [
        # Halfway 60.03 is expected: 19.97 down from 80; 85 % of it is 16.98, so 63.02 or less.
        (62, HALFWAY, TargetStatus.ON_TRACK),  # 18 down
        (64, HALFWAY, TargetStatus.AT_RISK),  # 16 down (though 64 is within 15 % of 60.03)
        (72, HALFWAY, TargetStatus.AT_RISK),  # 8 down
        (55, HALFWAY, TargetStatus.ON_TRACK),  # below the line: ahead
        (40, HALFWAY, TargetStatus.ACHIEVED),  # reached the target value, going down
        (50, datetime.date(2027, 3, 1), TargetStatus.OFF_TRACK),  # due date passed above 40
        (38, datetime.date(2027, 3, 1), TargetStatus.ACHIEVED),
        (None, datetime.date(2027, 3, 1), TargetStatus.OFF_TRACK),  # nothing reported: still 80
    ],
)
def test_a_decrease_target_from_80_to_40_reads_the_latest_value(
    target_on, ambassador, coordinator, latest, today, expected_status
):
    target = target_on(Indicator.Direction.DECREASE, Indicator.Aggregation.PER_PERIOD, 80, 40)
    if latest is not None:
        ActionFactory(
            by=ambassador,
            indicator_values={target.indicator.pk: Decimal(90)},
            status="approved",
            reviewer=coordinator,
            started_on=datetime.date(2025, 2, 1),
        )
        ActionFactory(
            by=ambassador,
            indicator_values={target.indicator.pk: Decimal(latest)},
            status="approved",
            reviewer=coordinator,
            started_on=datetime.date(2025, 11, 1),
        )
    result = status_on(target, today)
    assert result.status == expected_status
    assert result.current_value == (latest if latest is not None else 80)


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
@pytest.mark.parametrize(
    ("today", "expected_status"),
    [
        (datetime.date(2025, 7, 1), TargetStatus.ON_TRACK),  # in the baseline year: no progress expected yet
        (datetime.date(2026, 1, 1), TargetStatus.ON_TRACK),  # where the line starts: still none expected
        (datetime.date(2026, 1, 2), TargetStatus.AT_RISK),  # one day on: 0.02 expected, none made
        (datetime.date(2026, 12, 31), TargetStatus.AT_RISK),  # 6.78 expected (67.78), none made
        (datetime.date(2030, 12, 30), TargetStatus.AT_RISK),
        (datetime.date(2031, 1, 1), TargetStatus.OFF_TRACK),
    ],
)
def test_a_target_that_has_not_moved_is_at_risk_however_close_its_baseline_is_to_the_line(
    water_target, today, expected_status
):
    """At 61 against an expected 67.78, the level alone looked on track (within 15 %)."""
    result = status_on(water_target, today)
    assert (result.current_value, result.status) == (61, expected_status)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latest", "expected_status"),
    [
        ("81.06", TargetStatus.AT_RISK),  # 59 % of the change (20.06 of 34): 81.06 is within 15 % of 94.98
        ("89.89", TargetStatus.ON_TRACK),  # 28.89 of the 33.9814 expected by now: 85 % is 28.8842
        ("89.88", TargetStatus.AT_RISK),  # 28.88: just short of it
        ("95", TargetStatus.ACHIEVED),
    ],
)
def test_one_day_before_the_due_date_progress_is_judged_against_what_is_expected_by_then(
    water_target, ambassador, coordinator, latest, expected_status
):
    """On 30/12/2030 the line (1/1/2026 to 31/12/2030) expects 61 + 34 x 1824/1825 = 94.9814."""
    ActionFactory(
        by=ambassador,
        indicator_values={water_target.indicator.pk: Decimal(latest)},
        status="approved",
        reviewer=coordinator,
        started_on=datetime.date(2026, 6, 1),
    )
    result = status_on(water_target, datetime.date(2030, 12, 30))
    assert result.expected_value == Decimal("94.9814")
    assert (result.current_value, result.status) == (Decimal(latest), expected_status)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("approved_sum", "expected_status"),
    [("42.50", TargetStatus.ON_TRACK), ("42.49", TargetStatus.AT_RISK)],
)
def test_exactly_85_percent_of_the_expected_progress_is_on_track(
    target_on, ambassador, coordinator, approved_sum, expected_status
):
    """Due 1/1/2027, the line from 1/1/2025 is halfway on 1/1/2026: 150 expected, 50 of progress."""
    target = target_on(
        Indicator.Direction.INCREASE, Indicator.Aggregation.CUMULATIVE, 100, 200, due_on=datetime.date(2027, 1, 1)
    )
    ActionFactory(
        by=ambassador,
        indicator_values={target.indicator.pk: Decimal(approved_sum)},
        status="approved",
        reviewer=coordinator,
        started_on=datetime.date(2025, 6, 1),
    )
    result = status_on(target, datetime.date(2026, 1, 1))
    assert result.expected_value == 150
    assert result.status == expected_status


@pytest.mark.django_db
def test_values_of_the_baseline_year_do_not_count(target_on, ambassador, coordinator):
    target = target_on(Indicator.Direction.INCREASE, Indicator.Aggregation.CUMULATIVE, 100, 200)
    ActionFactory(
        by=ambassador,
        indicator_values={target.indicator.pk: Decimal(50)},
        status="approved",
        reviewer=coordinator,
        started_on=datetime.date(2024, 8, 1),
    )
    assert status_on(target, HALFWAY).current_value == 100


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("direction", "baseline", "goal", "due_on", "field"),
    [
        (Indicator.Direction.INCREASE, 100, 100, DUE, "target_value"),  # nothing to reach
        (Indicator.Direction.INCREASE, 100, 80, DUE, "target_value"),  # wrong way for "more is better"
        (Indicator.Direction.DECREASE, 80, 90, DUE, "target_value"),  # wrong way for "less is better"
        (Indicator.Direction.INCREASE, 100, 200, datetime.date(2024, 12, 31), "due_on"),  # due in the baseline year
    ],
)
def test_a_target_that_could_never_be_tracked_is_refused(
    ambassador, lima, commitment, direction, baseline, goal, due_on, field
):
    from django.core.exceptions import ValidationError

    indicator = Indicator.objects.create(
        commitment=commitment, code="T-x", name_es="Prueba", unit_es="u", direction=direction,
        aggregation=Indicator.Aggregation.PER_PERIOD,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.target_save(
            by=ambassador, city=lima, indicator=indicator, horizon="short", baseline=Decimal(baseline),
            baseline_year=BASELINE_YEAR, target_value=Decimal(goal), due_on=due_on,
        )  # fmt: skip
    assert field in refused.value.message_dict
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_the_bench_floor_judges_every_target_as_the_app_does(target_on, water_target, ambassador, coordinator, lima):
    """bench/pages.py spells the rule again in SQL (the floor a page is measured against), in
    two variants: from the values and from the indicator tally. Both must give the app's figures."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench's SQL is PostgreSQL's (CI runs this on it)")
    from bench.pages import CITY_ACTIONS_SQL, CITY_TALLY_SQL

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
