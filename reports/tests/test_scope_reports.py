"""A coordinator's scope report: a country's cities (or the network's) side by side, written once
per scope and period by the same claim as a city's, seen only by those who answer for the scope."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, CountryFactory, UserFactory
from commitments import services as commitment_services
from commitments.models import Action, Indicator, Target
from reports import services, tasks
from reports.models import ProgressReport, ReportScope
from reports.periods import period_of
from reports.scope_content import attention, build_scope_snapshot
from reports.tests.factories import ReportedActionFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
Q3 = period_of("quarter", datetime.date(2026, 8, 1))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def appoint(city, username):
    user = UserFactory(username=username)
    ambassador_services.ambassador_appoint(city=city, user=user, appointed_on=datetime.date(2025, 3, 1))
    return user


@pytest.fixture
def cusco(peru):
    return CityFactory(country=peru, name="Cusco")


@pytest.fixture
def chile(db):
    return CountryFactory(code="CL")


@pytest.fixture
def santiago(chile):
    city = CityFactory(country=chile, name="Santiago")
    appoint(city, "sofia")
    return city


@pytest.fixture
def peru_work(ambassador, lima, cusco, coordinator):
    """Lima: two approved actions in Q3 (decided in September) and one in October; Cusco: one in
    Q3 (40 people), one waiting for review since August, and a target due in September, missed."""
    ximena = appoint(cusco, "ximena")
    with time_machine.travel(datetime.datetime(2026, 9, 5, tzinfo=datetime.UTC), tick=False):  # decided in Q3
        for day in (datetime.date(2026, 7, 20), datetime.date(2026, 8, 3)):
            ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=day, people_reached=10)
    ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 10, 2))
    ReportedActionFactory(
        by=ximena, reviewer=coordinator, started_on=datetime.date(2026, 9, 1), people_reached=40, women_reached=25
    )
    with time_machine.travel(datetime.datetime(2026, 8, 10, tzinfo=datetime.UTC), tick=False):
        ReportedActionFactory(by=ximena, status="submitted", started_on=datetime.date(2026, 8, 5))
    commitment_services.target_save(
        by=ximena, city=cusco, indicator=Indicator.objects.get(code="1.2-a"), horizon="short",
        baseline=Decimal(0), baseline_year=2025, target_value=Decimal(100000), due_on=datetime.date(2026, 9, 15),
    )  # fmt: skip
    return ximena


def peru_report(country, **kwargs):
    return services.report_request(scope=ReportScope.COUNTRY, country=country, kind="quarter", period=Q3, **kwargs)


@pytest.mark.django_db
def test_a_countrys_quarter_report_sets_its_cities_side_by_side_with_the_figures_of_each(
    peru_work, peru, lima, cusco, rosario, other_ambassador, django_capture_on_commit_callbacks
):
    ReportedActionFactory(by=other_ambassador, started_on=datetime.date(2026, 8, 3))  # Argentina: not Peru's
    with django_capture_on_commit_callbacks(execute=True):
        report = peru_report(peru)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.READY and report.city is None and report.country == peru
    snapshot = report.snapshot
    cities = {entry["name"]: entry for entry in snapshot["cities"]}
    assert set(cities) == {"Lima", "Cusco"}
    for city in (lima, cusco):
        # Counted here with a plain filter, not through the report's code.
        approved = Action.objects.filter(city=city, status="approved", started_on__range=(Q3.start, Q3.end))
        assert cities[city.name]["approved"] == approved.count()
        assert cities[city.name]["people"]["people"] == sum(approved.values_list("people_reached", flat=True))
        assert sum(cities[city.name]["targets"].values()) == Target.objects.filter(city=city).count()
    assert (cities["Lima"]["approved"], cities["Cusco"]["approved"]) == (2, 1)
    assert snapshot["totals"]["approved"] == 3 and snapshot["totals"]["people"] == 60
    assert snapshot["totals"]["women"] == 25
    # Days from the latest approved action started by the period's end to that end.
    assert cities["Lima"]["days_since"] == (Q3.end - datetime.date(2026, 8, 3)).days
    assert cities["Cusco"]["days_since"] == (Q3.end - datetime.date(2026, 9, 1)).days
    assert (cities["Cusco"]["waiting"], cities["Cusco"]["old_waiting"]) == (1, 1)
    assert cities["Lima"]["decisions"] == 2 and cities["Lima"]["median_review_seconds"] is not None
    assert sum(sum(counts) for counts in snapshot["monthly"]["axes"]) == 3


@pytest.mark.django_db
def test_the_cities_that_need_attention_come_first_with_their_reasons(
    peru_work, peru, django_capture_on_commit_callbacks
):
    quiet = CityFactory(country=peru, name="Arequipa")
    appoint(quiet, "quique")  # no approved action ever
    with django_capture_on_commit_callbacks(execute=True):
        report = peru_report(peru)
    report.refresh_from_db()
    by_id = {entry["id"]: entry["name"] for entry in report.snapshot["cities"]}
    ranked = [(by_id[item["id"]], item["reasons"]) for item in report.snapshot["attention"]]
    # Cusco: a target off track and a review waiting since August; Lima: 58 days without an
    # approved action by 30 September; Arequipa: none ever.
    assert ranked[0] == ("Cusco", ["off_track", "old_reviews"])
    assert ranked[1:] == [("Arequipa", ["quiet"]), ("Lima", ["quiet"])]


def test_attention_orders_by_reasons_then_off_track_targets_then_days_without_actions():
    def city(pk, name, *, off_track=0, days=0, old=0):
        targets = {"on_track": 0, "at_risk": 0, "off_track": off_track, "achieved": 0}
        return {"id": pk, "name": name, "targets": targets, "days_since": days, "old_waiting": old}

    entries = [
        city(1, "Fine"),
        city(2, "Quiet", days=90),
        city(3, "Quieter", days=120),
        city(4, "Two targets", off_track=2),
        city(5, "Three reasons", off_track=1, days=None, old=1),
        city(6, "Waiting", old=3),
    ]
    assert [item["id"] for item in attention(entries)] == [5, 4, 3, 2, 6]


@pytest.mark.django_db
def test_the_snapshot_reads_all_cities_in_a_fixed_number_of_queries(peru_work, peru, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        small = build_scope_snapshot(scope="country", country_id="PE", kind="quarter", period=Q3)
    for index in range(6):
        city = CityFactory(country=peru, name=f"Ciudad {index}")
        user = appoint(city, f"embajador{index}")
        ReportedActionFactory(by=user, started_on=datetime.date(2026, 8, 1 + index))
    with django_assert_max_num_queries(8):
        large = build_scope_snapshot(scope="country", country_id="PE", kind="quarter", period=Q3)
    assert (len(small["cities"]), len(large["cities"])) == (2, 8)
    assert large["totals"]["approved"] == small["totals"]["approved"] + 6


@pytest.mark.django_db
def test_one_report_per_scope_and_period_and_a_second_run_writes_nothing(peru_work, peru):
    first = tasks.generate_scope_report.delay("country", "PE", "quarter", "2026-08-15").get()
    again = tasks.generate_scope_report.delay("country", "PE", "quarter", "2026-09-30").get()
    assert (first, again) == ("ready", "skipped")
    report = ProgressReport.objects.get(scope="country")
    assert report.attempts == 1 and report.period_start == Q3.start
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(
            scope="country", country=peru, kind="quarter", period_start=Q3.start, period_end=Q3.end
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # a country's report names no city
        ProgressReport.objects.create(
            scope="country", country=peru, city=(report.snapshot and None) or peru.cities.first(),
            kind="month", period_start=Q3.start, period_end=Q3.start,
        )  # fmt: skip


@pytest.mark.django_db
def test_the_schedule_writes_one_report_per_coordinated_country_and_one_of_the_network(
    peru_work, peru, santiago, chile, coordinator_elsewhere
):
    # Chile has a city but no coordinator; Mexico a coordinator but no city: neither gets one.
    assert tasks.generate_due_reports.delay("quarter").get() == 2 + 1 + 1 + 1  # Lima, Cusco, Santiago, Peru, network
    scoped = ProgressReport.objects.exclude(scope="city")
    assert sorted(scoped.values_list("scope", "country", "status")) == [
        ("country", "PE", "ready"),
        ("network", None, "ready"),
    ]
    network = scoped.get(scope="network")
    assert {entry["name"] for entry in network.snapshot["cities"]} == {"Lima", "Cusco", "Santiago"}
    assert tasks.generate_due_reports.delay("quarter").get() == 0  # all ready: nothing more


@pytest.fixture
def chile_report(santiago, chile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = peru_report(chile)
    return report


@pytest.mark.django_db
def test_a_coordinator_reads_their_countrys_report_but_never_another_countrys(
    client_for, peru_work, peru, coordinator, chile_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = peru_report(peru)
    client = client_for(coordinator)
    page = client.get(reverse("reports:report", args=[mine.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Perú: todas las ciudades" in text and "Ciudades que requieren atención" in text
    for output in ("pdf", "html", "xlsx", "csv"):
        assert client.get(reverse("reports:report_download", args=[mine.pk, output])).status_code == 200
    assert client.get(reverse("reports:report", args=[chile_report.pk])).status_code == 404
    assert client.get(reverse("reports:report_download", args=[chile_report.pk, "pdf"])).status_code == 404
    listed = client.get(reverse("reports:reports")).context["page"].object_list
    assert mine in listed and chile_report not in listed
    countries_only = client.get(reverse("reports:reports"), {"scope": "country"}).context["page"].object_list
    assert list(countries_only) == [mine]


@pytest.mark.django_db
def test_an_ambassador_sees_no_scope_report_and_an_admin_sees_the_networks(
    client_for, peru_work, peru, ambassador, admin, chile_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        peru_scope = peru_report(peru)
        network = services.report_request(scope=ReportScope.NETWORK, kind="quarter", period=Q3)
    assert not ProgressReport.objects.visible_to(ambassador).exclude(scope="city").exists()
    assert client_for(ambassador).get(reverse("reports:report", args=[peru_scope.pk])).status_code == 404
    assert client_for(ambassador).get(reverse("reports:scope_report_request")).status_code == 403
    assert set(ProgressReport.objects.visible_to(admin).exclude(scope="city")) == {peru_scope, chile_report, network}
    csv_file = client_for(admin).get(reverse("reports:report_download", args=[network.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(csv_file.streaming_content).decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {"Lima", "Cusco", "Santiago"}


@pytest.mark.django_db
def test_a_coordinator_asks_for_their_countrys_report_in_english_within_the_request_limit(
    client_for, peru_work, coordinator, chile, santiago, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(coordinator)
    form = client.get(reverse("reports:scope_report_request")).context["form"]
    assert [code for code, _label in form.fields["scope"].choices] == ["PE"]  # not Chile, not the network
    body = {"scope": "PE", "kind": "quarter", "day": "2026-08-15", "language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:scope_report_request"), body)
    report = ProgressReport.objects.get(scope="country", country="PE")
    assert response.url == reverse("reports:report", args=[report.pk])
    assert report.requested_by == coordinator and report.language == "en"
    assert b"Peru" in report.html_file.read() and report.pdf_file.read().startswith(b"%PDF-")
    refused = client.post(reverse("reports:scope_report_request"), {**body, "scope": "CL"})
    assert refused.status_code == 200 and refused.context["form"].errors["scope"]
    monkeypatch.setattr(services, "REPORT_REQUESTS_PER_HOUR", 1)  # the same hourly limit as a city's report
    limited = client.post(reverse("reports:scope_report_request"), {**body, "kind": "month"})
    assert limited.status_code == 200 and limited.context["form"].non_field_errors()
    assert not ProgressReport.objects.filter(scope="country", kind="month").exists()


def test_a_chart_of_the_cities_draws_the_25_with_the_most_and_says_so():
    from reports.scope_charts import cities_by_axis

    report = {
        "axes": [{"number": 1, "colour": "#1b5e47"}, {"number": 2, "colour": "#a33b6b"}],
        "cities": [{"name": f"Ciudad {index}", "axes": [index, 1]} for index in range(30)],
    }
    chart = cities_by_axis(report)
    assert [row[0] for row in chart.rows] == [f"Ciudad {index}" for index in range(29, 4, -1)]
    assert chart.title == "Acciones aprobadas por ciudad y eje: las 25 ciudades con más"
    few = cities_by_axis({**report, "cities": report["cities"][:3]})
    assert few.title == "Acciones aprobadas por ciudad y eje" and len(few.rows) == 3


@pytest.mark.django_db
def test_a_period_before_the_scopes_first_appointment_is_refused_with_a_message(client_for, peru_work, coordinator):
    client = client_for(coordinator)
    body = {"scope": "PE", "kind": "year", "day": "1900-06-01", "language": "es"}
    response = client.post(reverse("reports:scope_report_request"), body)
    assert response.status_code == 200
    assert "Perú tiene informes desde el 01/03/2025" in response.content.decode()
    assert 'value="1900-06-01"' in response.content.decode()
    assert not ProgressReport.objects.filter(scope="country").exists()


@pytest.mark.django_db
def test_asking_again_for_an_existing_report_costs_no_request_and_says_its_files_language(
    client_for, peru_work, peru, coordinator, monkeypatch
):
    report = peru_report(peru, language="es")
    monkeypatch.setattr(services, "REPORT_REQUESTS_PER_HOUR", 1)
    client = client_for(coordinator)
    body = {"scope": "PE", "kind": "quarter", "day": "2026-08-15", "language": "pt-br"}
    for _ in range(3):  # over the limit of one, but nothing is written again
        response = client.post(reverse("reports:scope_report_request"), body, follow=True)
        assert response.redirect_chain[-1][0] == reverse("reports:report", args=[report.pk])
    assert "Este informe ya existía: sus archivos están en Español." in response.content.decode()
    assert ProgressReport.objects.filter(scope="country").count() == 1
