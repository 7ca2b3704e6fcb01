"""The monthly tallies agree with a recount of the approved actions and their indicator values,
whatever happened to them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, event, given, note
from hypothesis import strategies as st

from commitments import review_tally, services, tallies
from commitments.models import Action, Commitment, IndicatorTally, MonthlyTally
from commitments.tests.factories import ActionFactory
from commitments.tests.helpers import workflow_step
from core.tests.helpers import examples

pytestmark = pytest.mark.django_db

COMMITMENTS = ["1.1", "2.1", "3.1"]
# Three months of 2025, so the tally has several cells per city and commitment; some days
# drawn often, so that actions started the same day (the latest value's tie) come up.
DAYS = st.one_of(
    st.sampled_from([datetime.date(2025, 1, 15), datetime.date(2025, 2, 15)]),
    st.dates(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
)


@st.composite
def an_action(draw):
    women, men, other = (draw(st.integers(0, 40)) for _ in range(3))
    people = draw(st.one_of(st.none(), st.integers(women + men + other, 200)))
    return {
        "city": draw(st.integers(0, 1)),
        "commitment": draw(st.sampled_from(COMMITMENTS)),
        "started_on": draw(DAYS),
        "people_reached": people,
        "women_reached": women if people is not None else None,
        "men_reached": men if people is not None else None,
        "other_reached": other if people is not None else None,
        "youth_reached": draw(st.integers(0, people)) if people is not None else None,
        # The optional groups: often left out, else anything up to the total.
        **{
            group: draw(st.one_of(st.none(), st.integers(0, people))) if people is not None else None
            for group in ("disability_reached", "indigenous_reached", "afro_reached")
        },
        # Values for the commitment's first indicators, in order.
        "values": draw(st.lists(st.decimals(0, 1000, places=2), max_size=3)),
    }


# What may happen to an action: the workflow's steps, and an approval taken back (the tally
# supports it through services._move, which every status change goes through).
STEPS = ["submit", "approve", "return", "withdraw", "unapprove"]
# Submissions and approvals drawn more often, so most examples end with approved actions.
STEP = st.sampled_from(["submit", "approve"] * 3 + STEPS)


@examples(
    40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=st.lists(an_action(), min_size=1, max_size=6),
    # Every action is sent first (nothing else is possible for a draft), then anything happens.
    steps=st.lists(st.lists(STEP, max_size=6).map(lambda steps: ["submit", *steps]), min_size=6, max_size=6),
)
def test_the_tally_agrees_with_a_recount_after_any_approvals_and_withdrawals(
    ambassador, other_ambassador, admin, actions, steps
):
    commitments = {c.code: c for c in Commitment.objects.with_axis().prefetch_related("indicators")}
    authors = [ambassador, other_ambassador]
    with transaction.atomic():
        created = [
            services.action_create(
                by=authors[data["city"]],
                commitment=commitments[data["commitment"]],
                data={"title": "Acción", "description": "Hecho."}
                | {key: value for key, value in data.items() if key not in ("city", "commitment", "values")},
                focus_areas=list(commitments[data["commitment"]].focus_areas.all()[:1]),
                indicator_values=dict(
                    zip(
                        (indicator.pk for indicator in commitments[data["commitment"]].indicators.all()),
                        data["values"],
                        strict=False,
                    )
                ),
            )
            for data in actions
        ]
        done = []
        # Each action goes through its own steps; the actions take turns, one step each.
        for turn in range(max(map(len, steps))):
            for index, action in enumerate(created):
                if turn < len(steps[index]):
                    step = steps[index][turn]
                    try:
                        workflow_step(step, action, author=authors[actions[index]["city"]], reviewer=admin)
                    except (ValidationError, PermissionDenied):
                        note(f"{step} refused for action {index}")
                    else:
                        done.append(step)
        note(f"done: {done}")
        event(f"approvals: {min(done.count('approve'), 3)}, taken back: {min(done.count('unapprove'), 1)}")
        assert sorted(tallies.rows()) == sorted(tallies.recount())
        assert not MonthlyTally.objects.filter(actions__lte=0).exists()
        assert sorted(tallies.value_rows()) == sorted(tallies.value_recount())
        assert not IndicatorTally.objects.filter(value_count__lte=0).exists()
        transaction.set_rollback(True)


def test_taking_an_approval_back_uncounts_it_and_finds_the_months_latest_start_again(ambassador, admin):
    first = ActionFactory(by=ambassador, started_on=datetime.date(2025, 5, 3), people_reached=10)
    later = ActionFactory(by=ambassador, started_on=datetime.date(2025, 5, 20), people_reached=5)
    for action in (first, later):
        services.action_submit(action=action, by=ambassador)
        services.action_approve(action=action, by=admin)
    cell = MonthlyTally.objects.get(month=datetime.date(2025, 5, 1))
    assert (cell.actions, cell.people_reached, cell.last_started_on) == (2, 15, datetime.date(2025, 5, 20))

    with transaction.atomic():
        services._move(later, by=admin, allowed_from=[Action.Status.APPROVED], to_status="returned")
    cell.refresh_from_db()
    assert (cell.actions, cell.people_reached, cell.last_started_on) == (1, 10, datetime.date(2025, 5, 3))

    with transaction.atomic():
        services._move(first, by=admin, allowed_from=[Action.Status.APPROVED], to_status="returned")
    assert not MonthlyTally.objects.exists()


def test_the_indicator_tally_keeps_the_latest_value_and_finds_it_again_when_one_is_taken_back(
    ambassador, admin, commitment
):
    indicator = commitment.indicators.first()
    may = datetime.date(2025, 5, 1)

    def log(value, day):
        return ActionFactory(
            by=ambassador,
            indicator_values={indicator.pk: Decimal(value)},
            status="approved",
            reviewer=admin,
            started_on=day,
        )

    first = log("10.50", datetime.date(2025, 5, 20))
    log("4", datetime.date(2025, 5, 3))  # approved later, but started earlier: not the latest
    same_day = log("7", datetime.date(2025, 5, 20))  # same start, higher id: the latest
    cell = IndicatorTally.objects.get(indicator=indicator, month=may)
    assert (cell.value_count, cell.total, cell.latest_value) == (3, Decimal("21.50"), Decimal(7))
    assert cell.latest_action_pk == same_day.pk

    with transaction.atomic():
        services._move(same_day, by=admin, allowed_from=[Action.Status.APPROVED], to_status="returned")
    cell = IndicatorTally.objects.get(indicator=indicator, month=may)
    assert (cell.value_count, cell.total, cell.latest_value, cell.latest_action_pk) == (
        2,
        Decimal("14.50"),
        Decimal("10.50"),
        first.pk,
    )
    assert sorted(tallies.value_rows()) == sorted(tallies.value_recount())


def test_rebuild_writes_what_the_workflow_wrote(ambassador, other_ambassador, admin, commitment):
    for author, day, people in [
        (ambassador, datetime.date(2025, 1, 9), 30),
        (ambassador, datetime.date(2025, 1, 21), None),
        (ambassador, datetime.date(2025, 2, 2), 7),
        (other_ambassador, datetime.date(2025, 1, 15), 12),
    ]:
        action = ActionFactory(by=author, started_on=day, people_reached=people)
        services.action_submit(action=action, by=author)
        services.action_approve(action=action, by=admin)
    ActionFactory(by=ambassador, started_on=datetime.date(2025, 1, 10))  # a draft: not counted
    indicator = commitment.indicators.first()
    for day, value in [(datetime.date(2025, 1, 9), 3), (datetime.date(2025, 1, 30), 2), (datetime.date(2025, 3, 1), 1)]:
        ActionFactory(
            by=ambassador,
            indicator_values={indicator.pk: Decimal(value)},
            status="approved",
            reviewer=admin,
            started_on=day,
        )
    kept, kept_values = sorted(tallies.rows()), sorted(tallies.value_rows())

    decisions = len(review_tally.recount())  # the review tally is rebuilt too
    assert tallies.rebuild() == 4 + 2 + decisions  # Lima's March is a new month cell
    assert review_tally.rows() == review_tally.recount()
    assert sorted(tallies.rows()) == kept == sorted(tallies.recount())
    assert sorted(tallies.value_rows()) == kept_values == sorted(tallies.value_recount())
    january = IndicatorTally.objects.get(indicator=indicator, month=datetime.date(2025, 1, 1))
    assert (january.value_count, january.total, january.latest_value) == (2, 5, 2)
    lima_january = MonthlyTally.objects.get(city__name="Lima", month=datetime.date(2025, 1, 1))
    assert (lima_january.actions, lima_january.people_reached) == (4, 30)  # two of them carry values


def test_the_tally_and_the_actions_give_the_same_figures(ambassador, other_ambassador, admin, lima, rosario):
    """Dashboards read tally rows or actions by the same names; both give the same sums."""
    for author, day, people in [
        (ambassador, datetime.date(2025, 1, 9), 30),
        (ambassador, datetime.date(2025, 3, 31), 4),
        (other_ambassador, datetime.date(2025, 2, 15), 12),
        (other_ambassador, datetime.date(2025, 4, 1), 99),  # after the period
    ]:
        ActionFactory(by=author, started_on=day, people_reached=people, status="approved", reviewer=admin)
    cities = [lima, rosario]
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)
    assert tallies.covers(start, end, today=datetime.date(2026, 1, 1))
    assert not tallies.covers(start, datetime.date(2025, 3, 30), today=datetime.date(2026, 1, 1))

    def figures(rows):
        return (
            rows.aggregate(approved=Sum("actions"), people=Sum("people_reached"), cities=Count("city", distinct=True)),
            sorted(rows.values_list("month", "commitment").annotate(n=Sum("actions")).order_by()),
        )

    from_tally = figures(tallies.from_tally(cities=cities, start=start, end=end))
    assert from_tally == figures(tallies.from_actions(cities=cities, start=start, end=end))
    assert from_tally[0] == {"approved": 3, "people": 46, "cities": 2}


def test_a_periods_indicator_values_are_the_same_from_the_tally_and_from_the_values(
    ambassador, other_ambassador, admin, commitment, lima, monkeypatch
):
    indicator = commitment.indicators.first()
    for author, day, value in [
        (ambassador, datetime.date(2025, 1, 9), 3),
        (ambassador, datetime.date(2025, 2, 20), 5),
        (ambassador, datetime.date(2025, 2, 20), 4),  # same day, later id: the latest
        (ambassador, datetime.date(2025, 3, 2), 100),  # after the period
        (other_ambassador, datetime.date(2025, 2, 1), 50),  # another city
    ]:
        ActionFactory(
            by=author,
            indicator_values={indicator.pk: Decimal(value)},
            status="approved",
            reviewer=admin,
            started_on=day,
        )
    ActionFactory(
        by=ambassador,
        indicator_values={indicator.pk: Decimal(70)},
        status="submitted",
        started_on=datetime.date(2025, 2, 5),
    )  # submitted

    def rows():
        period = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 2, 28)}
        return list(tallies.indicator_values(city=lima, today=datetime.date(2026, 1, 1), **period))

    from_tally = rows()
    monkeypatch.setattr(tallies, "covers", lambda start, end, today: False)
    assert rows() == from_tally == [{"indicator": indicator.pk, "total": 12, "actions": 3, "latest": 4}]


WIDER_GROUPS = ("disability_reached", "indigenous_reached", "afro_reached")


def test_the_wider_groups_follow_approvals_taken_back_approved_again_and_a_rebuild(ambassador, other_ambassador, admin):
    """People with disabilities, indigenous and Afro-descendant people count in their month's cell
    while their action is approved, leave it when the approval is taken back, come back with the
    counts of the new approval, and a rebuild writes the same. Expected sums are written here."""
    may, june = datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)
    written = [
        # author, started on, people, with disabilities, indigenous, Afro-descendant
        (ambassador, datetime.date(2025, 5, 3), 40, 4, 10, None),
        (ambassador, datetime.date(2025, 5, 20), 25, None, 25, 3),
        (ambassador, datetime.date(2025, 6, 2), 12, 1, 0, 2),
        (other_ambassador, datetime.date(2025, 5, 9), 80, 8, None, 30),
    ]
    actions = []
    for author, day, people, *groups in written:
        action = ActionFactory(
            by=author, started_on=day, people_reached=people, **dict(zip(WIDER_GROUPS, groups, strict=True))
        )
        services.action_submit(action=action, by=author)
        services.action_approve(action=action, by=admin)
        actions.append(action)
    ActionFactory(by=ambassador, started_on=may, people_reached=9, disability_reached=9, status="submitted")

    def cells():
        return {
            (city, month): tuple(groups)
            for city, month, *groups in MonthlyTally.objects.values_list("city__name", "month", *WIDER_GROUPS)
        }

    assert cells() == {("Lima", may): (4, 35, 3), ("Lima", june): (1, 0, 2), ("Rosario", may): (8, 0, 30)}

    with transaction.atomic():
        services._move(actions[1], by=admin, allowed_from=[Action.Status.APPROVED], to_status="returned")
    assert cells()[("Lima", may)] == (4, 10, 0)

    services.action_update(action=actions[1], by=ambassador, data={"disability_reached": 2, "afro_reached": 5})
    services.action_submit(action=actions[1], by=ambassador)
    services.action_approve(action=actions[1], by=admin)
    assert cells()[("Lima", may)] == (4 + 2, 10 + 25, 5)

    with transaction.atomic():
        services._move(actions[2], by=admin, allowed_from=[Action.Status.APPROVED], to_status="returned")
    kept = cells()
    assert kept == {("Lima", may): (6, 35, 5), ("Rosario", may): (8, 0, 30)}  # June's only action left
    assert tallies.rebuild() == 2 + len(review_tally.recount())
    assert cells() == kept
    assert sorted(tallies.rows()) == sorted(tallies.recount())
    # The tally's network sums are the approved actions' own.
    approved = Action.objects.filter(status="approved").aggregate(**{group: Sum(group) for group in WIDER_GROUPS})
    in_tally = MonthlyTally.objects.aggregate(**{group: Sum(group) for group in WIDER_GROUPS})
    assert in_tally == approved == {"disability_reached": 14, "indigenous_reached": 35, "afro_reached": 35}
