"""Any stored text reaches every output of a report, and one output that fails does not take the
others down: the report is ready with what could be written and says which format failed."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from commitments.models import Action
from core.tests.helpers import examples
from reports import exports, outputs, tasks
from reports.models import ProgressReport
from reports.tests.factories import ReportedActionFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def october(ambassador, coordinator):
    """An approved action of October whose title holds a vertical tab, a control character and a
    formula, written straight to the table as data saved before titles were checked would be."""
    action = ReportedActionFactory(
        by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 10, 3), title="Taller"
    )
    Action.objects.filter(pk=action.pk).update(title="=1+1\x0bTaller de\x01 compostaje")
    return action


def generate(city, **options):
    tasks.generate_city_report.delay(city.pk, "month", OCTOBER.isoformat(), **options)
    return ProgressReport.objects.get(city=city, kind="month", period_start=OCTOBER)


def broken(error):
    def render(*arguments):
        raise error

    return render


def formats(report):
    return [name for name, _field in report.files()]


@pytest.mark.django_db
def test_a_title_with_control_characters_gives_a_ready_report_with_every_output(lima, october):
    report = generate(lima)
    assert report.status == ProgressReport.Status.READY, report.error
    assert formats(report) == ["pdf", "html", "xlsx", "csv"]
    assert report.output_errors == {}
    actions = openpyxl.load_workbook(io.BytesIO(report.xlsx_file.read()))["Acciones"]
    # The vertical tab separated two words, the other control character is dropped, and the
    # formula stays text: what the title showed, as safe as before.
    assert [row[2] for row in actions.iter_rows(min_row=2, values_only=True)] == ["'=1+1 Taller de compostaje"]
    assert "=1+1\x0bTaller de\x01 compostaje" in report.html_file.read().decode()


@pytest.mark.django_db
def test_a_failing_pdf_leaves_a_ready_report_with_the_others_and_the_page_says_which(
    lima, october, ambassador, admin, client_for, monkeypatch
):
    monkeypatch.setattr(outputs, "render_pdf", broken(ValueError("no cabe en la página")))
    report = generate(lima)
    assert report.status == ProgressReport.Status.READY
    assert formats(report) == ["html", "xlsx", "csv"]
    assert report.output_errors == {"pdf": "ValueError: no cabe en la página"}
    client = client_for(ambassador)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "PDF: no se pudo generar." in page
    assert "no cabe en la página" not in page  # errors may name servers: admins only
    assert reverse("reports:report_download", args=[report.pk, "xlsx"]) in page
    assert reverse("reports:report_download", args=[report.pk, "pdf"]) not in page
    client.force_login(admin)
    assert (
        "ValueError: no cabe en la página" in client.get(reverse("reports:report", args=[report.pk])).content.decode()
    )


@pytest.mark.django_db
def test_a_failing_spreadsheet_leaves_the_pdf_html_and_csv(lima, october, monkeypatch):
    monkeypatch.setattr(outputs, "xlsx_bytes", broken(TypeError("celda imposible")))
    report = generate(lima)
    assert report.status == ProgressReport.Status.READY
    assert formats(report) == ["pdf", "html", "csv"]
    assert report.output_errors == {"xlsx": "TypeError: celda imposible"}
    assert report.csv_file.read().startswith("\ufeffSección".encode())


@pytest.mark.django_db
def test_an_output_that_fails_on_a_second_run_drops_its_earlier_file(
    lima, october, monkeypatch, django_capture_on_commit_callbacks
):
    first = generate(lima)
    old_pdf, old_csv = first.pdf_file.name, first.csv_file.name
    monkeypatch.setattr(outputs, "render_pdf", broken(ValueError("fuente ilegible")))
    with django_capture_on_commit_callbacks(execute=True):
        report = generate(lima, force=True)
    assert formats(report) == ["html", "xlsx", "csv"]
    assert not first.pdf_file.storage.exists(old_pdf)  # it showed the figures of before
    assert not first.csv_file.storage.exists(old_csv) and report.csv_file.storage.exists(report.csv_file.name)
    monkeypatch.undo()
    report = generate(lima, force=True)
    assert formats(report) == ["pdf", "html", "xlsx", "csv"]
    assert report.output_errors == {}


@pytest.mark.django_db
@pytest.mark.on_commit_errors_expected
def test_a_report_without_any_output_fails_with_each_error(lima, october, monkeypatch):
    monkeypatch.setattr(outputs, "render_html", broken(ValueError("plantilla rota")))
    monkeypatch.setattr(outputs, "xlsx_bytes", broken(ValueError("libro roto")))
    monkeypatch.setattr(outputs, "csv_bytes", broken(ValueError("tabla rota")))
    with pytest.raises(Exception, match="plantilla rota"):
        generate(lima)
    report = ProgressReport.objects.get(city=lima)
    assert report.status == ProgressReport.Status.FAILED
    for error in ("html: ValueError: plantilla rota", "pdf: ValueError: plantilla rota", "libro roto", "tabla rota"):
        assert error in report.error


@pytest.mark.django_db
def test_an_error_of_the_machine_is_not_an_outputs_own(lima, october, monkeypatch):
    """A full disk, the database or the time limit stop the report (the task retries it)."""
    snapshot = generate(lima).snapshot
    monkeypatch.setattr(outputs, "render_pdf", broken(OSError("No queda espacio en el disco")))
    with pytest.raises(OSError, match="No queda espacio"):
        outputs.render_outputs(snapshot=snapshot, language="es", name="Lima")


# Any text, as a cell of either spreadsheet: any Unicode (surrogates and NUL included, which no
# form lets in but an old row or a hand-made import might hold), and text made to look like a
# formula behind characters the writers drop.
CELL_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None, categories=["Cc", "Cs", "Cn", "Zl", "Zp", "Cf"]), max_size=20),
    st.builds(
        "".join,
        st.lists(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\x0b", "\x00", "\x1f", "\ufffe", "a", "1"])),
    ),
)
CELLS = st.lists(st.one_of(CELL_TEXT, st.integers(), st.none(), st.booleans()), min_size=1, max_size=5)


def visible(text):
    """What a reader sees of `text`: its printable characters but spaces."""
    return "".join(character for character in text if character.isprintable() and not character.isspace())


def formula_safe(value):
    return not (isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")))


@examples(300, deadline=None)
@given(rows=st.lists(CELLS, min_size=1, max_size=4), title=st.text(min_size=1, max_size=40))
def test_any_stored_text_goes_through_both_spreadsheets(rows, title):
    headers = [f"c{index}" for index in range(max(map(len, rows)))]
    text = exports.csv_bytes(headers, rows).decode("utf-8-sig")
    written = list(csv.reader(io.StringIO(text, newline="")))
    assert len(written) == 1 + len(rows)
    for typed, row in zip(rows, written[1:], strict=True):
        assert all(formula_safe(cell) for value, cell in zip(typed, row, strict=True) if isinstance(value, str))

    workbook = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes([(title, headers, rows)])))
    sheet = workbook.worksheets[0]
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(cells) == len(rows)
    for typed, row in zip(rows, cells, strict=True):
        for value, cell in zip(typed, row, strict=False):
            if isinstance(value, str):
                assert formula_safe(cell)
                shown = "" if cell is None else str(cell)
                assert visible(shown) in (visible(value), "'" + visible(value))  # kept, maybe marked as text
