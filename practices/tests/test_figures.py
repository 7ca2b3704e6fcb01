"""The practice figures the reports read: counts at the edges of a period, in local days, only
for the cities asked about; a city's lists as its scope and the rest of the network see them."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings

from ambassadors import services as ambassador_services
from ambassadors.models import City
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments import services as commitment_services
from commitments.tests.factories import ActionFactory
from practices import figures
from practices.models import Practice, Replication
from practices.tests.factories import (
    CommitmentFollowFactory,
    PracticeFactory,
    ReplicationActionFactory,
    ReplicationFactory,
)

LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


def at(*moment):
    """A moment in the site's time zone."""
    return time_machine.travel(datetime.datetime(*moment, tzinfo=LOCAL), tick=False)


def publish(by, *moment, **fields):
    """A practice of `by`'s city published at that moment, from an action of January."""
    with at(*moment):
        source = ActionFactory(by=by, status="approved", started_on=datetime.date(2026, 1, 5))
        return PracticeFactory(by=by, actions=[source], status=Practice.Status.PUBLISHED, **fields)


def approve(action, by, *moment):
    """Send the replicating city's draft action and approve it at that moment."""
    with at(*moment):
        action = commitment_services.action_submit(action=action, by=action.ambassador.user)
        commitment_services.action_approve(action=action, by=by)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="revisora", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_a_practice_counts_in_the_local_day_it_was_published_and_never_before(
    ambassador, lima, reviewer, django_assert_num_queries
):
    publish(ambassador, 2026, 9, 30, 23, 50, title="El día antes")
    publish(ambassador, 2026, 10, 1, 0, 5, title="El primer día")
    publish(ambassador, 2026, 10, 31, 23, 55, title="El último día")
    publish(ambassador, 2026, 11, 1, 0, 5, title="El día después")
    with at(2026, 10, 15, 12, 0):
        PracticeFactory(by=ambassador, title="Borrador")
        PracticeFactory(by=ambassador, status=Practice.Status.SUBMITTED, title="En revisión")
        PracticeFactory(by=ambassador, status=Practice.Status.RETURNED, title="Devuelta")
    with django_assert_num_queries(2):
        counts = figures.practice_counts(cities=[lima], start=OCTOBER[0], end=OCTOBER[1])
    assert counts == {"published": 2, "replications_started": 0, "replications_done": 0}
    assert sorted(practice.title for practice in figures.published_in(*OCTOBER)) == ["El primer día", "El último día"]


@pytest.fixture
def lima_practice(ambassador, reviewer):
    return publish(ambassador, 2026, 9, 1, 10, 0)


@pytest.mark.django_db
def test_a_replication_is_done_on_the_day_its_completing_action_is_approved(
    other_ambassador, rosario, lima_practice, reviewer
):
    with at(2026, 10, 31, 23, 0):
        replication = ReplicationFactory(practice=lima_practice, by=other_ambassador)
        ReplicationActionFactory(replication=replication, completes=True)
        helping = ReplicationActionFactory(replication=replication, completes=False)
    approve(helping.action, reviewer, 2026, 10, 31, 23, 10)  # approved, but does not complete it
    october = figures.practice_counts(cities=[rosario], start=OCTOBER[0], end=OCTOBER[1])
    assert october == {"published": 0, "replications_started": 1, "replications_done": 0}
    completing = replication.links.get(completes=True).action
    approve(completing, reviewer, 2026, 11, 1, 0, 10)
    october = figures.practice_counts(cities=[rosario], start=OCTOBER[0], end=OCTOBER[1])
    november = figures.practice_counts(
        cities=[rosario], start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30)
    )
    assert (october["replications_done"], november["replications_done"]) == (0, 1)
    assert november["replications_started"] == 0


@pytest.mark.django_db
def test_the_counts_are_those_of_the_cities_asked_about(
    ambassador, other_ambassador, lima, rosario, peru, lima_practice, reviewer
):
    with at(2026, 10, 10, 9, 0):
        ReplicationFactory(practice=lima_practice, by=other_ambassador)
    publish(other_ambassador, 2026, 10, 12, 9, 0)
    cusco = CityFactory(country=peru, name="Cusco")
    assert figures.practice_counts(cities=[lima, cusco], start=OCTOBER[0], end=OCTOBER[1]) == {
        "published": 0,
        "replications_started": 0,
        "replications_done": 0,
    }
    assert figures.practice_counts(cities=[rosario], start=OCTOBER[0], end=OCTOBER[1]) == {
        "published": 1,
        "replications_started": 1,
        "replications_done": 0,
    }


@pytest.mark.django_db
def test_the_counts_take_the_same_two_queries_for_more_cities_and_practices(
    ambassador, other_ambassador, lima, rosario, lima_practice, reviewer, django_assert_num_queries
):
    with at(2026, 10, 10, 9, 0):
        replication = ReplicationFactory(practice=lima_practice, by=other_ambassador)
        ReplicationActionFactory(replication=replication, completes=True)
    for n in range(3):
        publish(ambassador, 2026, 10, 2 + n, 9, 0)
        user = UserFactory(username=f"amb-{n}")
        ambassador_services.ambassador_appoint(
            city=CityFactory(name=f"Ciudad {n}"), user=user, appointed_on=datetime.date(2025, 1, 1)
        )
        with at(2026, 10, 20, 9, 0):
            ReplicationActionFactory(replication=ReplicationFactory(practice=lima_practice, by=user), completes=True)
    approve(replication.links.get().action, reviewer, 2026, 10, 21, 9, 0)
    with django_assert_num_queries(2):
        counts = figures.practice_counts(cities=City.objects.all(), start=OCTOBER[0], end=OCTOBER[1])
    assert counts == {"published": 3, "replications_started": 4, "replications_done": 1}


@pytest.mark.django_db
def test_a_city_lists_every_status_for_its_scope_and_only_published_for_the_network(
    ambassador, other_ambassador, coordinator, lima, reviewer
):
    draft = PracticeFactory(by=ambassador, title="Borrador")
    published = publish(ambassador, 2026, 10, 1, 9, 0, title="Publicada")
    returned = PracticeFactory(by=ambassador, status=Practice.Status.RETURNED, title="Devuelta")
    for user in (ambassador, coordinator):
        listed = figures.city_practices(city=lima, user=user)
        assert {practice.pk for practice in listed} == {draft.pk, published.pk, returned.pk}
        assert listed[-1] == published  # not yet published first
    assert figures.city_practices(city=lima, user=other_ambassador) == [published]


@pytest.mark.django_db
def test_a_city_lists_what_it_replicates_with_each_state(other_ambassador, rosario, ambassador, reviewer):
    ReplicationFactory(practice=publish(ambassador, 2026, 9, 1, 9, 0, title="Planificada"), by=other_ambassador)
    in_progress = ReplicationFactory(
        practice=publish(ambassador, 2026, 9, 2, 9, 0, title="En curso"), by=other_ambassador
    )
    done = ReplicationFactory(practice=publish(ambassador, 2026, 9, 3, 9, 0, title="Hecha"), by=other_ambassador)
    with at(2026, 9, 4, 9, 0):
        ReplicationActionFactory(replication=in_progress, completes=True)
        completing = ReplicationActionFactory(replication=done, completes=True).action
    approve(completing, reviewer, 2026, 10, 5, 9, 0)
    states = {
        replication.practice.title: (replication.state, replication.practice.city.name)
        for replication in figures.city_replications(city=rosario, user=ambassador)
    }
    assert states == {
        "Planificada": (Replication.State.PLANNED, "Lima"),
        "En curso": (Replication.State.IN_PROGRESS, "Lima"),
        "Hecha": (Replication.State.DONE, "Lima"),
    }


@pytest.mark.django_db
def test_a_report_reads_what_the_city_had_by_the_end_of_its_period(
    ambassador, other_ambassador, rosario, lima, reviewer
):
    publish(ambassador, 2026, 10, 31, 23, 0, title="A tiempo")
    publish(ambassador, 2026, 11, 1, 1, 0, title="Tarde")
    with at(2026, 10, 3, 9, 0):
        replication = ReplicationFactory(
            practice=publish(ambassador, 2026, 9, 1, 9, 0, title="Vieja"), by=other_ambassador
        )
        link = ReplicationActionFactory(replication=replication, completes=True)
    approve(link.action, reviewer, 2026, 11, 2, 9, 0)
    assert [row["title"] for row in figures.published_by_city_until(city=lima, end=OCTOBER[1])] == ["Vieja", "A tiempo"]
    [replicating] = figures.replicated_by_city_until(city=rosario, end=OCTOBER[1])
    assert replicating.state == Replication.State.IN_PROGRESS  # done only in November
    [replicating] = figures.replicated_by_city_until(city=rosario, end=datetime.date(2026, 11, 30))
    assert replicating.state == Replication.State.DONE


@pytest.mark.django_db
def test_a_replication_with_its_first_action_linked_after_the_period_was_planned_then(
    ambassador, other_ambassador, rosario
):
    with at(2026, 9, 20, 9, 0):
        replication = ReplicationFactory(
            practice=publish(ambassador, 2026, 9, 1, 9, 0, title="Vieja"), by=other_ambassador
        )
    with at(2026, 11, 3, 9, 0):
        ReplicationActionFactory(replication=replication)
    [september] = figures.replicated_by_city_until(city=rosario, end=datetime.date(2026, 9, 30))
    assert september.state == Replication.State.PLANNED  # today it is in progress
    [november] = figures.replicated_by_city_until(city=rosario, end=datetime.date(2026, 11, 30))
    assert november.state == Replication.State.IN_PROGRESS


@pytest.mark.django_db
def test_the_weeks_practices_come_with_their_commitments_and_followers(ambassador, reviewer, django_assert_num_queries):
    practice = publish(ambassador, 2026, 10, 14, 9, 0)
    publish(ambassador, 2026, 10, 20, 9, 0)  # the week after
    commitment = practice.commitments.get()
    follower = CommitmentFollowFactory(commitment=commitment).user
    CommitmentFollowFactory()  # another commitment
    with django_assert_num_queries(3):
        [found] = figures.published_with_commitments(start=datetime.date(2026, 10, 12), end=datetime.date(2026, 10, 18))
        assert [c.code for c in found.commitments.all()] == [commitment.code]
        assert figures.followers_of([commitment]) == {follower.pk: {commitment.pk}}
    assert found.city.name == "Lima"
