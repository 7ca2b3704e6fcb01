"""The practice library, a practice's page, the exchanges and an exchange's page read the same
number of queries with ten times the data, as a coordinator and as an ambassador. Each page is
asked twice before counting (sessions and caches warm), then once counted; then ten times the
cities, practices, replications and their actions, exchanges and their actions, and counted
again."""

import pytest
from django.urls import reverse

from ambassadors.tests.factories import AmbassadorFactory, CityFactory, UserFactory
from core.tests.helpers import page_queries
from practices.tests.factories import (
    ExchangeFactory,
    ExchangeParticipationFactory,
    PracticeFactory,
    ReplicationActionFactory,
    ReplicationFactory,
)

pytestmark = pytest.mark.django_db

# The most queries each page may read, whatever the data (a ceiling; the point is that the count
# does not move with the data).
CEILING = {"practices": 16, "practice": 16, "exchanges": 11, "exchange": 11}


def _grow(country, ambassador, reviewer, first, *, units):
    """`units` times: a practice Lima publishes, a new city of `country` replicating Lima's `first`
    practice with an action, an exchange of Lima with that city, and an action of Lima for its
    `first` exchange. Returns the first practice and exchange (those of the first unit)."""
    for _unit in range(units):
        practice = PracticeFactory(by=ambassador, status="published", reviewer=reviewer)
        replicator = AmbassadorFactory(city=CityFactory(country=country)).user
        first = first or (practice, ExchangeFactory(by=ambassador, cities=[replicator.ambassadorships.get().city]))
        ReplicationActionFactory(replication=ReplicationFactory(practice=first[0], by=replicator))
        ExchangeFactory(by=ambassador, cities=[replicator.ambassadorships.get().city])
        ExchangeParticipationFactory(exchange=first[1])
    return first


@pytest.mark.parametrize("who", ["coordinator", "ambassador"])
def test_the_practice_pages_read_as_many_queries_with_ten_times_the_data(request, client_for, who, ambassador, peru):
    reviewer = UserFactory(is_staff=True, is_superuser=True)
    practice, exchange = _grow(peru, ambassador, reviewer, None, units=1)
    pages = {
        "practices": reverse("practices:list"),
        "practice": reverse("practices:practice", args=[practice.pk]),
        "exchanges": reverse("exchanges:list"),
        "exchange": reverse("exchanges:exchange", args=[exchange.pk]),
    }
    client = client_for(request.getfixturevalue(who))
    few = page_queries(client, pages)
    _grow(peru, ambassador, reviewer, (practice, exchange), units=9)
    many = page_queries(client, pages)
    assert many == few
    assert all(few[name] <= CEILING[name] for name in pages), few
