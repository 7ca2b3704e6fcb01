"""The kinds' figures count only the approved trainings, mechanisms and policies of the cities
given and the period, equal sums written out in plain Python over the rows the test made, and
each takes one query whatever the data."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from ambassadors.models import City
from kinds import figures
from kinds.tests.factories import ParticipationFactory, PolicyFactory, TrainingFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
START, END = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
GROUPS = ["women", "men", "other", "youth", "disability", "indigenous", "afro"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _people(total, **groups):
    return {"people_reached": total, **{f"{name}_reached": n for name, n in groups.items()}}


def _counted(specs, *, by):
    """The specs an independent reader counts: approved, by `by`'s city, started in October."""
    return [
        spec
        for spec in specs
        if spec["by"] == by and spec["status"] == "approved" and START <= spec["action"]["started_on"] <= END
    ]


def _group_sum(specs, name):
    return sum(spec["action"].get(f"{name}_reached") or 0 for spec in specs)


@pytest.fixture
def trainings(ambassador, other_ambassador):
    oct_ = datetime.date(2026, 10, 5)
    specs = [
        # Counted: approved Lima trainings started in October (the 1st and the 31st included).
        {"by": ambassador, "status": "approved", "action": {"started_on": datetime.date(2026, 10, 1),
            **_people(40, women=25, men=15, youth=8, indigenous=6, afro=2, disability=1)},
         "sessions": [(datetime.date(2026, 10, 1), Decimal("3")), (datetime.date(2026, 10, 8), Decimal("2.5"))],
         "public_servants": 30, "certificates_issued": 35, "satisfaction": Decimal("4.60")},
        {"by": ambassador, "status": "approved", "action": {"started_on": datetime.date(2026, 10, 31),
            **_people(10, women=4, men=5, other=1, youth=3)},
         "sessions": [(datetime.date(2026, 10, 31), Decimal("1.5")), (datetime.date(2026, 11, 2), Decimal("2"))],
         "public_servants": 10, "certificates_issued": None, "satisfaction": Decimal("3.00")},
        # Rated but without a participant count: out of the weighted average, still held.
        {"by": ambassador, "status": "approved", "action": {"started_on": oct_},
         "sessions": [(oct_, Decimal("4"))], "public_servants": None, "certificates_issued": 2,
         "satisfaction": Decimal("1.00")},
        # Not counted: before or after the period, not approved, another country's city.
        {"by": ambassador, "status": "approved", "action": {"started_on": datetime.date(2026, 9, 30),
            **_people(99, women=99)}, "sessions": [(datetime.date(2026, 9, 30), Decimal("5"))],
         "public_servants": 9, "certificates_issued": 9, "satisfaction": Decimal("5")},
        {"by": ambassador, "status": "approved", "action": {"started_on": datetime.date(2026, 11, 1),
            **_people(77)}, "sessions": [(datetime.date(2026, 11, 1), Decimal("6"))],
         "public_servants": 7, "certificates_issued": 7, "satisfaction": Decimal("5")},
        {"by": ambassador, "status": "submitted", "action": {"started_on": oct_, **_people(55, men=55)},
         "sessions": [(oct_, Decimal("7"))], "public_servants": 5, "certificates_issued": 5, "satisfaction": None},
        {"by": ambassador, "status": "returned", "action": {"started_on": oct_, **_people(66)},
         "sessions": [(oct_, Decimal("8"))], "public_servants": 6, "certificates_issued": 6, "satisfaction": None},
        {"by": ambassador, "status": "draft", "action": {"started_on": oct_, **_people(11)},
         "sessions": [(oct_, Decimal("9"))], "public_servants": 1, "certificates_issued": 1, "satisfaction": None},
        {"by": other_ambassador, "status": "approved", "action": {"started_on": oct_, **_people(500, women=300)},
         "sessions": [(oct_, Decimal("10"))], "public_servants": 50, "certificates_issued": 50,
         "satisfaction": Decimal("2")},
    ]  # fmt: skip
    for spec in specs:
        TrainingFactory(**spec)
    return specs


@pytest.mark.django_db
def test_training_figures_equal_independent_sums(trainings, ambassador, lima, django_assert_num_queries):
    counted = _counted(trainings, by=ambassador)
    with django_assert_num_queries(1):
        found = figures.training_figures(cities=[lima], start=START, end=END)
    assert found["trainings"] == len(counted) == 3
    assert found["sessions"] == sum(len(spec["sessions"]) for spec in counted) == 5
    # A training counts whole in the period it started in: the session of 2 November with it.
    assert found["hours"] == sum(hours for spec in counted for _day, hours in spec["sessions"]) == Decimal("13")
    assert found["people"]["people"] == _group_sum(counted, "people") == 50
    for name in GROUPS:
        assert found["people"][name] == _group_sum(counted, name), name
    assert found["people"]["indigenous"] == 6
    assert found["public_servants"] == sum(spec["public_servants"] or 0 for spec in counted) == 40
    assert found["certificates"] == sum(spec["certificates_issued"] or 0 for spec in counted) == 37
    # Weighted by participants: (4.6 * 40 + 3 * 10) / 50; the training without a count is left out.
    rated = [spec for spec in counted if spec["satisfaction"] and spec["action"].get("people_reached")]
    weighted = sum(spec["satisfaction"] * spec["action"]["people_reached"] for spec in rated) / sum(
        spec["action"]["people_reached"] for spec in rated
    )
    assert found["satisfaction"] == weighted.quantize(Decimal("0.01")) == Decimal("4.28")
    assert (found["rated"], found["rated_people"]) == (2, 50)


@pytest.mark.django_db
def test_the_cities_may_be_a_queryset_instances_or_ids(trainings, lima, rosario):
    expected = figures.training_figures(cities=[lima], start=START, end=END)
    for cities in (City.objects.filter(pk=lima.pk), [lima.pk]):
        assert figures.training_figures(cities=cities, start=START, end=END) == expected
    both = figures.training_figures(cities=City.objects.filter(pk__in=[lima.pk, rosario.pk]), start=START, end=END)
    assert both["trainings"] == expected["trainings"] + 1
    assert both["people"]["people"] == expected["people"]["people"] + 500


@pytest.mark.django_db
def test_no_training_gives_zeros_and_no_average(lima):
    found = figures.training_figures(cities=[lima], start=START, end=END)
    assert (found["trainings"], found["sessions"], found["hours"], found["satisfaction"]) == (0, 0, 0, None)
    assert set(found["people"].values()) == {0}


@pytest.fixture
def mechanisms(ambassador, other_ambassador):
    oct_ = datetime.date(2026, 10, 10)
    specs = [
        {"by": ambassador, "status": "approved", "mechanism": "budgeting", "sign_language": True,
         "step_free_venue": True, "decisions_changed": "Se financió la plaza del barrio Norte.",
         "action": {"started_on": oct_, **_people(120, women=70, men=50, disability=12, afro=9)}},
        {"by": ambassador, "status": "approved", "mechanism": "budgeting", "childcare": True,
         "action": {"started_on": datetime.date(2026, 10, 31), **_people(30, women=20, youth=15)}},
        {"by": ambassador, "status": "approved", "mechanism": "open_council",
         "decisions_changed": "Se cambió el horario del mercado.", "action": {"started_on": oct_}},
        {"by": ambassador, "status": "approved", "mechanism": "assembly", "easy_read": True,
         "action": {"started_on": datetime.date(2026, 9, 30), **_people(9)}},
        {"by": ambassador, "status": "submitted", "mechanism": "consultation", "online_option": True,
         "action": {"started_on": oct_, **_people(8)}},
        {"by": other_ambassador, "status": "approved", "mechanism": "digital", "online_option": True,
         "decisions_changed": "Otra ciudad.", "action": {"started_on": oct_, **_people(300)}},
    ]  # fmt: skip
    for spec in specs:
        ParticipationFactory(**spec)
    return specs


MEASURES = ["sign_language", "easy_read", "step_free_venue", "online_option", "indigenous_interpretation", "childcare"]


@pytest.mark.django_db
def test_participation_figures_equal_independent_sums(mechanisms, ambassador, lima, django_assert_num_queries):
    counted = _counted(mechanisms, by=ambassador)
    with django_assert_num_queries(1):
        found = figures.participation_figures(cities=[lima], start=START, end=END)
    assert found["mechanisms"] == len(counted) == 3
    for value, n in found["by_mechanism"].items():
        assert n == sum(1 for spec in counted if spec["mechanism"] == value), value
    assert (found["by_mechanism"]["budgeting"], found["by_mechanism"]["open_council"]) == (2, 1)
    assert found["accessible"] == sum(1 for spec in counted if any(spec.get(m) for m in MEASURES)) == 2
    for measure in MEASURES:
        assert found["by_measure"][measure] == sum(1 for spec in counted if spec.get(measure)), measure
    assert found["changed_decisions"] == sum(1 for spec in counted if spec.get("decisions_changed")) == 2
    assert found["people"]["people"] == _group_sum(counted, "people") == 150
    for name in GROUPS:
        assert found["people"][name] == _group_sum(counted, name), name


@pytest.fixture
def policies(ambassador, other_ambassador, admin):
    specs = [
        # Adopted in October: counted.
        {"by": ambassador, "status": "approved", "instrument": "ordinance", "stage": "adopted",
         "adopted_on": datetime.date(2026, 10, 1), "population_covered": 25_000, "disaster_risk_strategy": True,
         "action": {"started_on": datetime.date(2026, 6, 1)}},
        {"by": ambassador, "status": "approved", "instrument": "plan", "stage": "implementing",
         "adopted_on": datetime.date(2026, 10, 31), "population_covered": 1_000,
         "action": {"started_on": datetime.date(2026, 10, 20)}},
        # Adopted before: not in the period's figures, but its strategy was in force by October.
        {"by": ambassador, "status": "approved", "instrument": "plan", "stage": "evaluated",
         "adopted_on": datetime.date(2025, 5, 1), "population_covered": 7, "disaster_risk_strategy": True,
         "action": {"started_on": datetime.date(2025, 5, 1)}},
        # Not adopted, adopted after, not approved, or elsewhere.
        {"by": ambassador, "status": "approved", "instrument": "programme", "stage": "drafting", "adopted_on": None,
         "population_covered": 5, "action": {"started_on": datetime.date(2026, 10, 2)}},
        {"by": ambassador, "status": "approved", "instrument": "decree", "stage": "adopted",
         "adopted_on": datetime.date(2026, 11, 1), "population_covered": 3, "disaster_risk_strategy": True,
         "action": {"started_on": datetime.date(2026, 10, 2)}},
        {"by": ambassador, "status": "submitted", "instrument": "decree", "stage": "adopted",
         "adopted_on": datetime.date(2026, 10, 5), "population_covered": 4, "disaster_risk_strategy": True,
         "action": {"started_on": datetime.date(2026, 10, 2)}},
        {"by": other_ambassador, "status": "approved", "instrument": "ordinance", "stage": "adopted",
         "adopted_on": datetime.date(2026, 10, 5), "population_covered": 900, "disaster_risk_strategy": True,
         "action": {"started_on": datetime.date(2026, 10, 2)}},
    ]  # fmt: skip
    for spec in specs:
        PolicyFactory(**spec)
    return specs


def _adopted(spec, *, since, until):
    return (
        spec["status"] == "approved"
        and spec["stage"] in ("adopted", "implementing", "evaluated")
        and since <= spec["adopted_on"] <= until
    )


@pytest.mark.django_db
def test_policy_figures_count_the_policies_adopted_in_the_period(policies, ambassador, lima, django_assert_num_queries):
    counted = [spec for spec in policies if spec["by"] == ambassador and _adopted(spec, since=START, until=END)]
    with django_assert_num_queries(1):
        found = figures.policy_figures(cities=[lima], start=START, end=END)
    assert found["adopted"] == len(counted) == 2
    for value, n in found["by_instrument"].items():
        assert n == sum(1 for spec in counted if spec["instrument"] == value), value
    assert found["population_covered"] == sum(spec["population_covered"] for spec in counted) == 26_000
    assert found["strategies"] == sum(1 for spec in counted if spec.get("disaster_risk_strategy")) == 1
    assert found["cities_with_strategy"] == 1


@pytest.mark.django_db
def test_the_share_of_cities_with_a_disaster_risk_strategy(policies, lima, rosario, mexico):
    """Lima adopted one in 2025 and Rosario in October 2026; a third city none."""
    quiet = City.objects.create(name="Monterrey", country=mexico, population=1)
    cities = City.objects.filter(pk__in=[lima.pk, rosario.pk, quiet.pk])
    september = figures.kind_figures(
        cities=cities, start=datetime.date(2026, 9, 1), end=datetime.date(2026, 9, 30), city_count=3
    )["policy"]
    october = figures.kind_figures(cities=cities, start=START, end=END, city_count=3)["policy"]
    assert (september["cities_with_strategy"], september["strategy_share"]) == (1, Decimal("33.3"))
    assert (october["cities_with_strategy"], october["strategy_share"]) == (2, Decimal("66.7"))
    assert figures.disaster_risk_share(cities_with_strategy=0, city_count=0) is None


@pytest.mark.django_db
def test_each_kind_takes_one_query_whatever_the_data(
    ambassador, other_ambassador, lima, rosario, django_assert_num_queries
):
    cities = City.objects.filter(pk__in=[lima.pk, rosario.pk])
    with django_assert_num_queries(3):
        few = figures.kind_figures(cities=cities, start=START, end=END, city_count=2)
    for by in (ambassador, other_ambassador):
        for day in (3, 9, 27):
            TrainingFactory(by=by, action={"started_on": datetime.date(2026, 10, day), **_people(5)})
            ParticipationFactory(by=by, action={"started_on": datetime.date(2026, 10, day)}, childcare=True)
            PolicyFactory(by=by, adopted_on=datetime.date(2026, 10, day), disaster_risk_strategy=True)
    with django_assert_num_queries(3):
        many = figures.kind_figures(cities=cities, start=START, end=END, city_count=2)
    assert (few["training"]["trainings"], many["training"]["trainings"]) == (0, 6)
    assert many["participation"]["accessible"] == 6
    assert (many["policy"]["adopted"], many["policy"]["strategy_share"]) == (6, Decimal("100.0"))
