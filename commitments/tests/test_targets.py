"""The on-track rule, on worked examples. The expected value lies on a straight line from the
baseline (at the end of its year) to the target value (at its due date). Progress is measured
from the baseline in the indicator's direction: on track when the progress made is at least 85 %
of the progress expected by now (or when none is expected yet), at risk below that."""

import datetime
from decimal import Decimal

import pytest

from commitments import services
from commitments.models import Indicator, Target, TargetStatus
from commitments.tests.factories import ActionFactory
from commitments.tests.targets import BASELINE_YEAR, DUE

pytestmark = pytest.mark.usefixtures("progress_source")

HALFWAY = datetime.date(2025, 12, 31)  # 364 of the line's 729 days: expected = baseline + 49.9 % of the span


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
