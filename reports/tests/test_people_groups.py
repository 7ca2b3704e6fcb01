"""People reached by group, the wider groups included (people with disabilities, indigenous and
Afro-descendant people): the panel, "Mi ciudad" and a progress report with its files give the
sums of the approved actions, computed here from the rows the test writes; a report stored before
the wider groups were counted still reads, with "—" for them."""

import copy
import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse

from commitments.models import PEOPLE_GROUPS, Action
from reports import dashboards, outputs, series
from reports.content import build_snapshot, present
from reports.periods import Period
from reports.tests.factories import ReportedActionFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
NAMES = ["people", "women", "men", "other", "youth", "disability", "indigenous", "afro"]
YEAR_2026 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
# A period that cuts months: the figures come from the actions, not the monthly tally.
CUT = Period(datetime.date(2026, 3, 5), datetime.date(2026, 11, 21))
WIDER_CONCEPTS = ["Personas con discapacidad", "Personas indígenas", "Personas afrodescendientes"]

# city, status, started on, then the counts in the order of NAMES (None: not recorded).
ROWS = [
    ("Lima", "approved", datetime.date(2026, 3, 10), 100, 60, 40, None, 20, 5, 30, None),
    ("Lima", "approved", datetime.date(2026, 8, 10), 30, None, None, None, None, 3, None, 7),
    ("Lima", "approved", datetime.date(2026, 11, 20), 12, 5, 5, 2, 12, 12, 1, 0),
    ("Lima", "approved", datetime.date(2026, 3, 1), 8, None, None, None, None, None, None, None),
    ("Lima", "approved", datetime.date(2025, 12, 31), 999, None, None, None, None, 500, None, None),
    ("Lima", "approved", datetime.date(2025, 11, 15), 50, None, None, None, None, 50, 50, 50),
    ("Lima", "submitted", datetime.date(2026, 5, 1), 70, None, None, None, None, 70, 70, 70),
    ("Lima", "returned", datetime.date(2026, 6, 1), 60, None, None, None, None, 60, 60, 60),
    ("Rosario", "approved", datetime.date(2026, 4, 1), 400, 200, 150, 50, 90, 40, 4, 100),
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def work(ambassador, other_ambassador, coordinator, admin):
    authors = {"Lima": (ambassador, coordinator), "Rosario": (other_ambassador, admin)}
    for city, status, day, *counts in ROWS:
        author, reviewer = authors[city]
        fields = {f"{name}_reached": count for name, count in zip(NAMES, counts, strict=True)}
        ReportedActionFactory(by=author, reviewer=reviewer, status=status, started_on=day, **fields)


def expected(cities, start, end):
    """The sums of ROWS' approved actions of `cities` started within [start, end], by name."""
    chosen = [row for row in ROWS if row[0] in cities and row[1] == "approved" and start <= row[2] <= end]
    return {name: sum(row[3 + index] or 0 for row in chosen) for index, name in enumerate(NAMES)}


def test_every_group_of_the_action_is_a_figure():
    assert list(dashboards.PEOPLE) == NAMES
    assert list(dashboards.PEOPLE.values()) == ["people_reached", *PEOPLE_GROUPS]
    assert ["people", *series.GROUPS] == NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("period", [YEAR_2026, CUT], ids=["whole months", "cut months"])
def test_the_panel_counts_each_group_of_its_scope(client_for, coordinator, admin, work, period):
    for user, cities in ((coordinator, ["Lima"]), (admin, ["Lima", "Rosario"])):
        query = {"period": "custom", "start": period.start.isoformat(), "end": period.end.isoformat()}
        response = client_for(user).get(reverse("reports:overview"), query)
        people = expected(cities, period.start, period.end)
        assert response.context["figures"]["people"] == people, user
        assert response.context["series"]["reached"] == people, user
        # The same sums, asked of the actions by the ORM.
        approved = Action.objects.filter(
            status="approved", city__name__in=cities, started_on__range=(period.start, period.end)
        )
        sums = approved.aggregate(**{name: Sum(field) for name, field in dashboards.PEOPLE.items()})
        assert people == {name: value or 0 for name, value in sums.items()}
        page = response.content.decode()
        assert (
            f"{people['disability']} personas con discapacidad, {people['indigenous']} indígenas, "
            f"{people['afro']} afrodescendientes"
        ) in page
        assert f"{people['women']} mujeres, {people['men']} hombres" in page
    # In plain numbers: Carla's Lima over 2026, its 999 of December 2025 and the unapproved left out.
    assert expected(["Lima"], YEAR_2026.start, YEAR_2026.end) == {
        "people": 150, "women": 65, "men": 45, "other": 2, "youth": 32, "disability": 20, "indigenous": 31, "afro": 7,
    }  # fmt: skip


@pytest.mark.django_db
def test_my_city_counts_each_group_over_its_twelve_months(client_for, ambassador, lima, work):
    response = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk]))
    # December 2025 to November 2026: the 999 of 31 December in, the 50 of November 2025 out.
    people = expected(["Lima"], datetime.date(2025, 12, 1), datetime.date(2026, 11, 30))
    assert response.context["series"]["reached"] == people
    assert people["people"] == 1149 and people["disability"] == 520
    page = response.content.decode()
    assert "1\xa0149 personas alcanzadas en estos doce meses" in page  # grouped as Spanish groups thousands
    assert f"{people['disability']} personas con discapacidad, {people['indigenous']} indígenas" in page


@pytest.mark.django_db
def test_the_same_number_of_queries_with_the_groups(
    client_for, admin, ambassador, coordinator, lima, work, django_assert_max_num_queries
):
    """Counting the wider groups sums more columns in the same queries, and no more of them."""
    pages = [
        (
            client_for(admin),
            reverse("reports:overview"),
            {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"},
        ),
        (client_for(ambassador), reverse("reports:city_progress", args=[lima.pk]), {}),
    ]
    before = []
    for client, url, query in pages:
        with django_assert_max_num_queries(30) as captured:
            client.get(url, query)
        before.append(len(captured.captured_queries))
    for month in range(1, 12):
        ReportedActionFactory(
            by=ambassador,
            reviewer=coordinator,
            started_on=datetime.date(2026, month, 2),
            people_reached=10,
            disability_reached=1,
            indigenous_reached=2,
            afro_reached=3,
        )
    for (client, url, query), count in zip(pages, before, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url, query)


def snapshot_of_2026(lima):
    return build_snapshot(city=lima, kind="year", period=YEAR_2026)


def figure_values(rows):
    """{concept: value} of the report's totals (CSV or XLSX rows)."""
    return {row[2]: row[3] for row in rows if row[0] == "Totales"}


@pytest.mark.django_db
def test_a_report_counts_each_group_in_its_figures_narrative_and_files(lima, work):
    snapshot = snapshot_of_2026(lima)
    people = expected(["Lima"], YEAR_2026.start, YEAR_2026.end)
    assert {name: snapshot["totals"][name] for name in NAMES} == people
    assert snapshot["previous_totals"]["people"] == 999 + 50
    assert sum(entry["people"] for entry in snapshot["commitments"]) == people["people"]

    report = present(snapshot, "es")
    assert (
        "Entre ellas, 65 mujeres, 32 jóvenes, 20 personas con discapacidad, 31 personas indígenas y 7 "
        in (report["narrative"])
    )
    html = outputs.render_html(report)
    cells = "".join(f"<td>{people[name]}</td>" for name in NAMES[1:])
    assert cells in html
    files, failures = outputs.render_outputs(snapshot=snapshot, language="es", name="lima-2026", with_pdf=False)
    assert not failures
    rows = list(csv.reader(io.StringIO(files["csv_file"][1].decode("utf-8-sig"))))
    workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx_file"][1]))
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    written = dict(zip(WIDER_CONCEPTS, (people["disability"], people["indigenous"], people["afro"]), strict=True))
    for concept, value in written.items():
        assert figure_values(rows)[concept] == str(value)
        assert figure_values(sheet_rows)[concept] == value


@pytest.mark.django_db
def test_a_report_stored_before_the_wider_groups_reads_them_as_unknown(lima, work):
    old = copy.deepcopy(snapshot_of_2026(lima))
    old["version"] = 3
    for name in ("disability", "indigenous", "afro"):
        del old["totals"][name]

    report = present(old, "es")
    assert [report["totals"][name] for name in ("disability", "indigenous", "afro")] == [None, None, None]
    assert "Entre ellas, 65 mujeres y 32 jóvenes." in report["narrative"]
    html = outputs.render_html(report)
    assert "<td>65</td><td>45</td><td>2</td><td>32</td><td>—</td><td>—</td><td>—</td>" in html
    files, failures = outputs.render_outputs(snapshot=old, language="es", name="lima-2026", with_pdf=False)
    assert not failures
    rows = list(csv.reader(io.StringIO(files["csv_file"][1].decode("utf-8-sig"))))
    assert [figure_values(rows)[concept] for concept in WIDER_CONCEPTS] == ["", "", ""]
    assert figure_values(rows)["Mujeres"] == "65"
