"""The city report as people forward it: its charts (geometry, text alternative, colours, drawn
in the PDF), the trend frozen in the snapshot, the photos the city shares, the first page, and a
month with nothing approved on one page."""

import base64
import datetime
import io
import re
import subprocess
from decimal import Decimal

import pypdf
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image

from commitments.models import Action, Evidence
from commitments.sample_files import png_bytes
from funding.tests.factories import OpportunityFactory
from practices.tests.factories import PracticeFactory
from reports import charts, series, visuals
from reports.content import SNAPSHOT_VERSION, build_snapshot, present
from reports.outputs import css_string, page_counter, render_html, render_outputs, render_pdf
from reports.periods import Period
from reports.tests.factories import ReportedActionFactory

OCTOBER = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
NOVEMBER_2025 = datetime.date(2025, 11, 1)
MONTHS = [datetime.date(2025 + (10 + i) // 12, (10 + i) % 12 + 1, 1) for i in range(12)]  # Nov 2025 … Oct 2026
DUE = datetime.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _hex(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


# The charts' geometry.


def test_a_target_at_half_its_expected_progress_draws_a_bar_half_as_long_as_the_way_to_the_mark():
    chart = charts.targets_progress(
        [{"label": "A1 Árboles", "progress": 40, "expected": 80, "status": "at_risk", "status_label": "En riesgo"}]
    )
    track, bar = chart.bars
    _halo, mark = chart.marks
    assert bar.fill == charts.STATUS_COLOURS["at_risk"] and track.width > bar.width
    assert bar.width == pytest.approx((mark.x1 - bar.x) / 2, abs=0.1)
    assert bar.width == pytest.approx(track.width * 0.4, abs=0.1)
    assert "En riesgo" in chart.texts[0].text  # the status is written, not only coloured
    assert chart.rows == [["A1 Árboles", "40 %", "80 %", "En riesgo"]]


def test_the_monthly_chart_has_twelve_month_labels_and_bars_stacked_to_scale():
    axes = [
        {"number": 1, "name": "Mitigación", "colour": "#1F5F99", "counts": [0] * 11 + [6]},
        {"number": 2, "name": "Adaptación", "colour": "#A23B72", "counts": [2] + [0] * 10 + [3]},
    ]
    with translation.override("es"):
        chart = charts.monthly_by_axis(MONTHS, axes)
    labels = [text.text for text in chart.texts if text.y == chart.height - 38 + 15]
    assert labels == ["Nov", "Dic", "Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct"]
    assert {text.text for text in chart.texts if text.text.isdigit() and len(text.text) == 4} == {"2025", "2026"}
    november, october_first, october_second = chart.bars
    assert october_first.height == pytest.approx(2 * october_second.height, abs=0.2)  # 6 and 3 actions
    assert october_first.height == pytest.approx(3 * november.height, abs=0.2)
    assert october_second.y + october_second.height == pytest.approx(october_first.y, abs=0.2)  # stacked
    assert october_first.label == "Eje 1 · octubre de 2026: 6"
    assert [row[-1] for row in chart.rows] == ["2"] + ["0"] * 10 + ["9"]
    assert chart.legend[1].label == "Eje 2: Adaptación"
    assert chart.summary == (
        "De noviembre de 2025 a octubre de 2026 se aprobaron 11 acciones; el mes con más fue octubre de 2026, con 9."
    )


def test_bars_of_people_and_funds_are_as_long_as_their_share_of_the_largest():
    people = charts.people_by_group([{"label": "Mujeres", "count": 60}, {"label": "Hombres", "count": 30}])
    assert people.bars[1].width == pytest.approx(people.bars[0].width / 2, abs=0.1)
    funds = charts.funds_by_stage(
        [
            {"label": "Otorgada", "usd": Decimal("1000"), "count": 1},
            {"label": "Rechazada", "usd": Decimal(0), "count": 2},
        ]
    )
    assert len(funds.bars) == 1  # nothing to draw for zero, its value is still written
    assert any(text.text == "0 USD" for text in funds.texts)


def test_the_ticks_are_round_and_reach_the_top():
    assert charts.nice_ticks(17) == [0, 5, 10, 15, 20]
    assert charts.nice_ticks(3) == [0, 1, 2, 3]
    assert charts.nice_ticks(0) == [0, 1]


def test_every_colour_drawn_has_three_to_one_against_white_and_light_axis_colours_are_darkened():
    for colour in [charts.BAR, charts.MONEY, *charts.STATUS_COLOURS.values()]:
        assert charts.contrast(colour, charts.WHITE) >= 3
    darkened = charts.readable("#FFD700")
    assert charts.contrast(darkened, charts.WHITE) >= 3 and darkened != "#ffd700"
    assert charts.readable("#1F5F99") == "#1f5f99"  # dark enough already: kept


def test_a_chart_is_an_image_labelled_by_its_title_and_summary_with_its_data_table():
    with translation.override("es"):
        chart = charts.people_by_group([{"label": "Mujeres", "count": 60}, {"label": "Hombres", "count": 30}])
        html = render_to_string("reports/charts/figure.html", {"chart": chart})
    svg = html[html.index("<svg class=") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-people-title chart-people-desc"' in svg
    assert '<title id="chart-people-title">Personas alcanzadas por grupo</title>' in svg
    assert '<desc id="chart-people-desc">Personas alcanzadas por grupo: Mujeres, 60; Hombres, 30.</desc>' in svg
    assert "<title>Mujeres: 60</title>" in svg  # each bar says its value
    assert '<th scope="row" class="fw-normal">Hombres</th><td class="text-end">30</td>' in html


def test_in_the_pdfs_source_a_chart_is_an_image_of_the_same_svg_with_its_title_and_summary_as_text():
    with translation.override("es"):
        chart = charts.people_by_group([{"label": "Mujeres", "count": 60}, {"label": "Hombres", "count": 30}])
        inline = render_to_string("reports/charts/figure.html", {"chart": chart})
        source = render_to_string("reports/charts/figure.html", {"chart": chart, "charts_as_images": True})
    assert "<svg class=" not in source.split('<ul class="chart-legend">')[0]
    image = re.search(r'<img class="chart-svg" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">', source)
    svg = base64.b64decode(image[1]).decode()
    assert svg == inline[inline.index('<svg class="chart-svg"') : inline.index("</svg>") + len("</svg>")]
    assert image[2] == "Personas alcanzadas por grupo. Personas alcanzadas por grupo: Mujeres, 60; Hombres, 30."


def test_coordinates_are_written_with_a_dot_in_every_language():
    with translation.override("pt-br"):
        chart = charts.people_by_group([{"label": "Mulheres", "count": 7}, {"label": "Homens", "count": 3}])
        svg = render_to_string(chart.template, {"chart": chart})
    widths = re.findall(r'<rect [^>]*width="([^"]+)"', svg)
    assert widths and all(re.fullmatch(r"\d+(\.\d+)?", width) for width in widths)


# The snapshot: the trend frozen, the photos shared.


@pytest.fixture
def busy(ambassador, coordinator, lima, pen_rate, target_on):
    """Lima: approved actions in October 2026 on two axes and earlier in the year, people by group,
    a target 40 % of the way (at risk), money awarded, and a highlight whose photo a published
    practice shares."""
    target = target_on("increase", "cumulative", 0, 100)
    river = ReportedActionFactory(
        by=ambassador, reviewer=coordinator, commitment="3.1", started_on=datetime.date(2026, 10, 5),
        title="Limpieza del río Rímac", people_reached=120, women_reached=70, men_reached=50, youth_reached=30,
        indicator_values={target.indicator.pk: Decimal(40)},
    )  # fmt: skip
    for day, code in ((6, "1.1"), (7, "1.1"), (8, "3.1")):
        ReportedActionFactory(
            by=ambassador, reviewer=coordinator, commitment=code, started_on=datetime.date(2026, 10, day)
        )
    for month in (3, 5, 5, 8):
        ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, month, 2))
    photo = Evidence.objects.create(
        action=river, file=ContentFile(png_bytes(40, 30, (200, 30, 30)), name="rio.png"), content_type="image/png",
        title="Voluntarios en la ribera", uploaded_by=ambassador,
    )  # fmt: skip
    PracticeFactory(by=ambassador, actions=[river], evidence=[photo], status="published")
    OpportunityFactory(
        by=ambassador, amount=Decimal("4000"), currency="PEN", identified_on=datetime.date(2026, 10, 9),
        stage="awarded", amount_awarded=Decimal("4000"),
    )  # fmt: skip
    return river


def _counted_by_month(city, months):
    counts = []
    for month in months:
        end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        counts.append(Action.objects.approved().filter(city=city, started_on__range=(month, end)).count())
    return counts


@pytest.mark.django_db
def test_the_snapshot_freezes_the_twelve_months_and_reads_the_same_after_more_approvals(
    busy, lima, ambassador, coordinator
):
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    assert snapshot["version"] == SNAPSHOT_VERSION == 5
    assert snapshot["series"]["months"] == [month.isoformat() for month in MONTHS]
    by_month = [sum(axis["counts"][index] for axis in snapshot["series"]["axes"]) for index in range(12)]
    assert by_month == _counted_by_month(lima, MONTHS) and sum(by_month) == 8
    before = present(snapshot, "es")["charts"]["monthly"]
    ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 9, 9))
    after = present(snapshot, "es")["charts"]["monthly"]
    assert after.rows == before.rows and after.summary == before.summary  # the stored report never changes
    assert build_snapshot(city=lima, kind="month", period=OCTOBER)["series"] != snapshot["series"]


@pytest.mark.django_db
def test_a_snapshot_of_version_4_reads_without_the_trend_and_photos(busy, lima):
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    old = {key: value for key, value in snapshot.items() if key != "series"} | {"version": 4}
    old["highlights"] = [{key: value for key, value in entry.items() if key != "photo"} for entry in old["highlights"]]
    report = present(old, "es")
    assert "monthly" not in report["charts"] and set(report["charts"]) == {"people", "targets", "funds"}
    html = render_html(report)
    assert "chart-monthly" not in html and "chart-targets-title" in html and "<img" not in html


@pytest.mark.django_db
def test_only_an_image_a_published_practice_shares_is_a_highlights_photo(busy, lima, ambassador, coordinator):
    other = ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 10, 20))
    Evidence.objects.create(
        action=other, file=ContentFile(png_bytes(), name="a.png"), content_type="image/png", uploaded_by=ambassador
    )  # an image no practice shares
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    photos = {entry["title"]: entry["photo"] for entry in snapshot["highlights"]}
    assert photos["Acción"] is None
    shared = photos["Limpieza del río Rímac"]
    assert shared["file"].startswith("evidence/") and shared["title"] == "Voluntarios en la ribera"


@pytest.mark.django_db
def test_the_photo_is_inside_the_html_and_pdf_files_and_the_page_links_to_the_practice(busy, lima):
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    files, failures = render_outputs(snapshot=snapshot, language="es", name="lima-octubre")
    assert not failures
    html = files["html_file"][1].decode()
    assert '<img class="report-photo" src="data:image/jpeg;base64,' in html
    assert 'alt="Voluntarios en la ribera"' in html
    page = render_html(present(snapshot, "es"))  # as the report's page shows it
    photo = snapshot["highlights"][0]["photo"]
    assert f'src="/practicas/{photo["practice"]}/evidencias/{photo["evidence"]}/"' in page
    assert snapshot["highlights"][0]["photo"].get("src") is None  # the stored snapshot holds no bytes


def test_the_pdf_fetches_nothing_outside_the_html():
    fetcher = visuals.url_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "https://example.org/x.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert visuals._data_url("../config/settings.py") is None
    assert visuals._data_url("evidence/../../secret.png") is None


@pytest.mark.django_db
def test_building_the_snapshot_takes_as_many_queries_with_five_shared_photos_as_with_one(
    busy, lima, ambassador, coordinator
):
    with CaptureQueriesContext(connection) as one:
        build_snapshot(city=lima, kind="month", period=OCTOBER)
    for day in range(11, 15):
        action = ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 10, day))
        evidence = Evidence.objects.create(
            action=action, file=ContentFile(png_bytes(), name="b.png"), content_type="image/png",
            uploaded_by=ambassador,
        )  # fmt: skip
        PracticeFactory(by=ambassador, actions=[action], evidence=[evidence], status="published")
    with CaptureQueriesContext(connection) as five:
        snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    assert sum(1 for entry in snapshot["highlights"] if entry["photo"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# The PDF.


def _pages(pdf, folder, dpi=40):
    """The PDF's pages as RGB images, rasterised by pdftoppm (poppler-utils)."""
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", folder / "report.pdf", folder / "page"], check=True)
    return [Image.open(path).convert("RGB") for path in sorted(folder.glob("page-*.png"))]


def _painted(images, colour):
    """How far across a page `colour` spreads, as a share of the page's width, and its pixels."""
    wanted, best = _hex(colour), (0, 0)
    for image in images:
        mask = Image.new("L", image.size)
        mask.putdata([255 if pixel == wanted else 0 for pixel in image.get_flattened_data()])
        box = mask.getbbox()
        if box:
            best = max(best, ((box[2] - box[0]) / image.width, mask.histogram()[255]))
    return best


@pytest.mark.django_db
def test_every_chart_is_in_the_html_and_drawn_on_the_pdfs_pages(busy, lima, tmp_path):
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    files, failures = render_outputs(snapshot=snapshot, language="es", name="lima-octubre")
    assert not failures
    html = files["html_file"][1].decode()
    report = present(snapshot, "es")
    assert set(report["charts"]) == {"monthly", "people", "targets", "funds"}
    for name in report["charts"]:
        chart_id = f"chart-{name}" if name != "funds" else "chart-funds"
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
    pdf = files["pdf_file"][1]
    images = _pages(pdf, tmp_path)
    axis_colours = {charts.readable(axis["colour"]) for axis in report["axes"] if axis["approved"]}
    target_colour = charts.STATUS_COLOURS[report["targets"][0]["status"]]
    for colour in [*axis_colours, charts.BAR, target_colour, charts.MONEY]:
        width, count = _painted(images, colour)
        assert count > 20 and width > 0.05, colour  # a bar, not a stray pixel of text
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Lima · Octubre de 2026" in text and "Página 1 de" in text  # the pages' header and footer
    assert "Ene" in text and "Oct" in text  # the months under the bars


@pytest.mark.django_db
def test_a_month_with_nothing_approved_is_one_page_with_the_targets_at_risk(lima, ambassador, coordinator, target_on):
    for month in (5, 8, 9):
        ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, month, 3))
    target_on("increase", "cumulative", 0, 100)
    OpportunityFactory(by=ambassador, stage="preparing", identified_on=datetime.date(2026, 9, 1))
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    report = present(snapshot, "es")
    assert report["quiet"] and [target["status"] for target in report["risks"]] == ["at_risk"]
    assert report["narrative"] == (
        "En octubre de 2026, Lima no registró ninguna acción aprobada, frente a 1 en septiembre de 2026. "
        "La única meta de la ciudad está en riesgo."
    )
    html = render_html(report)
    assert "Acciones aprobadas por eje y compromiso" not in html and "Compromisos sin acciones" not in html
    assert "Metas que piden atención" in html and "chart-monthly-title" in html  # the year's trend stays
    assert "Próximas fechas límite" in html
    pdf = render_pdf(html)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.django_db
def test_a_month_with_nothing_ever_approved_says_so_in_one_sentence_without_a_zero(lima):
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    for language in ("es", "en", "pt-br"):
        report = present(snapshot, language)
        assert report["charts"] == {}
        assert report["narrative"].count(".") == 1 and not re.search(r"\b0\b", report["narrative"])
        assert "las mismas" not in report["narrative"]
        assert len(pypdf.PdfReader(io.BytesIO(render_pdf(render_html(report)))).pages) == 1


def test_the_page_number_is_one_translated_sentence_with_the_counters():
    with translation.override("es"):
        assert page_counter() == '"Página " counter(page) " de " counter(pages)'
    assert css_string('Lima</style>"') == '"Lima\\3c /style\\3e \\22 "'


@pytest.mark.django_db
def test_the_docs_pictures_are_the_pdfs_pages_as_png(busy, lima, tmp_path):
    call_command(
        "report_pictures", "--start=2026-10-01", "--pages=2", "--dpi=30", f"--out={tmp_path}", stdout=io.StringIO()
    )
    pictures = sorted(path.name for path in tmp_path.glob("report-city-month-*.png"))
    assert pictures == ["report-city-month-1.png", "report-city-month-2.png"]
    assert Image.open(tmp_path / pictures[0]).size == (249, 351)  # A4 at 30 dpi


@pytest.mark.django_db
def test_a_series_of_the_dashboards_draws_as_the_report_draws_it(busy, lima):
    """How another page (a coordinator's scope) draws reports.series: axes_from_series."""
    found = series.city_last_twelve_months(city=lima, today=OCTOBER.end)
    with translation.override("es"):
        chart = charts.monthly_by_axis(*charts.axes_from_series(found))
        report = present(build_snapshot(city=lima, kind="month", period=OCTOBER), "es")
    assert chart.rows == report["charts"]["monthly"].rows and chart.legend == report["charts"]["monthly"].legend
