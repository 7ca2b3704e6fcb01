"""The figures of the hazard log that dashboards and reports show: the events of some cities in
a period, what they did to people and what they cost, and the figures SDG 11.5 and 13.1 (the
Sendai Framework's targets A to C) ask for.

`cities` is what reports/dashboards.py passes as its scope: a queryset of cities, or a list of
cities or of their ids; nothing here widens it. A period is [start, end] with both days in it,
as reports.periods.Period counts it; an event is in it when it started in it.

Losses are summed in USD at the admins' rate in force on the day the event started
(commitments.models.usd_per_unit), whole in the database and rounded to the cent once, at the
end, as funding.figures does; a loss in a currency with no rate in force that day is left out of
the USD figure and counted apart (`losses_without_rate`), never guessed.

The share of cities with a local disaster-risk strategy (SDG 11.b.2 / 13.1.3) is the policies'
(kinds.figures.disaster_risk_share): this app cannot read them.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from ambassadors.models import City
from commitments.models import EXACT, Action, usd_per_unit

from .models import HazardEvent, HazardResponse

CENT = Decimal("0.01")
PER_POPULATION = 100_000


def to_cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def events_in(*, cities, start, end):
    """The events of `cities` that started in [start, end], with `usd_rate` (None when no rate
    is in force on their first day) and `exact_loss_usd` (unrounded)."""
    return (
        HazardEvent.objects.filter(city__in=cities, started_on__range=(start, end))
        .annotate(usd_rate=usd_per_unit(currency="currency", day="started_on"))
        .annotate(exact_loss_usd=ExpressionWrapper(F("economic_loss") * F("usd_rate"), output_field=EXACT))
    )


def event_groups(*, cities, start, end):
    """One GROUP BY per city and hazard type: how many events, the people affected, dead and
    missing, the losses recorded, their whole USD and how many of them have no rate."""
    recorded = Q(economic_loss__isnull=False)
    return (
        events_in(cities=cities, start=start, end=end)
        .values("city", "hazard")
        .annotate(
            events=Count("pk"),
            affected=Coalesce(Sum("people_affected"), 0),
            deaths=Coalesce(Sum("deaths"), 0),
            missing=Coalesce(Sum("missing"), 0),
            losses=Count("pk", filter=recorded),
            losses_without_rate=Count("pk", filter=recorded & Q(usd_rate__isnull=True)),
            exact_loss_usd=Sum("exact_loss_usd"),
        )
        .order_by()
    )


def populations_of(cities):
    """{city id: population or None} for `cities`: read from City instances when given them,
    else one query."""
    if isinstance(cities, QuerySet):
        return dict(cities.order_by().values_list("pk", "population"))
    cities = list(cities)
    if all(isinstance(city, City) for city in cities):
        return {city.pk: city.population for city in cities}
    return dict(City.objects.filter(pk__in=cities).values_list("pk", "population"))


def _sendai(groups, populations):
    """SDG 11.5.1 / 13.1.1 (Sendai A-1 and B-1 together): deaths, missing and directly affected
    people per 100,000 population. Only the cities with a known population count, in the
    denominator (their population) and in the numerator (their events): a city whose population
    is unknown would otherwise add people hit with nobody to divide them by."""
    known = {city for city, population in populations.items() if population}
    hit = sum(row["deaths"] + row["missing"] + row["affected"] for row in groups if row["city"] in known)
    population = sum(populations[city] for city in known)
    return {
        "hit": hit,
        "population": population,
        "cities_with_population": len(known),
        "cities": len(populations),
        "per_100k": (Decimal(hit) * PER_POPULATION / population).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if population
        else None,
    }


def hazard_figures(*, cities, start, end, populations=None):
    """The hazard events of `cities` in [start, end]: one query (two when `populations`, {city
    id: population or None} of every city of `cities`, is not given and `cities` are not City
    instances). How many events and of each hazard type, the people affected, dead and missing,
    the direct economic loss in USD (SDG 11.5.2's, in dollars rather than as a share of GDP) with
    how many losses were recorded and how many have no rate, the Sendai figure per 100,000
    population (_sendai), and per city its events and people affected (the map's markers)."""
    groups = list(event_groups(cities=cities, start=start, end=end))
    if populations is None:
        populations = populations_of(cities)
    by_city = {}
    for row in groups:
        city = by_city.setdefault(row["city"], {"events": 0, "affected": 0, "deaths": 0, "missing": 0})
        for name in city:
            city[name] += row[name]

    def total(name):
        return sum(row[name] for row in groups)

    return {
        "events": total("events"),
        "by_hazard": {
            value: sum(row["events"] for row in groups if row["hazard"] == value) for value in HazardEvent.Hazard.values
        },
        "affected": total("affected"),
        "deaths": total("deaths"),
        "missing": total("missing"),
        "losses": total("losses"),
        "losses_without_rate": total("losses_without_rate"),
        "loss_usd": to_cents(sum((row["exact_loss_usd"] or 0 for row in groups), Decimal(0))),
        "sendai": _sendai(groups, populations),
        "by_city": by_city,
    }


def event_list(*, cities, start, end, limit=None):
    """The events of `cities` that started in [start, end], latest first, with their city, their
    loss in USD (`loss_usd`, to the cent; None without a loss or a rate) and `linked_actions`:
    how many approved actions prepared for or responded to them (HazardResponse.events). One
    query; the first `limit` only when given."""
    linked = (
        HazardResponse.objects.filter(events=OuterRef("pk"), action__status=Action.Status.APPROVED)
        .values("events")
        .annotate(n=Count("pk"))
        .values("n")
    )
    events = (
        events_in(cities=cities, start=start, end=end)
        .annotate(linked_actions=Coalesce(Subquery(linked), 0))
        .select_related("city")
        .order_by("-started_on", "-pk")
    )
    events = list(events[:limit] if limit else events)
    for event in events:
        event.loss_usd = None if event.exact_loss_usd is None else to_cents(event.exact_loss_usd)
    return events
