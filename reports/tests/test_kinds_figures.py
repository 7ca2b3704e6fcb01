"""The kinds' figures and the hazard events on the panel, on "Mi ciudad" and in a progress report:
each equals a count written out in plain Python over the rows the test made, only the scope's
cities count (a coordinator elsewhere sees none of them), the events are on the map and in its
table, a report stored before them still reads, and the queries do not grow with the data."""

import csv
import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.models import City
from ambassadors.tests.factories import CityFactory, UserFactory
from hazards.tests.figure_factories import HazardEventFactory, HazardResponseFactory
from kinds.tests.factories import ParticipationFactory, PolicyFactory, TrainingFactory
from reports.content import build_snapshot, present
from reports.outputs import figure_rows, render_html, render_outputs
from reports.periods import Period

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
YEAR_2026 = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
YEAR = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
OCTOBER = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _on(month, day):
    return datetime.date(2026, month, day)


# What the fixture records, by city ("lima", "rosario"), as an independent reader counts it.
TRAININGS = [
    {"city": "lima", "status": "approved", "on": _on(10, 5), "people": 40, "women": 25, "indigenous": 6,
     "hours": [Decimal("3"), Decimal("2.5")], "servants": 30, "satisfaction": Decimal("4.6")},
    {"city": "lima", "status": "approved", "on": _on(8, 3), "people": 10, "women": 0, "indigenous": 0,
     "hours": [Decimal("4")], "servants": 2, "satisfaction": None},
    {"city": "lima", "status": "submitted", "on": _on(10, 6), "people": 55, "women": 5, "indigenous": 5,
     "hours": [Decimal("8")], "servants": 9, "satisfaction": None},
    {"city": "rosario", "status": "approved", "on": _on(10, 5), "people": 500, "women": 300, "indigenous": 0,
     "hours": [Decimal("6")], "servants": 100, "satisfaction": Decimal("2")},
]  # fmt: skip
MECHANISMS = [
    {"city": "lima", "status": "approved", "on": _on(10, 10), "people": 120, "accessible": True, "changed": True},
    {"city": "lima", "status": "approved", "on": _on(3, 10), "people": 20, "accessible": False, "changed": False},
    {"city": "lima", "status": "returned", "on": _on(10, 11), "people": 9, "accessible": True, "changed": True},
    {"city": "rosario", "status": "approved", "on": _on(10, 12), "people": 80, "accessible": True, "changed": False},
]
POLICIES = [
    {"city": "lima", "status": "approved", "stage": "adopted", "adopted_on": _on(10, 1), "population": 25_000,
     "strategy": True},
    {"city": "lima", "status": "approved", "stage": "drafting", "adopted_on": None, "population": 5, "strategy": False},
    {"city": "rosario", "status": "approved", "stage": "implementing", "adopted_on": _on(6, 1), "population": 900,
     "strategy": False},
]  # fmt: skip
EVENTS = [
    {"city": "lima", "title": "Huaico en Chosica", "hazard": "landslide", "on": _on(10, 3), "affected": 1200,
     "deaths": 2, "missing": 1, "loss": Decimal("100000"), "currency": "PEN"},
    {"city": "lima", "title": "Ola de calor de febrero", "hazard": "heatwave", "on": _on(2, 2), "affected": 10,
     "deaths": 0, "missing": 0, "loss": None, "currency": "USD"},
    {"city": "lima", "title": "Inundación de 2025", "hazard": "flood", "on": datetime.date(2025, 12, 30),
     "affected": 9999, "deaths": 9, "missing": 9, "loss": Decimal("9"), "currency": "USD"},
    {"city": "rosario", "title": "Sequía del Paraná", "hazard": "drought", "on": _on(10, 4), "affected": 700,
     "deaths": 0, "missing": 0, "loss": Decimal("7000"), "currency": "USD"},
]  # fmt: skip


def counted(specs, cities, period, *, day="on"):
    return [
        spec
        for spec in specs
        if spec["city"] in cities
        and spec.get("status", "approved") == "approved"
        and spec[day] is not None
        and period.start <= spec[day] <= period.end
    ]


@pytest.fixture
def kinds_work(ambassador, other_ambassador, coordinator, admin, lima, rosario, pen_rate):
    """TRAININGS, MECHANISMS, POLICIES and EVENTS, with two approved actions answering Lima's
    landslide (and one sent for review that does not count)."""
    by = {"lima": ambassador, "rosario": other_ambassador}
    cities = {"lima": lima, "rosario": rosario}
    for spec in TRAININGS:
        TrainingFactory(
            by=by[spec["city"]], status=spec["status"], reviewer=admin,
            action={"started_on": spec["on"], "people_reached": spec["people"], "women_reached": spec["women"],
                    "indigenous_reached": spec["indigenous"]},
            sessions=[(spec["on"], hours) for hours in spec["hours"]],
            public_servants=spec["servants"], satisfaction=spec["satisfaction"],
        )  # fmt: skip
    for spec in MECHANISMS:
        ParticipationFactory(
            by=by[spec["city"]], status=spec["status"], reviewer=admin,
            action={"started_on": spec["on"], "people_reached": spec["people"]},
            sign_language=spec["accessible"], decisions_changed="Cambió el presupuesto." if spec["changed"] else "",
        )  # fmt: skip
    for spec in POLICIES:
        PolicyFactory(
            by=by[spec["city"]], status=spec["status"], reviewer=admin, stage=spec["stage"],
            adopted_on=spec["adopted_on"], population_covered=spec["population"],
            disaster_risk_strategy=spec["strategy"], action={"started_on": _on(1, 10)},
        )  # fmt: skip
    events = {}
    for spec in EVENTS:
        events[spec["title"]] = HazardEventFactory(
            city=cities[spec["city"]], title=spec["title"], hazard=spec["hazard"], started_on=spec["on"],
            people_affected=spec["affected"], deaths=spec["deaths"], missing=spec["missing"],
            economic_loss=spec["loss"], currency=spec["currency"], recorded_by=admin,
        )  # fmt: skip
    landslide = events["Huaico en Chosica"]
    HazardResponseFactory(by=ambassador, reviewer=admin, events=[landslide], action={"started_on": _on(10, 4)})
    HazardResponseFactory(by=ambassador, reviewer=admin, events=[landslide], phase="recover")
    HazardResponseFactory(by=ambassador, events=[landslide], status="submitted")
    return events


def overview(client, **params):
    response = client.get(reverse("reports:overview"), {**YEAR_2026, **params})
    assert response.status_code == 200
    return response


def assert_kinds(kinds, cities, period, *, city_count):
    trainings = counted(TRAININGS, cities, period)
    training = kinds["training"]
    assert training["trainings"] == len(trainings)
    assert training["sessions"] == sum(len(spec["hours"]) for spec in trainings)
    assert training["hours"] == sum((hours for spec in trainings for hours in spec["hours"]), Decimal(0))
    groups = {group["value"]: group["count"] for group in training["groups"]}
    for name in ("people", "women", "indigenous"):
        assert groups[name] == sum(spec[name] for spec in trainings), name
    assert training["public_servants"] == sum(spec["servants"] for spec in trainings)
    mechanisms = counted(MECHANISMS, cities, period)
    participation = kinds["participation"]
    assert participation["mechanisms"] == len(mechanisms)
    assert participation["accessible"] == sum(1 for spec in mechanisms if spec["accessible"])
    assert participation["changed_decisions"] == sum(1 for spec in mechanisms if spec["changed"])
    assert {group["value"]: group["count"] for group in participation["groups"]}["people"] == sum(
        spec["people"] for spec in mechanisms
    )
    policies = counted(POLICIES, cities, period, day="adopted_on")
    policy = kinds["policy"]
    assert policy["adopted"] == len(policies)
    assert policy["population_covered"] == sum(spec["population"] for spec in policies)
    by_end = counted(POLICIES, cities, Period(datetime.date.min, period.end), day="adopted_on")
    assert policy["cities_with_strategy"] == len({spec["city"] for spec in by_end if spec["strategy"]})
    assert policy["city_count"] == city_count


def assert_hazards(hazards, cities, period):
    events = counted(EVENTS, cities, period)
    assert hazards["events"] == len(events)
    for name in ("affected", "deaths", "missing"):
        assert hazards[name] == sum(spec[name] for spec in events), name
    assert {event["title"] for event in hazards["listed"]} == {spec["title"] for spec in events}


@pytest.mark.django_db
def test_the_panel_shows_each_kinds_figures_for_the_scope_and_period(
    client_for, coordinator, admin, kinds_work, lima, rosario
):
    for user, cities, city_count in ((coordinator, {"lima"}, 1), (admin, {"lima", "rosario"}, 2)):
        response = overview(client_for(user))
        assert_kinds(response.context["kinds"], cities, YEAR, city_count=city_count)
        assert_hazards(response.context["hazards"], cities, YEAR)
        october = overview(client_for(user), start="2026-10-01", end="2026-10-31").context
        assert_kinds(october["kinds"], cities, OCTOBER, city_count=city_count)
        assert_hazards(october["hazards"], cities, OCTOBER)
    # Lima over 2026 in plain numbers: two trainings (5.5 + 4 hours, 50 people), satisfaction 4.6
    # (the August one was not rated), a 100,000 PEN loss at 0.25.
    carla = overview(client_for(coordinator)).context
    training, hazards = carla["kinds"]["training"], carla["hazards"]
    assert (training["trainings"], training["hours"], training["satisfaction"]) == (2, Decimal("9.5"), Decimal("4.6"))
    assert (hazards["events"], hazards["affected"], hazards["loss_usd"]) == (2, 1210, Decimal("25000.00"))
    assert carla["kinds"]["policy"]["strategy_share"] == Decimal("100.0")
    everyone = overview(client_for(admin)).context["kinds"]["policy"]
    assert (everyone["cities_with_strategy"], everyone["strategy_share"]) == (1, Decimal("50.0"))
    listed = {event["title"]: event["linked_actions"] for event in carla["hazards"]["listed"]}
    assert listed == {"Huaico en Chosica": 2, "Ola de calor de febrero": 0}


@pytest.mark.django_db
def test_a_coordinator_elsewhere_sees_no_other_countrys_trainings_or_events(
    client_for, coordinator, coordinator_elsewhere, kinds_work, lima, rosario
):
    City.objects.filter(pk=lima.pk).update(latitude=Decimal("-12.04637"), longitude=Decimal("-77.04279"))
    City.objects.filter(pk=rosario.pk).update(latitude=Decimal("-32.94682"), longitude=Decimal("-60.63932"))
    response = overview(client_for(coordinator_elsewhere))
    context, page = response.context, response.content.decode()
    assert context["kinds"]["training"]["trainings"] == 0 and context["hazards"]["events"] == 0
    assert context["map"]["hazards"] == [] and context["hazards"]["listed"] == []
    for name in ("Lima", "Rosario", "Huaico en Chosica", "Sequía del Paraná"):
        assert name not in page
    assert "Ninguna formación aprobada empezó en el periodo." in page
    assert "Ningún evento de riesgo registrado empezó en el periodo." in page
    # Carla (Peru) sees Lima's events on the map, not Rosario's.
    carla = overview(client_for(coordinator))
    markers = carla.context["map"]["hazards"]
    assert [(m["name"], m["events"], m["affected"], m["latitude"]) for m in markers] == [("Lima", 2, 1210, -12.04637)]
    assert "Sequía del Paraná" not in carla.content.decode()


def section(page, heading_id):
    start = page.index(f'id="{heading_id}"')
    start = page.rindex("<section", 0, start)
    end, depth = start, 0
    while True:  # to the </section> that closes this one (kinds' has a section per kind inside)
        opening, closing = page.find("<section", end + 1), page.find("</section>", end + 1)
        if opening != -1 and opening < closing:
            depth, end = depth + 1, opening
            continue
        if depth == 0:
            return page[start:closing]
        depth, end = depth - 1, closing


@pytest.mark.django_db
def test_the_panel_draws_the_kinds_and_the_events_as_captioned_tables(client_for, admin, kinds_work, lima):
    City.objects.filter(pk=lima.pk).update(latitude=Decimal("-12.04637"), longitude=Decimal("-77.04279"))
    page = overview(client_for(admin)).content.decode()
    kinds, hazards, map_ = (
        section(page, "kinds-heading"),
        section(page, "hazards-heading"),
        section(page, "map-heading"),
    )
    for part in (kinds, hazards, map_):
        assert part.count("<table") == part.count("<caption") > 0
        assert part.count("<th scope=") > part.count("<table")
    assert "Escuela" not in kinds and "Formaciones realizadas" in kinds and "Lengua de señas" in kinds
    assert "Huaico en Chosica" in map_ and "Sequía del Paraná" in map_  # the table under the map
    assert "legend-hazard" in map_


@pytest.mark.django_db
def test_mi_ciudad_shows_this_years_kinds_and_events(client_for, ambassador, kinds_work, lima):
    response = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk]))
    this_year = Period(datetime.date(2026, 1, 1), TODAY.date())
    assert_kinds(response.context["kinds"], {"lima"}, this_year, city_count=1)
    assert_hazards(response.context["hazards"], {"lima"}, this_year)
    page = response.content.decode()
    assert "Formaciones, participación y políticas en 2026" in section(page, "kinds-heading")
    events = section(page, "hazards-heading")
    assert "Huaico en Chosica" in events and "Sequía del Paraná" not in events
    assert "Inundación de 2025" not in events


@pytest.mark.django_db
def test_a_report_has_the_kinds_and_the_events_of_its_city_and_period(kinds_work, lima):
    snapshot = json.loads(json.dumps(build_snapshot(city=lima, kind="month", period=OCTOBER)))  # as stored
    report = present(snapshot, "es")
    assert_kinds(report["kinds"], {"lima"}, OCTOBER, city_count=1)
    assert_hazards(report["hazards"], {"lima"}, OCTOBER)
    html = render_html(report)
    assert "Formaciones, participación y políticas públicas" in html and "Huaico en Chosica" in html
    assert "La ciudad tenía una estrategia local de reducción del riesgo de desastres adoptada" in html
    rows = {(row[0], row[1], row[2]): row[3] for row in figure_rows(report)}
    assert rows[("Formaciones", "", "Formaciones realizadas")] == 1
    assert rows[("Formaciones", "", "Horas")] == Decimal("5.50")
    assert rows[("Formaciones", "", "Personas formadas: Personas indígenas")] == 6
    assert rows[("Mecanismos de participación", "", "Con al menos una medida de accesibilidad")] == 1
    assert rows[("Políticas públicas", "", "Políticas adoptadas")] == 1
    assert rows[("Eventos de riesgo", "landslide", "Tipo: Deslizamiento")] == 1
    assert rows[("Eventos de riesgo", "11.5.2", "Pérdida económica directa (USD)")] == Decimal("25000.00")
    # 1200 affected + 2 dead + 1 missing in a city of 100,000.
    per_100k = rows[
        ("Eventos de riesgo", "11.5.1 / 13.1.1", "Fallecidas, desaparecidas y afectadas por cada 100.000 habitantes")
    ]
    assert per_100k == Decimal(1203 * 100_000 / lima.population).quantize(Decimal("0.1"))
    files, failures = render_outputs(snapshot=snapshot, language="es", name="lima-octubre")
    assert failures == {} and files["pdf_file"][1].startswith(b"%PDF")
    workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx_file"][1]))
    events = list(workbook["Eventos de riesgo"].iter_rows(values_only=True))
    assert [row[2] for row in events[1:]] == ["Huaico en Chosica"]
    assert events[1][-1] == 2 and events[1][-2] == 25000  # linked approved actions, loss in USD
    written = list(csv.reader(io.StringIO(files["csv_file"][1].decode("utf-8-sig"))))
    assert ["Formaciones", "", "Formaciones realizadas", "1", ""] in written


@pytest.mark.django_db
def test_a_report_stored_before_the_kinds_still_reads_and_writes_its_files(kinds_work, lima):
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    old = {key: value for key, value in snapshot.items() if key not in ("kinds", "hazards")} | {"version": 3}
    report = present(old, "es")
    assert report["kinds"] is None and report["hazards"] is None
    html = render_html(report)
    assert "Formaciones, participación y políticas públicas" not in html and "Huaico" not in html
    assert all(row[0] not in ("Formaciones", "Eventos de riesgo") for row in figure_rows(report))
    files, failures = render_outputs(snapshot=old, language="es", name="lima-antiguo", with_pdf=False)
    assert failures == {}
    assert openpyxl.load_workbook(io.BytesIO(files["xlsx_file"][1])).sheetnames == ["Cifras", "Metas", "Acciones"]


def _more_kinds_work(admin, cities=3):
    """More cities, each with every kind of action and events answered by one."""
    for n in range(cities):
        user = UserFactory(username=f"amb-kinds-{n}")
        city = CityFactory(name=f"Ciudad de eventos {n}")
        ambassador_services.ambassador_appoint(city=city, user=user, appointed_on=datetime.date(2025, 1, 1))
        for month in (9, 10):
            TrainingFactory(by=user, reviewer=admin, action={"started_on": _on(month, 2), "people_reached": 5},
                            sessions=[(_on(month, 2), 2), (_on(month, 3), 2)], satisfaction=Decimal("4"))  # fmt: skip
            ParticipationFactory(by=user, reviewer=admin, action={"started_on": _on(month, 4)}, childcare=True)
            PolicyFactory(by=user, reviewer=admin, adopted_on=_on(month, 5), disaster_risk_strategy=True)
            event = HazardEventFactory(city=city, recorded_by=admin, started_on=_on(month, 6), people_affected=3)
            HazardResponseFactory(by=user, reviewer=admin, events=[event], action={"started_on": _on(month, 7)})


@pytest.mark.django_db
def test_the_panel_and_a_report_take_the_same_queries_with_more_kinds_and_events(
    client_for, admin, kinds_work, lima, django_assert_max_num_queries
):
    client = client_for(admin)
    with django_assert_max_num_queries(27) as few:
        overview(client)
    with CaptureQueriesContext(connection) as report_few:
        build_snapshot(city=lima, kind="quarter", period=Period(_on(10, 1), _on(12, 31)))
    _more_kinds_work(admin)
    ambassador = lima.ambassadors.get().user
    for day in range(10, 14):
        event = HazardEventFactory(city=lima, recorded_by=admin, started_on=_on(10, day), economic_loss=Decimal(1))
        HazardResponseFactory(by=ambassador, reviewer=admin, events=[event], action={"started_on": _on(10, day)})
        TrainingFactory(by=ambassador, reviewer=admin, action={"started_on": _on(10, day)})
    with django_assert_max_num_queries(27) as many:
        response = overview(client)
    with CaptureQueriesContext(connection) as report_many:
        snapshot = build_snapshot(city=lima, kind="quarter", period=Period(_on(10, 1), _on(12, 31)))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(report_few.captured_queries) == len(report_many.captured_queries)
    assert response.context["hazards"]["events"] == len(counted(EVENTS, {"lima", "rosario"}, YEAR)) + 3 * 2 + 4
    assert len(snapshot["hazards"]["listed"]) == 5 and snapshot["kinds"]["training"]["trainings"] == 5
