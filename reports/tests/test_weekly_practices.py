"""The weekly summary tells of last week's new practices: to coordinators, those of their
countries and of the commitments they follow; to ambassadors, only the weeks there is something
new on what they follow, never an empty email. Planning reads the same queries for any number of
people and practices."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments.models import Commitment
from core.models import EmailPreferences
from practices.models import Practice
from practices.tests.factories import CommitmentFollowFactory, PracticeFactory
from reports import tasks
from reports.digests import last_week, weekly_items
from reports.models import Digest
from reports.tests.factories import ReportedActionFactory

MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)  # last week: 16 to 22 November
WEEK = last_week(datetime.date(2026, 11, 23))


def publish(by, day, commitment, title, status=Practice.Status.PUBLISHED):
    """A practice of `by`'s city on `commitment` (a code), reviewed at noon UTC of that November day."""
    with time_machine.travel(datetime.datetime(2026, 11, day, 12, 0, tzinfo=datetime.UTC), tick=False):
        source = ReportedActionFactory(by=by, commitment=commitment)
        return PracticeFactory(by=by, actions=[source], status=status, title=title)


def follow(user, *codes):
    for code in codes:
        CommitmentFollowFactory(user=user, commitment=Commitment.objects.get(axis__number=code[0], number=code[2]))


def send():
    with time_machine.travel(MONDAY, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return tasks.send_weekly_summaries.delay().get()


def email_to(address):
    return next(message for message in mail.outbox if message.to == [address])


def url(practice):
    return settings.SITE_URL + reverse("practices:practice", args=[practice.pk])


@pytest.fixture
def week_of_practices(ambassador, other_ambassador):
    """Lima (Peru) publishes on 3.1; Rosario (Argentina) on 1.1, last week and the week before,
    and keeps a draft on 1.1."""
    return {
        "lima": publish(ambassador, 18, "3.1", "Escuela de Gobernanza Emocional"),
        "rosario": publish(other_ambassador, 19, "1.1", "Huertos urbanos"),
        "old": publish(other_ambassador, 12, "1.1", "Publicada la semana anterior"),
        "draft": publish(other_ambassador, 20, "1.1", "Borrador de Rosario", status=Practice.Status.DRAFT),
    }


@pytest.mark.django_db
def test_a_coordinator_reads_the_weeks_practices_of_their_countries_and_of_what_they_follow_each_once(
    week_of_practices, coordinator
):
    follow(coordinator, "1.1", "3.1")  # Lima's practice is on 3.1 too: it is still listed once
    assert send() == 1
    carla = email_to("carla@example.org")
    assert "Acciones aprobadas:" in carla.body
    lima, rosario = week_of_practices["lima"], week_of_practices["rosario"]
    assert carla.body.count(url(lima)) == 1 and carla.body.count(url(rosario)) == 1
    in_scope = carla.body.index("Prácticas publicadas la semana pasada en las ciudades que coordina:")
    followed = carla.body.index("Prácticas nuevas en los compromisos que sigue:")
    assert in_scope < carla.body.index("«Escuela de Gobernanza Emocional», Lima") < followed
    assert followed < carla.body.index("«Huertos urbanos», Rosario (1.1)")
    assert "Publicada la semana anterior" not in carla.body and "Borrador de Rosario" not in carla.body


@pytest.mark.django_db
def test_an_ambassador_hears_only_of_new_practices_on_what_they_follow(
    week_of_practices, ambassador, other_ambassador, peru
):
    follow(ambassador, "1.1")
    follow(other_ambassador, "2.1")  # nothing new on 2.1: no email
    quiet = UserFactory(username="ximena")
    ambassador_services.ambassador_appoint(
        city=CityFactory(country=peru, name="Cusco"), user=quiet, appointed_on=datetime.date(2025, 3, 1)
    )
    follow(quiet, "1.1")
    EmailPreferences.objects.create(user=quiet, weekly_summary=False)
    assert send() == 1
    [alicia] = mail.outbox
    assert alicia.to == ["alicia@example.org"]
    assert alicia.subject == "OMCS: resumen de la semana del 16/11/2026 al 22/11/2026"
    assert "Su resumen de la semana del 16 de noviembre de 2026 al 22 de noviembre de 2026." in alicia.body
    assert f"«Huertos urbanos», Rosario (1.1): {url(week_of_practices['rosario'])}" in alicia.body
    assert "Escuela de Gobernanza Emocional" not in alicia.body  # her own city's, on 3.1: not followed
    assert "Acciones aprobadas" not in alicia.body and "Panel:" not in alicia.body
    assert send() == 0  # the same week again: nothing more
    assert Digest.objects.filter(kind=Digest.Kind.WEEKLY_SUMMARY).count() == 1


@pytest.mark.django_db
def test_an_ambassador_following_commitments_gets_nothing_in_a_week_without_practices(ambassador, coordinator):
    follow(ambassador, "1.1", "3.1")
    assert send() == 1
    assert [message.to for message in mail.outbox] == [["carla@example.org"]]
    assert "Prácticas" not in mail.outbox[0].body


def _people_and_practices(count, coordinator_country):
    """`count` more ambassadors, each in a city of their own, following 1.1 and publishing on it,
    and `count` more coordinators."""
    for n in range(count):
        user = UserFactory(username=f"amb-{n}-{count}")
        ambassador_services.ambassador_appoint(
            city=CityFactory(name=f"Ciudad {n}-{count}"), user=user, appointed_on=datetime.date(2025, 1, 1)
        )
        follow(user, "1.1")
        publish(user, 17, "1.1", f"Práctica {n}")
        coordinator = UserFactory(username=f"coord-{n}-{count}")
        ambassador_services.coordinator_set_scope(user=coordinator, countries=[coordinator_country])
        follow(coordinator, "1.1")


@pytest.mark.django_db
def test_planning_the_weekly_summaries_reads_the_same_queries_for_more_people_and_practices(
    ambassador, other_ambassador, coordinator, peru, django_assert_num_queries
):
    follow(ambassador, "1.1")
    publish(other_ambassador, 18, "1.1", "Huertos urbanos")
    now = MONDAY
    with CaptureQueriesContext(connection) as few:
        weekly_items(week=WEEK, now=now)
    _people_and_practices(3, peru)
    with django_assert_num_queries(len(few)):
        items = weekly_items(week=WEEK, now=now)
    assert len(items) == 1 + 4 + 3  # Carla, Alicia and three more ambassadors, three more coordinators
    assert all(len([item for item in user_items if item["type"] == "practice"]) for user_items in items.values())
