"""The reminders word the owners' rules, they do not restate them: who may review is
Action.objects.reviewable_by's rule, and a city is inactive as the cities table says."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassadors import services as ambassador_services
from ambassadors.models import City
from ambassadors.scope import reviewers
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments.models import Action, may_review
from reports import dashboards
from reports.digests import reminder_items
from reports.periods import Period
from reports.tests.factories import ReportedActionFactory

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture
def cast_actions(ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin):
    """An action waiting in Lima and one in Rosario, three weeks old."""
    with time_machine.travel(NOW - datetime.timedelta(days=21), tick=False):
        actions = [
            ReportedActionFactory(by=ambassador, status="submitted"),
            ReportedActionFactory(by=other_ambassador, status="submitted"),
        ]
    return actions


@pytest.mark.django_db
def test_everyone_who_may_review_an_action_is_reminded_of_it_and_nobody_else(
    cast_actions, ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin
):
    items = reminder_items(today=TODAY, now=NOW)
    reminded = {
        (user.username, item["action"]) for user, user_items in items.items() for item in user_items
        if item["type"] == "waiting"
    }  # fmt: skip
    people = [ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin]
    may = {(user.username, action.pk) for user in people for action in Action.objects.awaiting_review_by(user)}
    assert reminded == may
    # The admin is among them (the old copy of the rule left superusers out); Carla only for Lima.
    assert {pk for name, pk in reminded if name == "admin"} == {action.pk for action in cast_actions}
    assert {pk for name, pk in reminded if name == "carla"} == {cast_actions[0].pk}


@pytest.mark.django_db
def test_may_review_agrees_with_reviewable_by_for_every_reviewer_and_action(cast_actions, coordinator, peru):
    # Carla also becomes the ambassador of Arequipa (Peru): her own actions are not hers to review.
    arequipa = CityFactory(country=peru, name="Arequipa")
    ambassador_services.ambassador_appoint(city=arequipa, user=coordinator, appointed_on=datetime.date(2025, 1, 1))
    own = ReportedActionFactory(by=coordinator, status="submitted")
    actions = Action.objects.select_related("city", "ambassador")
    for reviewer in reviewers():
        allowed = set(Action.objects.reviewable_by(reviewer.user).values_list("pk", flat=True))
        assert {action.pk for action in actions if may_review(reviewer, action)} == allowed, reviewer.user
    assert own.pk not in Action.objects.reviewable_by(coordinator).values_list("pk", flat=True)


@pytest.mark.django_db
def test_a_city_is_reminded_of_inactivity_exactly_when_the_cities_table_calls_it_inactive(
    ambassador, other_ambassador, lima, rosario, coordinator
):
    # Lima: its last approved action started 40 days ago, and one sent last week still waits.
    ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=TODAY - datetime.timedelta(days=40))
    ReportedActionFactory(by=ambassador, status="submitted", started_on=TODAY - datetime.timedelta(days=7))
    # Rosario: an approved action that started 29 days ago.
    admin_user = UserFactory(username="root", is_superuser=True)
    ReportedActionFactory(by=other_ambassador, reviewer=admin_user, started_on=TODAY - datetime.timedelta(days=29))
    # Cusco: a new ambassador, appointed ten days ago, nothing yet.
    cusco = CityFactory(country=lima.country, name="Cusco")
    newcomer = UserFactory(username="nuevo")
    ambassador_services.ambassador_appoint(city=cusco, user=newcomer, appointed_on=TODAY - datetime.timedelta(days=10))

    table = dashboards.cities_table(cities=City.objects.all(), period=Period(TODAY.replace(day=1), TODAY), today=TODAY)
    inactive = {row.values["name"] for row in table["rows"] if row.values["inactive"]}
    assert inactive == {"Lima", "Cusco"}
    items = reminder_items(today=TODAY, now=NOW)
    told = {
        user.username: item for user, user_items in items.items() for item in user_items if item["type"] == "inactive"
    }
    # Cusco is inactive too, but its ambassador has had less than the 30 days to act.
    assert told == {"alicia": {"type": "inactive", "days": 40, "ever": True}}


@pytest.mark.django_db
def test_a_coordinator_who_is_an_ambassador_elsewhere_reviews_only_in_their_countries(
    ambassador, coordinator_elsewhere, lima
):
    """Diego coordinates Mexico and becomes Lima's ambassador while Alicia's action waits: he sees
    it, but it is not his to decide, and nobody reminds him of it."""
    with time_machine.travel(NOW - datetime.timedelta(days=21), tick=False):
        waiting = ReportedActionFactory(by=ambassador, status="submitted")
    ambassador_services.ambassador_appoint(
        city=lima, user=coordinator_elsewhere, appointed_on=datetime.date(2026, 11, 1)
    )
    assert Action.objects.visible_to(coordinator_elsewhere).filter(pk=waiting.pk).exists()
    assert not Action.objects.reviewable_by(coordinator_elsewhere).exists()
    diego = next(reviewer for reviewer in reviewers() if reviewer.user == coordinator_elsewhere)
    assert not may_review(diego, Action.objects.select_related("city", "ambassador").get(pk=waiting.pk))
    items = reminder_items(today=TODAY, now=NOW)
    assert not [item for item in items.get(coordinator_elsewhere, []) if item["type"] == "waiting"]


def _pending(people, count):
    """`count` stale drafts, returned and waiting actions for each of `people`."""
    with time_machine.travel(NOW - datetime.timedelta(days=21), tick=False):
        for user, reviewer in people:
            for _n in range(count):
                ReportedActionFactory(by=user, status="draft")
                ReportedActionFactory(by=user, status="submitted")
                ReportedActionFactory(by=user, status="returned", reviewer=reviewer)


@pytest.mark.django_db
def test_planning_the_reminders_reads_the_same_number_of_queries_for_more_people_and_items(
    ambassador, other_ambassador, coordinator, admin, django_assert_num_queries
):
    _pending([(ambassador, coordinator)], 1)
    with CaptureQueriesContext(connection) as few:
        reminder_items(today=TODAY, now=NOW)
    _pending([(ambassador, coordinator), (other_ambassador, admin)], 3)
    with django_assert_num_queries(len(few)):
        items = reminder_items(today=TODAY, now=NOW)
    assert sum(len(user_items) for user_items in items.values()) > 20
