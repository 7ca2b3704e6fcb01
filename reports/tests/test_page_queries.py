"""The coordinators' pages read the same number of queries with ten times the data: the cities
table, the review queue, the reports and a city's page (also as its ambassador). Each page is
asked twice before counting (sessions and caches warm), then once counted; then ten times the
cities, actions, evidence, opportunities, practices and reports, and counted again."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from ambassadors.tests.factories import AmbassadorFactory, CityFactory
from commitments.tests.factories import EvidenceFactory
from core.tests.helpers import page_queries
from funding.tests.factories import DisbursementFactory, OpportunityFactory
from practices.tests.factories import PracticeFactory
from reports.tests.factories import ProgressReportFactory, ReportedActionFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)

# The most queries each page may read, whatever the data (a ceiling; the test's point is that the
# count does not move with the data).
CEILING = {"cities": 16, "review_queue": 16, "reports": 14, "city_progress": 27}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _work(user, reviewer, units, *, first=0):
    """`units` times, in `user`'s city: an approved action with evidence, one waiting for review,
    an awarded opportunity with money received, a published practice and a monthly report (of
    the month `first` + unit before December 2025)."""
    for unit in range(first, first + units):
        approved = ReportedActionFactory(by=user, reviewer=reviewer, started_on=datetime.date(2026, 1 + unit % 10, 5))
        EvidenceFactory(action=approved)
        ReportedActionFactory(by=user, status="submitted")
        awarded = OpportunityFactory(by=user, stage="awarded", amount_awarded=Decimal("900"))
        DisbursementFactory(opportunity=awarded, amount=Decimal("300"))
        PracticeFactory(by=user, status="published", actions=[approved], reviewer=reviewer)
        month = datetime.date(2025 - unit // 12, 12 - unit % 12, 1)
        ProgressReportFactory(city=approved.city, period_start=month, period_end=month.replace(day=28))


def _grow(country, ambassador, reviewer, *, units, cities, first=0):
    """`units` of work in `ambassador`'s city (from its `first`), and `cities` new cities of
    `country` with one each."""
    _work(ambassador, reviewer, units, first=first)
    for _city in range(cities):
        _work(AmbassadorFactory(city=CityFactory(country=country)).user, reviewer, 1)


@pytest.mark.django_db
def test_the_coordinators_pages_read_as_many_queries_with_ten_times_the_data(
    client_for, coordinator, ambassador, admin, peru, lima
):
    pages = {
        "cities": reverse("reports:cities"),
        "review_queue": reverse("commitments:review_queue"),
        "reports": reverse("reports:reports"),
        "city_progress": reverse("reports:city_progress", args=[lima.pk]),
    }
    client = client_for(coordinator)
    _grow(peru, ambassador, admin, units=1, cities=1)
    few = page_queries(client, pages)
    _grow(peru, ambassador, admin, units=9, cities=9, first=1)  # 2 units of work in 2 cities, then 20 in 11
    many = page_queries(client, pages)
    assert many == few
    assert all(few[name] <= CEILING[name] for name in pages), few


@pytest.mark.django_db
def test_a_city_page_reads_as_many_queries_for_its_ambassador_with_ten_times_the_data(
    client_for, ambassador, admin, peru, lima
):
    pages = {"city_progress": reverse("reports:city_progress", args=[lima.pk]), "reports": reverse("reports:reports")}
    client = client_for(ambassador)
    _grow(peru, ambassador, admin, units=1, cities=1)
    few = page_queries(client, pages)
    _grow(peru, ambassador, admin, units=9, cities=9, first=1)
    many = page_queries(client, pages)
    assert many == few
    assert all(few[name] <= CEILING[name] for name in pages), few
