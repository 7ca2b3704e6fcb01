"""The coordinators' dashboards: figures equal independent ORM counts, scope holds, the number
of queries does not grow with the data, and the cities table exports what it shows."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db.models import Count, Q, Sum
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments import services
from commitments.models import Action
from funding.models import Opportunity
from funding.tests.factories import DisbursementFactory, OpportunityFactory
from reports import dashboards
from reports.tests.factories import ReportedActionFactory

YEAR_2026 = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def overview(client, **params):
    response = client.get(reverse("reports:overview"), {**YEAR_2026, **params})
    assert response.status_code == 200
    return response.context


@pytest.fixture
def work(ambassador, other_ambassador, coordinator, admin, pen_rate):
    """A year of work in Lima and Rosario, in every status, some outside the period."""
    ReportedActionFactory(by=ambassador, reviewer=coordinator, people_reached=100, women_reached=60, men_reached=40)
    ReportedActionFactory(by=ambassador, reviewer=coordinator, commitment="1.1", people_reached=30, youth_reached=10)
    ReportedActionFactory(by=ambassador, reviewer=coordinator, commitment="1.4", started_on=datetime.date(2026, 6, 1))
    june = datetime.date(2026, 6, 1)
    OpportunityFactory(
        by=ambassador, amount=Decimal("1000"), currency="PEN", identified_on=june, stage="awarded",
        amount_awarded=Decimal("1000"),
    )  # fmt: skip
    OpportunityFactory(by=ambassador, amount=Decimal("500"), currency="USD", identified_on=june, stage="submitted")
    OpportunityFactory(by=ambassador, amount=Decimal("70"), currency="USD", identified_on=datetime.date(2025, 12, 31))
    OpportunityFactory(by=other_ambassador, amount=Decimal("900"), currency="USD", identified_on=june)
    ReportedActionFactory(
        by=ambassador, reviewer=coordinator, started_on=datetime.date(2025, 12, 31), people_reached=999
    )
    ReportedActionFactory(by=ambassador, status="submitted", people_reached=50)
    ReportedActionFactory(by=ambassador, reviewer=coordinator, status="returned", people_reached=70)
    ReportedActionFactory(by=ambassador, status="draft")
    ReportedActionFactory(by=other_ambassador, reviewer=admin, people_reached=400, commitment="2.1")
    ReportedActionFactory(by=other_ambassador, status="submitted")


@pytest.mark.django_db
def test_the_overview_figures_equal_independent_counts(client_for, coordinator, admin, work, lima, rosario):
    period = Q(started_on__gte=datetime.date(2026, 1, 1), started_on__lte=datetime.date(2026, 12, 31))
    for user, cities in ((coordinator, [lima]), (admin, [lima, rosario])):
        context = overview(client_for(user))
        figures = context["figures"]
        approved = Action.objects.filter(period, status="approved", city__in=cities)
        assert figures["approved_actions"] == approved.count()
        assert figures["people"]["people"] == approved.aggregate(total=Sum("people_reached"))["total"]
        assert figures["people"]["women"] == approved.aggregate(total=Sum("women_reached"))["total"]
        assert figures["people"]["youth"] == approved.aggregate(total=Sum("youth_reached"))["total"]
        assert figures["waiting"] == Action.objects.filter(status="submitted", city__in=cities).count()
        assert figures["ambassadors_in_office"] == len(cities)
        coverage = {c.code: c.cities_covered for c in context["coverage"]}
        for commitment in ("1.1", "1.4", "2.1", "3.1"):
            expected = approved.filter(commitment__axis__number=commitment[0], commitment__number=commitment[2])
            assert coverage[commitment] == expected.values("city").distinct().count(), (user, commitment)
    # Carla's scope (Peru) in plain numbers: 3 approved in 2026, 130 people, 1 waiting.
    carla = overview(client_for(coordinator))["figures"]
    assert (carla["approved_actions"], carla["people"]["people"], carla["waiting"]) == (3, 130, 1)


@pytest.mark.django_db
def test_money_is_shown_per_stage_and_currency_and_in_dollars(client_for, coordinator, work):
    """The pipeline of the scope's opportunities identified in the period: Lima's two of 2026, not
    its one of 2025 nor Rosario's."""
    money = overview(client_for(coordinator))["money"]
    stages = {stage["stage"]: stage for stage in money.stages}
    assert list(stages) == ["identified", "preparing", "submitted", "awarded", "rejected", "withdrawn"]
    assert stages["awarded"]["usd"] == Decimal("250")  # 1000 PEN at 0.25
    assert [(row["currency"], row["amount"]) for row in stages["awarded"]["currencies"]] == [("PEN", Decimal("1000"))]
    assert stages["submitted"]["usd"] == Decimal("500")
    assert stages["identified"]["count"] == 0
    expected = Opportunity.objects.filter(city__ambassadors__user__username="alicia", identified_on__year=2026)
    assert expected.count() == sum(stage["count"] for stage in stages.values()) == 2
    assert (money.sought.usd, money.awarded.usd, money.disbursed.usd) == (Decimal("500"), Decimal("250"), 0)


@pytest.mark.django_db
def test_an_approved_action_changes_the_figures(client_for, coordinator, ambassador):
    action = ReportedActionFactory(by=ambassador, status="submitted", people_reached=25)
    client = client_for(coordinator)
    before = overview(client)["figures"]
    services.action_approve(action=action, by=coordinator)
    after = overview(client)["figures"]
    assert (before["approved_actions"], before["people"]["people"], before["waiting"]) == (0, 0, 1)
    assert (after["approved_actions"], after["people"]["people"], after["waiting"]) == (1, 25, 0)
    assert overview(client)["review_times"]["overall"]["decisions"] == 1


@pytest.mark.django_db
def test_a_coordinator_cannot_widen_the_scope_through_the_query_string(client_for, coordinator, work, rosario):
    context = overview(client_for(coordinator), city=rosario.pk, country="AR")
    assert context["form"].errors  # a city out of scope is not a valid choice
    assert [city.name for city in context["figures"]["cities"]] == ["Lima"]
    assert "Rosario" not in str(context["map"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reports:overview", "reports:cities"])
def test_ambassadors_have_no_coordinator_dashboard(client_for, ambassador, name):
    assert client_for(ambassador).get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_the_median_review_time_per_reviewer_and_city(client_for, admin, coordinator, ambassador, other_ambassador):
    def decide(who, author, submitted, decided):
        with time_machine.travel(submitted, tick=False):
            action = ReportedActionFactory(by=author, status="submitted")
        with time_machine.travel(decided, tick=False):
            services.action_approve(action=action, by=who)

    day = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)
    for hours in (10, 20, 60):
        decide(coordinator, ambassador, day, day + datetime.timedelta(hours=hours))
    decide(admin, other_ambassador, day, day + datetime.timedelta(hours=5))
    decide(admin, other_ambassador, day, day + datetime.timedelta(hours=8))
    client = client_for(admin)
    # The panel reads the review tally: each wait below 48 hours stands for its band's whole hour
    # (these waits are whole hours), the 60 hours for the band of 2.5 days.
    times = overview(client)["review_times"]
    assert not times["exact"]
    per_reviewer = {row["username"]: (row["decisions"], row["median"]) for row in times["per_reviewer"]}
    assert per_reviewer == {"carla": (3, in_hours(20)), "admin": (2, in_hours(6.5))}
    slowest_first = [(row["name"], row["median"]) for row in times["per_city"]]
    assert slowest_first == [("Lima", in_hours(20)), ("Rosario", in_hours(6.5))]
    assert (times["overall"]["decisions"], times["overall"]["median"]) == (5, in_hours(10))
    page = client.get(reverse("reports:overview"), YEAR_2026)
    assert "20 horas" in page.content.decode() and "<a href" in page.content.decode()
    # Drilling into one city or one reviewer gives the exact medians.
    lima = next(row["key"] for row in times["per_city"] if row["name"] == "Lima")
    one_city = client.get(reverse("reports:review_times"), {**YEAR_2026, "city": lima}).context["review_times"]
    assert one_city["exact"] and one_city["overall"]["median"] == in_hours(20)
    one_reviewer = client.get(reverse("reports:review_times"), {**YEAR_2026, "reviewer": admin.pk}).context
    assert one_reviewer["review_times"]["overall"]["median"] == in_hours(6.5)
    assert [row["name"] for row in one_reviewer["review_times"]["per_city"]] == ["Rosario"]
    assert one_reviewer["reviewer_name"] == "admin"


def in_hours(hours):
    return datetime.timedelta(hours=hours)


@pytest.mark.django_db
def test_the_overview_lists_the_slowest_cities_by_review_time_and_links_to_all(client_for, admin, monkeypatch):
    _more_work(admin, cities=3, actions=1)
    client = client_for(admin)
    monkeypatch.setattr(dashboards, "SLOWEST_CITIES", 2)
    context = overview(client)
    assert len(context["review_times"]["per_city"]) == 3 and len(context["slowest_cities"]) == 2
    every = client.get(reverse("reports:review_times"), YEAR_2026)
    assert len(every.context["review_times"]["per_city"]) == 3
    assert not every.context["review_times"]["exact"]


@pytest.mark.django_db
def test_a_coordinator_drills_only_into_her_own_cities(client_for, coordinator, work, rosario, admin):
    page = client_for(coordinator).get(reverse("reports:review_times"), {**YEAR_2026, "city": rosario.pk})
    assert page.context["form"].errors
    assert "Rosario" not in page.content.decode()
    assert client_for(coordinator).get(reverse("reports:review_times"), {"reviewer": "9" * 40}).status_code == 200


def _more_work(admin, cities=4, actions=3):
    for n in range(cities):
        user = UserFactory(username=f"amb-{n}")
        ambassador_services.ambassador_appoint(
            city=CityFactory(name=f"Ciudad {n}"), user=user, appointed_on=datetime.date(2025, 1, 1)
        )
        for m in range(actions):
            ReportedActionFactory(by=user, reviewer=admin, started_on=datetime.date(2026, 1 + m, 5), people_reached=10)
        ReportedActionFactory(by=user, status="submitted")
        OpportunityFactory(by=user, identified_on=datetime.date(2026, 2, 1))  # its deadline ahead
        awarded = OpportunityFactory(by=user, identified_on=datetime.date(2026, 3, 1), stage="awarded")
        DisbursementFactory(opportunity=awarded)


# Each page's queries, whatever the data. Every page reads the database session (without Redis)
# and the navigation's counters; the overview's are its figures (the practices' two among them),
# money (the pipeline's two and the deadlines), coverage, network figures (cumulative indicators,
# targets by commitment and horizon), review times, map and filters, the kinds (3) and hazards (2).
PAGE_QUERIES = {
    "reports:overview": 25,
    "reports:cities": 15,
    "commitments:review_queue": 15,
    "reports:review_times": 13,
}
CITY_DASHBOARD_QUERIES = 25  # with the practices, the ones the city replicates, its pipeline (5), kinds and hazards (5)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(PAGE_QUERIES))
def test_each_dashboard_runs_the_same_number_of_queries_whatever_the_data(
    client_for, admin, work, name, django_assert_max_num_queries
):
    client = client_for(admin)
    with django_assert_max_num_queries(PAGE_QUERIES[name]) as few:
        assert client.get(reverse(name), YEAR_2026).status_code == 200
    _more_work(admin)
    with django_assert_max_num_queries(PAGE_QUERIES[name]) as many:
        assert client.get(reverse(name), YEAR_2026).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.django_db
def test_the_city_dashboard_runs_the_same_number_of_queries_whatever_the_data(
    client_for, admin, coordinator, ambassador, lima, django_assert_max_num_queries
):
    client = client_for(coordinator)
    ReportedActionFactory(by=ambassador, reviewer=coordinator)
    with django_assert_max_num_queries(CITY_DASHBOARD_QUERIES) as few:
        client.get(reverse("reports:city_progress", args=[lima.pk]))
    for month in range(1, 11):
        ReportedActionFactory(
            by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, month, 3), commitment="1.1"
        )
    ReportedActionFactory(by=ambassador, reviewer=coordinator, commitment="1.4")
    for _ in range(2):
        awarded = OpportunityFactory(by=ambassador, currency="PEN", stage="awarded", amount_awarded=Decimal("900"))
        DisbursementFactory(opportunity=awarded, amount=Decimal("300"))
    OpportunityFactory(by=ambassador, stage="preparing")
    with django_assert_max_num_queries(CITY_DASHBOARD_QUERIES) as many:
        response = client.get(reverse("reports:city_progress", args=[lima.pk]))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(response.context["timeline"]) == 12


@pytest.mark.django_db
def test_the_cities_table_flags_inactive_cities_and_sorts(client_for, admin, coordinator, ambassador, other_ambassador):
    ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 11, 10))  # 14 days ago
    ReportedActionFactory(by=other_ambassador, reviewer=admin, started_on=datetime.date(2026, 10, 25))  # 30 days ago
    client = client_for(admin)
    table = client.get(reverse("reports:cities"), YEAR_2026).context["table"]
    keys = [column.key for column in table["columns"]]
    rows = {row.city.name: dict(zip(keys, row.cells, strict=True)) for row in table["rows"]}
    assert (rows["Lima"]["days_since"], rows["Lima"]["inactive"]) == (14, False)
    assert (rows["Rosario"]["days_since"], rows["Rosario"]["inactive"]) == (30, True)
    assert rows["Lima"]["axis_3"] == 1 and rows["Lima"]["axis_1"] == 0
    longest_quiet_first = client.get(reverse("reports:cities"), {**YEAR_2026, "sort": "-days_since"})
    assert [row.city.name for row in longest_quiet_first.context["table"]["rows"]] == ["Rosario", "Lima"]


@pytest.mark.django_db
def test_the_cities_table_counts_targets_by_status(client_for, coordinator, ambassador, lima):
    from commitments.models import Indicator

    indicator = Indicator.objects.get(code="1.2-a")
    for horizon, goal in (("short", 10), ("medium", 100000)):
        services.target_save(
            by=ambassador, city=lima, indicator=indicator, horizon=horizon, baseline=Decimal(0),
            baseline_year=2025, target_value=Decimal(goal), due_on=datetime.date(2026, 12, 31),
        )  # fmt: skip
    action = ReportedActionFactory(by=ambassador, status="draft", commitment="1.2")
    services.action_update(action=action, by=ambassador, data={}, indicator_values={indicator.pk: Decimal(20)})
    services.action_submit(action=action, by=ambassador)
    services.action_approve(action=action, by=coordinator)
    table = client_for(coordinator).get(reverse("reports:cities"), YEAR_2026).context["table"]
    keys = [column.key for column in table["columns"]]
    [row] = [dict(zip(keys, row.cells, strict=True)) for row in table["rows"]]
    assert (row["achieved"], row["at_risk"], row["on_track"], row["off_track"]) == (1, 1, 0, 0)


@pytest.mark.django_db
def test_the_exports_have_the_pages_columns_and_rows(client_for, admin, work):
    client = client_for(admin)
    page = client.get(reverse("reports:cities"), YEAR_2026).context["table"]
    headers = [str(column.label) for column in page["columns"]]
    names = [row.city.name for row in page["rows"]]

    response = client.get(reverse("reports:cities"), {**YEAR_2026, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == headers and [row[0] for row in rows[1:]] == names

    response = client.get(reverse("reports:cities"), {**YEAR_2026, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == headers and [row[0] for row in values[1:]] == names
    lima = dict(zip(headers, values[1], strict=True))
    assert (
        lima["Aprobadas en el periodo"]
        == Action.objects.filter(city__name="Lima", status="approved", started_on__year=2026).count()
    )


@pytest.mark.django_db
def test_a_custom_period_needs_both_dates_in_order(client_for, coordinator):
    client = client_for(coordinator)
    response = client.get(reverse("reports:overview"), {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"})
    assert "La fecha final no puede ser anterior a la inicial." in response.content.decode()
    assert response.context["period"].start == datetime.date(2026, 1, 1)  # falls back to this year


@pytest.mark.django_db
def test_the_monthly_chart_and_its_table_count_the_same(client_for, admin, work):
    context = overview(client_for(admin))
    chart = context["charts"]["actions"]
    per_month = [sum(values) for values in zip(*(d["data"] for d in chart["datasets"]), strict=True)]
    expected = (
        Action.objects.filter(status="approved", started_on__year=2026)
        .values("started_on__month")
        .annotate(n=Count("pk"))
    )
    assert {month + 1: n for month, n in enumerate(per_month) if n} == {
        row["started_on__month"]: row["n"] for row in expected
    }
    assert len(chart["labels"]) == 12
