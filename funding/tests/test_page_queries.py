"""The funding pages read the same number of queries with ten times the data: the scope's board,
a city's board, an opportunity and a city's plan, as a coordinator and as the city's
ambassador. Each page is asked twice before counting (sessions and caches warm), then once
counted; then ten times the cities, opportunities, money received and milestones, and counted
again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ambassadors.tests.factories import AmbassadorFactory, CityFactory
from core.tests.helpers import page_queries
from funding.models import Opportunity
from funding.tests.factories import DisbursementFactory, MilestoneFactory, OpportunityFactory, TransitionPlanFactory

pytestmark = pytest.mark.django_db

# The most queries each page may read, whatever the data (a ceiling; the point is that the count
# does not move with the data).
CEILING = {"index": 14, "board": 12, "board_stage": 10, "opportunity": 14, "plan": 19}


def _work(user, units, *, plan=None):
    """`units` times, in `user`'s city: an opportunity identified, one awarded with money
    received, and a milestone of its draft plan (`plan`, or a new one submitted)."""
    for _unit in range(units):
        OpportunityFactory(by=user)
        awarded = OpportunityFactory(by=user, stage="awarded", amount_awarded=Decimal("900"))
        DisbursementFactory(opportunity=awarded, amount=Decimal("300"))
        if plan is not None:
            MilestoneFactory(plan=plan)
    if plan is None:
        TransitionPlanFactory(by=user, status="submitted")


def _grow(country, ambassador, plan, *, units, cities):
    """`units` of work in `ambassador`'s city, and `cities` new cities of `country` with one each."""
    _work(ambassador, units, plan=plan)
    for _city in range(cities):
        _work(AmbassadorFactory(city=CityFactory(country=country)).user, 1)


@pytest.mark.parametrize("who", ["coordinator", "ambassador"])
def test_the_funding_pages_read_as_many_queries_with_ten_times_the_data(
    request, client_for, who, ambassador, peru, lima
):
    plan = TransitionPlanFactory(by=ambassador, milestones=False)
    _grow(peru, ambassador, plan, units=1, cities=1)
    pages = {
        "board": reverse("funding:board", args=[lima.pk]),
        "board_stage": reverse("funding:board_stage", args=[lima.pk, "awarded"]),
        "opportunity": reverse("funding:opportunity", args=[Opportunity.objects.filter(city=lima).earliest("pk").pk]),
        "plan": reverse("funding:plan", args=[plan.pk]),
    }
    if who == "coordinator":
        pages["index"] = reverse("funding:index")
    client = client_for(request.getfixturevalue(who))
    few = page_queries(client, pages)
    _grow(peru, ambassador, plan, units=9, cities=9)  # 2 units of work in 2 cities, then 20 in 11
    many = page_queries(client, pages)
    assert many == few
    assert all(few[name] <= CEILING[name] for name in pages), few
