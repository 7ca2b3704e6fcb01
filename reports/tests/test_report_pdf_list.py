"""Issue 27, decision 3: the PDF lists the highlights, not every action. It keeps the figures,
targets and highlights, says how many actions the period had and points to the XLSX, which lists
them all, as the stored HTML and the report's page do."""

import datetime
import io

import openpyxl
import pypdf
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from commitments.models import Evidence
from commitments.sample_files import png_bytes
from reports.content import build_snapshot, present
from reports.models import ProgressReport
from reports.outputs import render_html, render_outputs, render_pdf
from reports.periods import Period
from reports.tests.factories import ProgressReportFactory, ReportedActionFactory

OCTOBER = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
BUSY = 400


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _month(lima, ambassador, coordinator, *, actions):
    """Lima's October snapshot. Three approved actions with evidence are in the database (the
    highlights); the snapshot's list of the period's actions then grows to `actions` rows with
    their own titles, as a busy city's month holds them (the outputs draw from the snapshot only)."""
    for day, people in ((5, 300), (6, 200), (7, 100)):
        action = ReportedActionFactory(
            by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 10, day),
            title=f"Destacada {people}", people_reached=people, men_reached=people,
        )  # fmt: skip
        Evidence.objects.create(
            action=action, file=ContentFile(png_bytes(8, 8, (0, 90, 160)), name="foto.png"),
            content_type="image/png", title="Foto", uploaded_by=ambassador,
        )  # fmt: skip
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    first = snapshot["actions"][0]
    snapshot["actions"] += [
        {**first, "id": 10_000 + number, "title": f"Acción de barrio {number}", "people": number, "evidence": 1}
        for number in range(len(snapshot["actions"]), actions)
    ]
    snapshot["totals"]["approved"] = actions
    return snapshot


def _pages(pdf):
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _text(pdf):
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_a_busy_months_pdf_lists_the_highlights_counts_every_action_and_points_to_the_xlsx(
    lima, ambassador, coordinator
):
    snapshot = _month(lima, ambassador, coordinator, actions=BUSY)
    files, failures = render_outputs(snapshot=snapshot, language="es", name="lima-octubre")
    assert failures == {}
    pdf = files["pdf_file"][1]
    full_table = render_pdf(render_html(present(snapshot, "es")))  # the PDF as it was: every action
    assert _pages(pdf) <= 6 and _pages(full_table) >= 3 * _pages(pdf)
    text = _text(pdf)
    assert "El periodo tuvo 400 acciones aprobadas" in text
    assert "la lista completa está en la hoja «Acciones» del XLSX de este mismo informe" in text
    assert all(f"Destacada {people}" in text for people in (300, 200, 100))  # the highlights stay
    assert "Acción de barrio" not in text
    # The stored HTML and the XLSX still hold every action.
    html = files["html_file"][1].decode("utf-8")
    assert all(f"Acción de barrio {number}<" in html for number in range(3, BUSY))
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx_file"][1]), read_only=True)["Acciones"]
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == BUSY and "Acción de barrio 399" in titles and "Destacada 300" in titles


@pytest.mark.django_db
def test_the_reports_page_still_lists_every_action(client, lima, ambassador, coordinator):
    snapshot = _month(lima, ambassador, coordinator, actions=BUSY)
    report = ProgressReportFactory(
        city=lima, period_start=OCTOBER.start, period_end=OCTOBER.end, snapshot=snapshot,
        status=ProgressReport.Status.READY,
    )  # fmt: skip
    client.force_login(ambassador)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode("utf-8")
    assert all(f"Acción de barrio {number}<" in page for number in range(3, BUSY))
    assert "Este PDF muestra solo las destacadas" not in page


@pytest.mark.django_db
def test_a_month_of_one_action_says_so_in_the_singular(lima, ambassador, coordinator):
    snapshot = _month(lima, ambassador, coordinator, actions=3)
    snapshot["actions"] = snapshot["actions"][:1]
    html = render_html(present(snapshot, "es"), highlights_only=True)
    assert "El periodo tuvo 1 acción aprobada. La lista completa está en la hoja «Acciones»" in html
