"""The review-time tally: its medians stay within one displayed unit of the exact ones, and it
agrees with a recount of the decisions whatever happened to the actions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, note
from hypothesis import strategies as st

from ambassadors.models import City
from commitments import review_tally, services
from commitments.models import Action, ActionStatusChange, ReviewTally
from commitments.tests.factories import ActionFactory
from commitments.tests.helpers import workflow_step
from core.tests.factories import UserFactory
from core.tests.helpers import examples
from reports import dashboards
from reports.periods import Period

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
MONTHS = [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)]
WHOLE_QUARTER = Period(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
LATER = datetime.date(2026, 1, 1)  # "today" for the period above: it is over


def displayed(wait):
    """What the page shows for a wait (reports.templatetags.dashboard.duration): whole hours below
    48 hours, days to a tenth from there; as (unit, number)."""
    hours = wait.total_seconds() / 3600
    if hours < 48:
        return "h", max(1, round(hours))
    return "d", round(hours / 24, 1)


def assert_within_one_displayed_unit(approximate, exact):
    assert abs(approximate - exact) <= 0.05 * DAY  # half a tenth of a day, the widest band's half
    (unit, shown), (exact_unit, exact_shown) = displayed(approximate), displayed(exact)
    if unit == exact_unit == "h":
        assert abs(shown - exact_shown) <= 1
    elif unit == exact_unit:
        assert abs(shown - exact_shown) <= 0.1 + 1e-9


# Waits: anything up to 60 days to the microsecond, waits on and beside the bands' edges (the
# hours, 48 h, the tenths of a day after it), and some decisions with no known wait.
EDGES = st.builds(
    lambda edge, offset: max(datetime.timedelta(0), edge + datetime.timedelta(microseconds=offset)),
    st.one_of(
        st.integers(0, 48).map(lambda hours: hours * HOUR),
        st.integers(0, 200).map(lambda tenths: 48 * HOUR + tenths * DAY / 10),
    ),
    st.sampled_from([-1, 0, 1]),
)
WAITS = st.one_of(st.timedeltas(datetime.timedelta(0), 60 * DAY), EDGES, st.just(None))


@st.composite
def a_decision(draw):
    return {
        "city": draw(st.integers(0, 2)),
        "reviewer": draw(st.integers(0, 1)),
        "month": draw(st.sampled_from(MONTHS)),
        "day": draw(st.integers(1, 28)),
        "to_status": draw(st.sampled_from(ActionStatusChange.DECISIONS)),
        "review_time": draw(WAITS),
    }


@pytest.fixture
def places():
    actions = ActionFactory.create_batch(3)
    return {"cities": [action.city for action in actions], "reviewers": UserFactory.create_batch(2), "actions": actions}


@examples(40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(decisions=st.lists(a_decision(), min_size=1, max_size=40), counted_one_by_one=st.booleans())
def test_the_tallys_medians_are_within_one_displayed_unit_of_the_exact_ones(places, decisions, counted_one_by_one):
    with transaction.atomic():
        changes = ActionStatusChange.objects.bulk_create(
            ActionStatusChange(
                action=places["actions"][decision["city"]],
                city=places["cities"][decision["city"]],
                from_status=Action.Status.SUBMITTED,
                to_status=decision["to_status"],
                by=places["reviewers"][decision["reviewer"]],
                at=datetime.datetime.combine(
                    decision["month"].replace(day=decision["day"]), datetime.time(12), tzinfo=datetime.UTC
                ),
                review_time=decision["review_time"],
            )
            for decision in decisions
        )
        if counted_one_by_one:  # as the workflow counts them
            for change in changes:
                review_tally.count(change)
        else:  # as bench.seed and the migration do
            review_tally.rebuild()
        assert review_tally.rows() == review_tally.recount()
        cities = City.objects.filter(pk__in=[city.pk for city in places["cities"]])
        tallied = dashboards.review_times(cities=cities, period=WHOLE_QUARTER, today=LATER)
        exact = dashboards.review_times(cities=cities, period=WHOLE_QUARTER, today=LATER, exact=True)
        assert not tallied["exact"] and exact["exact"]
        note(f"tally {tallied}\nexact {exact}")
        pairs = [(tallied["overall"], exact["overall"])]
        for grouping in ("per_city", "per_reviewer"):
            exact_by_key = {row["key"]: row for row in exact[grouping]}
            assert {row["key"] for row in tallied[grouping]} == set(exact_by_key)
            pairs += [(row, exact_by_key[row["key"]]) for row in tallied[grouping]]
        for approximate, precise in pairs:
            assert approximate["decisions"] == precise["decisions"]
            assert (approximate["median"] is None) == (precise["median"] is None)
            if precise["median"] is not None:
                assert_within_one_displayed_unit(approximate["median"], precise["median"])
        transaction.set_rollback(True)


def test_bands_are_centred_on_the_hours_below_48_hours_and_on_the_tenths_of_a_day_above():
    minute = datetime.timedelta(minutes=1)
    assert review_tally.bucket(None) == review_tally.UNTIMED
    assert review_tally.bucket(datetime.timedelta(0)) == review_tally.bucket(29 * minute) == 0
    assert review_tally.bucket(30 * minute) == review_tally.bucket(HOUR + 29 * minute) == 1
    assert review_tally.bucket(47 * HOUR + 29 * minute) == 47
    assert review_tally.bucket(47 * HOUR + 30 * minute) == review_tally.bucket(48 * HOUR) == 48
    assert review_tally.bucket(48 * HOUR + DAY / 20) == 49  # 2.05 days: the band of 2.1
    assert [review_tally.middle(band) for band in (0, 5, 48, 49)] == [0 * HOUR, 5 * HOUR, 2 * DAY, 2.1 * DAY]


def test_the_page_and_the_tally_read_the_same_decisions_the_workflow_counted(ambassador, admin):
    """Through the workflow: a return and an approval are counted in their month and band, a
    withdrawn draft deleted with its history takes its return away."""
    kept, deleted = ActionFactory(by=ambassador), ActionFactory(by=ambassador)
    for action in (kept, deleted):
        services.action_submit(action=action, by=ambassador)
        services.action_return(action=action, by=admin, comment="Falta la evidencia.")
        services.action_submit(action=action, by=ambassador)
    services.action_approve(action=kept, by=admin)
    services.action_withdraw(action=deleted, by=ambassador)
    assert ReviewTally.objects.filter(reviewer=admin).values_list("decisions", flat=True).get() == 3
    services.action_delete(action=deleted, by=ambassador)
    assert review_tally.rows() == review_tally.recount()
    assert sum(ReviewTally.objects.values_list("decisions", flat=True)) == 2


STEP = st.sampled_from(["submit", "approve", "return", "withdraw", "unapprove", "delete"])


@examples(30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.lists(STEP, max_size=8), min_size=3, max_size=3))
def test_the_review_tally_agrees_with_a_recount_after_any_decisions(ambassador, admin, coordinator, steps):
    """Approvals, returns, approvals taken back, withdrawals and deleted drafts, by two reviewers."""
    with transaction.atomic():
        actions = [ActionFactory(by=ambassador) for _ in steps]
        reviewers = [admin, coordinator]
        for turn in range(max(map(len, steps))):
            for index, action in enumerate(actions):
                if turn >= len(steps[index]):
                    continue
                step, reviewer = steps[index][turn], reviewers[(turn + index) % 2]
                try:
                    workflow_step(step, action, author=ambassador, reviewer=reviewer)
                except (ValidationError, PermissionDenied):
                    note(f"{step} refused for action {index}")
        assert review_tally.rows() == review_tally.recount()
        assert not ReviewTally.objects.filter(decisions__lte=0).exists()
        transaction.set_rollback(True)
