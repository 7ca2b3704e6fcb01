"""The hazard figures count the events of the cities given that started in the period, equal
sums written out in plain Python over the events the test recorded, convert losses at the rate
in force on the event's first day (rounding once, leaving out and counting those without one),
divide by the known populations only, and count the approved actions linked to each event."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine

from ambassadors.models import City
from commitments.models import ExchangeRate
from hazards import figures
from hazards.tests.figure_factories import HazardEventFactory, HazardResponseFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
START, END = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
RATES = {"PEN": [(datetime.date(2025, 1, 1), Decimal("0.25"))], "BRL": [(datetime.date(2026, 10, 15), Decimal("0.2"))]}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _rate(currency, day):
    """The rate in force on `day`, read from RATES (None without one)."""
    if currency == "USD":
        return Decimal(1)
    earlier = [rate for since, rate in RATES.get(currency, []) if since <= day]
    return earlier[-1] if earlier else None


@pytest.fixture
def events(ambassador, other_ambassador, lima, rosario, admin):
    for currency, rates in RATES.items():
        for since, rate in rates:
            ExchangeRate.objects.create(currency=currency, usd_per_unit=rate, effective_on=since)
    oct_ = datetime.date(2026, 10, 3)
    specs = [
        # Lima, in October: counted.
        {"city": lima, "hazard": "flood", "started_on": datetime.date(2026, 10, 1), "people_affected": 1200,
         "deaths": 2, "missing": 1, "economic_loss": Decimal("100000"), "currency": "PEN"},
        {"city": lima, "hazard": "flood", "started_on": datetime.date(2026, 10, 31), "people_affected": 300,
         "deaths": None, "missing": None, "economic_loss": Decimal("5000.50"), "currency": "USD"},
        {"city": lima, "hazard": "landslide", "started_on": oct_, "people_affected": 40, "deaths": 3,
         "missing": 2, "economic_loss": Decimal("800"), "currency": "BRL"},  # before BRL's rate: left out
        {"city": lima, "hazard": "landslide", "started_on": datetime.date(2026, 10, 20), "people_affected": None,
         "deaths": None, "missing": None, "economic_loss": Decimal("800"), "currency": "BRL"},
        {"city": lima, "hazard": "heatwave", "started_on": oct_, "people_affected": 10, "deaths": 1,
         "missing": None, "economic_loss": None, "currency": "USD"},
        {"city": lima, "hazard": "spill", "started_on": oct_, "people_affected": None, "deaths": None,
         "missing": None, "economic_loss": Decimal("10"), "currency": "ARS"},  # no ARS rate at all
        # Lima, out of the period.
        {"city": lima, "hazard": "drought", "started_on": datetime.date(2026, 9, 30), "people_affected": 9000,
         "deaths": 9, "missing": 9, "economic_loss": Decimal("9"), "currency": "USD"},
        {"city": lima, "hazard": "flood", "started_on": datetime.date(2026, 11, 1), "people_affected": 8000,
         "deaths": 8, "missing": 8, "economic_loss": Decimal("8"), "currency": "USD"},
        # Rosario, another country's city, in October.
        {"city": rosario, "hazard": "drought", "started_on": oct_, "people_affected": 700, "deaths": 0,
         "missing": 0, "economic_loss": Decimal("700"), "currency": "USD"},
    ]  # fmt: skip
    for spec in specs:
        spec["event"] = HazardEventFactory(recorded_by=admin, **spec)
    return specs


def _in_lima_in_october(specs, lima):
    return [spec for spec in specs if spec["city"] == lima and START <= spec["started_on"] <= END]


@pytest.mark.django_db
def test_the_events_figures_equal_independent_sums(events, lima, django_assert_num_queries):
    counted = _in_lima_in_october(events, lima)
    with django_assert_num_queries(1):
        found = figures.hazard_figures(cities=[lima], start=START, end=END)
    assert found["events"] == len(counted) == 6
    for hazard, n in found["by_hazard"].items():
        assert n == sum(1 for spec in counted if spec["hazard"] == hazard), hazard
    for name, field in (("affected", "people_affected"), ("deaths", "deaths"), ("missing", "missing")):
        assert found[name] == sum(spec[field] or 0 for spec in counted), name
    assert (found["affected"], found["deaths"], found["missing"]) == (1550, 6, 3)
    with_loss = [spec for spec in counted if spec["economic_loss"] is not None]
    converted = [spec for spec in with_loss if _rate(spec["currency"], spec["started_on"]) is not None]
    assert found["losses"] == len(with_loss) == 5
    assert found["losses_without_rate"] == len(with_loss) - len(converted) == 2
    usd = sum(spec["economic_loss"] * _rate(spec["currency"], spec["started_on"]) for spec in converted)
    assert found["loss_usd"] == usd.quantize(Decimal("0.01")) == Decimal("30160.50")  # 25000 + 5000.50 + 160
    assert found["by_city"] == {lima.pk: {"events": 6, "affected": 1550, "deaths": 6, "missing": 3}}


@pytest.mark.django_db
def test_usd_is_rounded_once_at_the_end(lima, admin):
    """Three losses of 0.02 PEN are 0.005 USD each: 0.015 in all, 0.02 rounded once (0.03 if each
    were rounded first)."""
    ExchangeRate.objects.create(currency="PEN", usd_per_unit=Decimal("0.25"), effective_on=datetime.date(2025, 1, 1))
    for _ in range(3):
        HazardEventFactory(city=lima, recorded_by=admin, economic_loss=Decimal("0.02"), currency="PEN")
    found = figures.hazard_figures(cities=[lima], start=START, end=END)
    exact = Decimal("0.02") * Decimal("0.25") * 3
    assert found["loss_usd"] == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("0.02")


@pytest.mark.django_db
def test_the_sendai_figure_divides_by_the_known_populations_only(events, lima, rosario, mexico, admin):
    """Lima (100,000) and a city of 50,000 without events count; Rosario's population is unknown,
    so neither its people nor its events are in the figure."""
    City.objects.filter(pk=rosario.pk).update(population=None)
    quiet = City.objects.create(name="Monterrey", country=mexico, population=50_000)
    cities = City.objects.filter(pk__in=[lima.pk, rosario.pk, quiet.pk])
    found = figures.hazard_figures(cities=cities, start=START, end=END)
    counted = _in_lima_in_october(events, lima)
    hit = sum((spec["deaths"] or 0) + (spec["missing"] or 0) + (spec["people_affected"] or 0) for spec in counted)
    sendai = found["sendai"]
    assert (sendai["hit"], sendai["population"]) == (hit, 150_000) == (1559, 150_000)
    assert (sendai["cities_with_population"], sendai["cities"]) == (2, 3)
    assert sendai["per_100k"] == (Decimal(hit) * 100_000 / 150_000).quantize(Decimal("0.1")) == Decimal("1039.3")
    assert found["affected"] == 1550 + 700  # the event figures themselves keep every city's events
    nobody = figures.hazard_figures(cities=City.objects.filter(pk=rosario.pk), start=START, end=END)
    assert nobody["sendai"]["per_100k"] is None


@pytest.mark.django_db
def test_each_event_lists_its_approved_linked_actions(events, ambassador, other_ambassador, lima, rosario):
    flood, landslide = events[0]["event"], events[2]["event"]
    HazardResponseFactory(by=ambassador, events=[flood], action={"started_on": datetime.date(2026, 10, 2)})
    HazardResponseFactory(by=ambassador, events=[flood, landslide], phase="recover")
    HazardResponseFactory(by=ambassador, events=[flood], status="submitted")
    HazardResponseFactory(by=ambassador, events=[landslide], status="returned")
    HazardResponseFactory(by=other_ambassador, events=[events[-1]["event"]])
    listed = figures.event_list(cities=[lima], start=START, end=END)
    counted = _in_lima_in_october(events, lima)
    assert [event.pk for event in listed] == [
        spec["event"].pk for spec in sorted(counted, key=lambda spec: (spec["started_on"], spec["event"].pk))[::-1]
    ]
    linked = {event.pk: event.linked_actions for event in listed}
    assert (linked[flood.pk], linked[landslide.pk]) == (2, 1)
    assert sum(linked.values()) == 3
    usd = {event.pk: event.loss_usd for event in listed}
    assert usd[flood.pk] == Decimal("25000.00") and usd[landslide.pk] is None  # no BRL rate on 3 October
    assert {event.city.name for event in listed} == {"Lima"}


@pytest.mark.django_db
def test_the_figures_and_the_list_take_the_same_queries_whatever_the_data(
    ambassador, lima, rosario, admin, django_assert_num_queries
):
    cities = City.objects.filter(pk__in=[lima.pk, rosario.pk])
    with django_assert_num_queries(2):  # the populations of a queryset, then the events
        figures.hazard_figures(cities=cities, start=START, end=END)
    with django_assert_num_queries(1):
        figures.event_list(cities=cities, start=START, end=END)
    for day in range(1, 20):
        event = HazardEventFactory(city=lima if day % 2 else rosario, recorded_by=admin, people_affected=day)
        if day % 2:
            HazardResponseFactory(by=ambassador, events=[event])
    with django_assert_num_queries(1):
        found = figures.hazard_figures(cities=cities, start=START, end=END, populations={lima.pk: 1, rosario.pk: 2})
    with django_assert_num_queries(1):
        listed = figures.event_list(cities=cities, start=START, end=END, limit=5)
    assert found["events"] == 19 and len(listed) == 5
    assert found["affected"] == sum(range(1, 20))
