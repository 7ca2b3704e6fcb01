"""Commitment 1.4 in the reminder digest: a funding deadline two weeks ahead and in its last
days, the overdue milestones of the plan in force, and the plans waiting for review go into each
person's one reminder email, as often as they chose to read it."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from core.models import EmailPreferences
from funding import services
from funding.models import Opportunity
from funding.tests.factories import MilestoneFactory, OpportunityFactory, TransitionPlanFactory
from reports import tasks
from reports.digests import hears_of_deadline, reminder_items
from reports.models import Digest
from reports.tests.factories import ReportedActionFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)


def run(task, *args):
    """Run a task as a worker would: the emails it writes leave once its transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return task.delay(*args).get()


def remind(moment):
    with time_machine.travel(moment, tick=False):
        return run(tasks.send_reminders)


def deadlines_told(user, *, today=TODAY):
    """{opportunity title: days left} of the deadline items reminder_items has for `user`."""
    items = reminder_items(today=today, now=datetime.datetime.combine(today, MONDAY.timetz()))
    return {item["title"]: item["days"] for item in items.get(user, []) if item["type"] == "deadline"}


def opportunity(by, title, days, stage=Opportunity.Stage.IDENTIFIED, **fields):
    return OpportunityFactory(by=by, title=title, deadline=TODAY + days * DAY, stage=stage, **fields)


def approved_plan(by, reviewer, *, overdue=(), done=(), days_ago=60):
    """An approved plan of `by`'s city (approved `days_ago` days before MONDAY) with milestones
    due 10 days before MONDAY: `overdue` ones left open, `done` ones done."""
    with time_machine.travel(MONDAY - days_ago * DAY, tick=False):
        plan = TransitionPlanFactory(by=by)
        for title in overdue:
            MilestoneFactory(plan=plan, title=title, horizon="short", due_on=TODAY - 10 * DAY)
        for title in done:
            milestone = MilestoneFactory(plan=plan, title=title, horizon="short", due_on=TODAY - 10 * DAY)
            services.milestone_set_status(milestone=milestone, by=by, status="done")
        services.plan_submit(plan=plan, by=by)
        services.plan_approve(plan=plan, by=reviewer)
    plan.refresh_from_db()
    return plan


def waiting_plan(by, *, days_ago):
    with time_machine.travel(MONDAY - days_ago * DAY, tick=False):
        return TransitionPlanFactory(by=by, status="submitted")


def test_the_rule_a_daily_reader_hears_at_14_days_and_in_the_last_3_a_weekly_reader_within_14():
    daily, weekly = EmailPreferences.Frequency.DAILY, EmailPreferences.Frequency.WEEKLY
    assert [days for days in range(-2, 20) if hears_of_deadline(days, daily)] == [0, 1, 2, 3, 14]
    assert [days for days in range(-2, 20) if hears_of_deadline(days, weekly)] == list(range(15))


def test_the_ambassador_is_told_of_the_deadlines_of_opportunities_still_being_prepared(
    ambassador, other_ambassador, coordinator
):
    for days in (0, 2, 3, 4, 13, 14, 15):
        opportunity(ambassador, f"Convocatoria a {days} días", days)
    opportunity(ambassador, "Ya cerró", -1)
    opportunity(ambassador, "En preparación", 3, stage=Opportunity.Stage.PREPARING)
    opportunity(ambassador, "Ya presentada", 3, stage=Opportunity.Stage.SUBMITTED)
    opportunity(ambassador, "Retirada", 3, stage=Opportunity.Stage.WITHDRAWN)
    OpportunityFactory(by=ambassador, title="Sin fecha", deadline=None)
    opportunity(other_ambassador, "De Rosario", 3)

    told = deadlines_told(ambassador)
    # Every deadline of the coming two weeks; which a reader hears of depends on how often they read.
    assert told == {
        "Convocatoria a 0 días": 0,
        "Convocatoria a 2 días": 2,
        "Convocatoria a 3 días": 3,
        "En preparación": 3,
        "Convocatoria a 4 días": 4,
        "Convocatoria a 13 días": 13,
        "Convocatoria a 14 días": 14,
    }
    assert deadlines_told(other_ambassador) == {"De Rosario": 3}
    assert deadlines_told(coordinator) == {}

    assert remind(MONDAY) == 2
    alicia = next(message for message in mail.outbox if message.to == ["alicia@example.org"])
    for title in ("Convocatoria a 0 días", "Convocatoria a 2 días", "Convocatoria a 3 días", "En preparación"):
        assert f"«{title}»" in alicia.body
    assert "«Convocatoria a 14 días»" in alicia.body
    for title in ("Convocatoria a 4 días", "Convocatoria a 13 días", "Convocatoria a 15 días", "Ya presentada"):
        assert f"«{title}»" not in alicia.body
    assert "Hoy es la fecha límite de «Convocatoria a 0 días»" in alicia.body
    assert "Fecha límite en 3 días, el 26 de noviembre de 2026: «Convocatoria a 3 días»" in alicia.body
    assert "Fecha límite en 14 días, el 7 de diciembre de 2026" in alicia.body
    told = Opportunity.objects.get(title="Convocatoria a 3 días")
    assert f"/financiamiento/oportunidades/{told.pk}/" in alicia.body


def test_a_daily_reader_hears_of_a_deadline_14_days_ahead_then_each_of_its_last_3_days(ambassador):
    call = opportunity(ambassador, "Ciudades resilientes", 16)
    told_on = []
    for day in range(18):
        before = len(mail.outbox)
        remind(MONDAY + day * DAY)
        if len(mail.outbox) > before and "«Ciudades resilientes»" in mail.outbox[-1].body:
            told_on.append((call.deadline - (TODAY + day * DAY)).days)
    assert told_on == [14, 3, 2, 1, 0]


@pytest.mark.parametrize("weekday", range(7))
def test_a_weekly_reader_hears_of_every_deadline_before_it_passes(ambassador, coordinator, weekday):
    """Whatever day of the week the deadline falls, the one email a week tells of it at least
    once, within two weeks of it; with nothing else pending (Lima acted today), the week's email
    is written on the first day a deadline comes within two weeks, not necessarily a Monday."""
    ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=TODAY)
    EmailPreferences.objects.create(user=ambassador, reminders=EmailPreferences.Frequency.WEEKLY)
    deadlines = {f"Cierra el día {days}": days for days in range(weekday + 7, 29, 7)}
    for title, days in deadlines.items():
        opportunity(ambassador, title, days)
    for day in range(29):
        remind(MONDAY + day * DAY)
    digests = Digest.objects.filter(recipient=ambassador, kind=Digest.Kind.REMINDERS)
    heard = {}
    for digest in digests:
        assert digest.items and all(item["type"] == "deadline" for item in digest.items)
        for item in digest.items:
            heard.setdefault(item["title"], []).append(item["days"])
    assert set(heard) == set(deadlines)
    assert all(0 <= days <= 14 for told in heard.values() for days in told)
    assert len(mail.outbox) == digests.count() <= 5


def test_an_email_of_deadlines_only_goes_to_a_daily_reader_on_the_days_they_hear_of_one(ambassador):
    opportunity(ambassador, "Lejana", 10)
    # Lima has nothing else pending but its inactivity: keep her quiet on that front.
    EmailPreferences.objects.create(user=ambassador, reminders=EmailPreferences.Frequency.DAILY)
    items = reminder_items(today=TODAY, now=MONDAY)[ambassador]
    assert [item["type"] for item in items] == ["inactive", "deadline"]
    remind(MONDAY)
    [message] = mail.outbox
    assert "«Lejana»" not in message.body
    assert message.subject == "OMCS: 1 asunto pendiente"


def test_the_overdue_milestones_of_the_plan_in_force_only(ambassador, other_ambassador, admin, coordinator):
    plan = approved_plan(
        other_ambassador, admin, overdue=["Mapa de riesgo hídrico", "Acuerdo de humedales"], done=["Cumplido"]
    )
    # A second version in preparation copies the open milestones: they are not reminded twice.
    services.plan_revise(plan=plan, by=other_ambassador, reason="Nuevos plazos.")
    # Lima's plan waits for review: not in force, its overdue milestone is not reminded.
    with time_machine.travel(MONDAY - 30 * DAY, tick=False):
        draft = TransitionPlanFactory(by=ambassador)
        MilestoneFactory(plan=draft, title="Sin aprobar", due_on=TODAY - 5 * DAY)
        services.plan_submit(plan=draft, by=ambassador)

    items = reminder_items(today=TODAY, now=MONDAY)
    overdue = [item for item in items[other_ambassador] if item["type"] == "milestone_overdue"]
    assert [(item["title"], item["days"], item["plan"]) for item in overdue] == [
        ("Mapa de riesgo hídrico", 10, plan.pk),
        ("Acuerdo de humedales", 10, plan.pk),
    ]
    assert not [item for item in items.get(ambassador, []) if item["type"] == "milestone_overdue"]

    remind(MONDAY)
    bruno = next(message for message in mail.outbox if message.to == ["bruno@example.org"])
    told = "Hito vencido del plan de transición: «Mapa de riesgo hídrico», previsto para el 13 de noviembre de 2026."
    assert told in bruno.body
    assert f"/financiamiento/planes/{plan.pk}/" in bruno.body
    assert "Cumplido" not in bruno.body


def test_a_plan_waiting_a_week_is_reminded_to_who_may_review_it_never_to_who_sent_it(
    ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin, peru
):
    lima_plan = waiting_plan(ambassador, days_ago=8)
    waiting_plan(other_ambassador, days_ago=3)  # Rosario's: sent three days ago, not yet
    # Carla also becomes the ambassador of Arequipa (Peru) and sends its plan: not hers to review.
    arequipa = CityFactory(country=peru, name="Arequipa")
    ambassador_services.ambassador_appoint(city=arequipa, user=coordinator, appointed_on=datetime.date(2025, 1, 1))
    own = waiting_plan(coordinator, days_ago=9)

    items = reminder_items(today=TODAY, now=MONDAY)

    def waiting(user):
        return {(item["city"], item["days"]) for item in items.get(user, []) if item["type"] == "plan_waiting"}

    assert waiting(coordinator) == {("Lima", 8)}
    assert waiting(admin) == {("Lima", 8), ("Arequipa", 9)}
    assert waiting(coordinator_elsewhere) == set()
    assert waiting(ambassador) == set()
    assert services.can_review_plan(admin, own) and not services.can_review_plan(coordinator, own)

    remind(MONDAY)
    carla = next(message for message in mail.outbox if message.to == ["carla@example.org"])
    assert "Lima: el plan de transición (versión 1) espera revisión desde hace 8 días." in carla.body
    assert f"/financiamiento/planes/{lima_plan.pk}/" in carla.body


def test_everything_goes_in_the_one_reminder_email_of_the_day(ambassador, coordinator):
    opportunity(ambassador, "Techos verdes", 3, currency="PEN", amount=Decimal("2800000"))
    approved_plan(ambassador, coordinator, overdue=["Planta de compostaje"])
    assert remind(MONDAY) == 1
    [message] = mail.outbox
    assert message.to == ["alicia@example.org"]
    assert "«Techos verdes»" in message.body and "«Planta de compostaje»" in message.body
    assert remind(MONDAY + datetime.timedelta(hours=3)) == 0
    assert Digest.objects.filter(recipient=ambassador, kind=Digest.Kind.REMINDERS).count() == 1


def test_planning_reads_a_fixed_number_of_queries_however_many_cities_plans_and_opportunities(
    ambassador, other_ambassador, coordinator, admin, peru, django_assert_max_num_queries
):
    opportunity(ambassador, "Una", 3)
    approved_plan(ambassador, coordinator, overdue=["Uno"])
    waiting_plan(other_ambassador, days_ago=8)
    with CaptureQueriesContext(connection) as few:
        reminder_items(today=TODAY, now=MONDAY)
    for number in range(3):
        city = CityFactory(country=peru, name=f"Ciudad {number}")
        user = UserFactory(username=f"embajada{number}")
        ambassador_services.ambassador_appoint(city=city, user=user, appointed_on=datetime.date(2025, 1, 1))
        for days in (0, 3, 14):
            opportunity(user, f"Convocatoria {number}-{days}", days)
        if number < 2:
            approved_plan(user, coordinator, overdue=["Hito A", "Hito B"])
        else:
            waiting_plan(user, days_ago=10)
    with django_assert_max_num_queries(len(few)):
        items = reminder_items(today=TODAY, now=MONDAY)
    kinds = [item["type"] for user_items in items.values() for item in user_items]
    assert kinds.count("deadline") == 10 and kinds.count("milestone_overdue") == 5
    waiting = {
        (user.username, item["city"]) for user in (coordinator, admin) for item in items[user]
        if item["type"] == "plan_waiting"
    }  # fmt: skip
    assert waiting == {("carla", "Ciudad 2"), ("admin", "Ciudad 2"), ("admin", "Rosario")}


class TestOnTheDemo:
    def test_the_demo_tells_of_deadlines_overdue_milestones_and_a_plan_waiting_for_review(self, demo_for_reading):
        today = timezone.localdate()
        items = {
            user.username: user_items for user, user_items in reminder_items(today=today, now=timezone.now()).items()
        }

        def told(username, kind):
            return [item for item in items.get(username, []) if item["type"] == kind]

        daily = EmailPreferences.Frequency.DAILY
        assert [item["days"] for item in told("emb.lima", "deadline") if hears_of_deadline(item["days"], daily)] == [3]
        assert 14 in [item["days"] for item in told("emb.cdmx", "deadline")]
        assert len([name for name in items if told(name, "milestone_overdue")]) >= 3
        assert [item["city"] for item in told("coord.sur", "plan_waiting")] == ["Rosario"]
        assert [item["city"] for item in told("admin", "plan_waiting")] == ["Rosario"]
        assert not told("coord.norte", "plan_waiting")
