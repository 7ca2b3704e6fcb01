"""Terms about to end, in the reminder digests: the ambassador and the coordinators of the
city's country hear of it 60 days ahead and 30 days ahead, once each; the coordinators' weekly
summary lists the terms of their cities ending within 60 days."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ambassadors.models import Ambassador
from ambassadors.tests.factories import AmbassadorFactory, CityFactory
from core.models import EmailPreferences
from reports import tasks
from reports.digests import last_week, reminder_items, weekly_items
from terms.models import TermReminder

MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def remind(moment):
    with time_machine.travel(moment, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return tasks.send_reminders.delay().get()


def bodies_to(address):
    return [message.body for message in mail.outbox if message.to == [address]]


@pytest.fixture
def ending(ambassador):
    """Alicia's term in Lima ends 60 days after MONDAY."""
    appointment = Ambassador.objects.get(user=ambassador)
    Ambassador.objects.filter(pk=appointment.pk).update(term_ends_on=MONDAY.date() + 60 * DAY)
    return appointment


def test_the_ambassador_and_the_coordinator_hear_at_60_and_at_30_days_once_each(
    ending, coordinator, coordinator_elsewhere, admin
):
    remind(MONDAY)
    (alicia,) = bodies_to("alicia@example.org")
    assert "Su periodo como embajador de Lima termina en 60 días, el 22 de enero de 2027." in alicia
    (carla,) = bodies_to("carla@example.org")
    assert "Lima: el periodo de Alicia termina en 60 días, el 22 de enero de 2027." in carla
    assert "/periodos/" in carla
    assert not bodies_to("diego@example.org") and not bodies_to(admin.email)
    for day in range(1, 30):  # told once: the following days say nothing more of it
        remind(MONDAY + day * DAY)
    assert not any("periodo" in body for body in bodies_to("carla@example.org")[1:])
    assert not any("Su periodo" in body for body in bodies_to("alicia@example.org")[1:])
    mail.outbox.clear()
    remind(MONDAY + 30 * DAY)
    assert "termina en 30 días" in bodies_to("alicia@example.org")[0]
    assert "Lima: el periodo de Alicia termina en 30 días" in bodies_to("carla@example.org")[0]
    mail.outbox.clear()
    remind(MONDAY + 31 * DAY)
    assert not any("periodo" in body for body in bodies_to("carla@example.org"))
    assert set(TermReminder.objects.values_list("threshold", "recipient__username")) == {
        (60, "alicia"),
        (60, "carla"),
        (30, "alicia"),
        (30, "carla"),
    }


def test_a_term_first_seen_inside_30_days_is_told_once_at_30(ending, coordinator):
    Ambassador.objects.filter(pk=ending.pk).update(term_ends_on=MONDAY.date() + 20 * DAY)
    remind(MONDAY)
    assert "termina en 20 días" in bodies_to("alicia@example.org")[0]
    assert set(TermReminder.objects.values_list("threshold", flat=True)) == {30}


def test_a_renewed_term_is_told_again_when_its_new_end_comes_near(ending, coordinator):
    remind(MONDAY)
    Ambassador.objects.filter(pk=ending.pk).update(term_ends_on=MONDAY.date() + 400 * DAY)
    mail.outbox.clear()
    remind(MONDAY + 340 * DAY)
    assert "termina en 60 días" in bodies_to("carla@example.org")[0]


def test_a_weekly_reader_hears_of_it_in_their_next_weekly_digest(ending, coordinator):
    EmailPreferences.objects.create(user=coordinator, reminders=EmailPreferences.Frequency.WEEKLY)
    remind(MONDAY)
    assert "termina en 60 días" in bodies_to("carla@example.org")[0]
    for day in range(1, 7):
        remind(MONDAY + day * DAY)
    assert len(bodies_to("carla@example.org")) == 1
    assert TermReminder.objects.filter(recipient=coordinator).count() == 1


def test_the_term_items_cost_the_same_queries_for_more_terms_and_coordinators(ending, coordinator, peru):
    today, now = MONDAY.date(), MONDAY
    with CaptureQueriesContext(connection) as few:
        reminder_items(today=today, now=now)
    for n in range(4):
        city = CityFactory(country=peru, name=f"Ciudad {n}")
        AmbassadorFactory(city=city, term_ends_on=today + (10 + n) * DAY)
    with CaptureQueriesContext(connection) as many:
        items = reminder_items(today=today, now=now)
    assert len(many) == len(few)
    assert len([item for item in items[coordinator] if item["type"] == "term_ending"]) == 5


def test_the_weekly_summary_lists_the_terms_ending_in_the_coordinators_cities(
    ending, coordinator, coordinator_elsewhere, argentina
):
    rosario = CityFactory(name="Rosario", country=argentina)
    AmbassadorFactory(city=rosario, term_ends_on=MONDAY.date() + 10 * DAY)
    items = weekly_items(week=last_week(MONDAY.date()), now=MONDAY)
    (summary, *_rest) = items[coordinator]
    assert [term["city"] for term in summary["terms_ending"]] == ["Lima"]
    assert items[coordinator_elsewhere][0]["terms_ending"] == []
