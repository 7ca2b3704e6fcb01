"""Progress reports: the due cities, one report per city and period, retries, frozen wording, and
four outputs whose figures equal independent ORM counts."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
import time_machine
from django.db.models import Count, Sum

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments import services
from commitments.models import Action, Commitment, Evidence, Indicator
from funding.tests.factories import OpportunityFactory
from reports import outputs, tasks
from reports import services as report_services
from reports.content import present
from reports.models import ProgressReport
from reports.periods import Period
from reports.services import due_cities
from reports.tests.factories import ReportedActionFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
Q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def quarter_work(ambassador, other_ambassador, coordinator, admin, pen_rate):
    """Lima: three approved actions in the third quarter of 2026, one in the second, and some that
    do not count; two funding opportunities identified in the quarter, one before. Rosario: one
    approved action in the third quarter."""
    river = ReportedActionFactory(
        by=ambassador,
        reviewer=coordinator,
        started_on=datetime.date(2026, 8, 10),
        people_reached=100,
        women_reached=60,
        men_reached=40,
        title="Limpieza del río Rímac",
    )
    Evidence.objects.create(action=river, url="https://example.org/foto", title="Fotos", uploaded_by=ambassador)
    ReportedActionFactory(
        by=ambassador,
        reviewer=coordinator,
        commitment="1.1",
        started_on=datetime.date(2026, 9, 1),
        people_reached=30,
        youth_reached=10,
    )
    ReportedActionFactory(by=ambassador, reviewer=coordinator, commitment="1.4", started_on=datetime.date(2026, 7, 15))
    OpportunityFactory(
        by=ambassador, amount=Decimal("1000"), currency="PEN", identified_on=datetime.date(2026, 7, 15),
        stage="awarded", amount_awarded=Decimal("1000"),
    )  # fmt: skip
    OpportunityFactory(
        by=ambassador,
        amount=Decimal("500"),
        currency="USD",
        identified_on=datetime.date(2026, 7, 15),
        stage="submitted",
    )
    OpportunityFactory(
        by=ambassador, amount=Decimal("60"), identified_on=datetime.date(2026, 6, 30)
    )  # the quarter before
    ReportedActionFactory(by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 5, 1), people_reached=999)
    ReportedActionFactory(by=ambassador, status="submitted", started_on=datetime.date(2026, 8, 20), people_reached=50)
    ReportedActionFactory(by=ambassador, status="draft", started_on=datetime.date(2026, 8, 21))
    ReportedActionFactory(by=other_ambassador, reviewer=admin, started_on=datetime.date(2026, 8, 1), people_reached=400)


@pytest.fixture
def failures_kept():
    """Eager tasks report a failure in their result instead of raising it, as a worker does; so the
    retries run (eagerly) one after the other before the last failure is recorded."""
    from celery import current_app as app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def generate(city, kind="quarter", start=Q3.start, **options):
    tasks.generate_city_report.delay(city.pk, kind, start.isoformat(), **options)
    return ProgressReport.objects.get(city=city, kind=kind, period_start=start)


@pytest.mark.django_db
def test_the_due_cities_are_those_whose_ambassador_was_in_office_during_the_period(
    ambassador, other_ambassador, lima, rosario, peru
):
    paused = CityFactory(country=peru, name="Cusco")
    ambassador_services.ambassador_appoint(city=paused, user=UserFactory(), appointed_on=datetime.date(2025, 1, 1))
    paused.ambassadors.update(status="paused")
    late = CityFactory(country=peru, name="Arequipa")
    ambassador_services.ambassador_appoint(city=late, user=UserFactory(), appointed_on=datetime.date(2026, 11, 2))
    CityFactory(country=peru, name="Trujillo")  # never had an ambassador
    ended = CityFactory(country=peru, name="Piura")  # the term ended during October: still reported
    ambassador_services.ambassador_appoint(
        city=ended, user=UserFactory(), appointed_on=datetime.date(2024, 1, 1), term_ends_on=datetime.date(2026, 10, 20)
    )
    gone = CityFactory(country=peru, name="Tacna")  # ended before October: not reported
    ambassador_services.ambassador_appoint(
        city=gone, user=UserFactory(), appointed_on=datetime.date(2024, 1, 1), term_ends_on=datetime.date(2026, 9, 20)
    )
    ambassador_services.ambassadors_end_expired_terms(today=datetime.date(2026, 11, 1))
    cities, period = due_cities(kind="month", today=datetime.date(2026, 11, 24))
    assert period == Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    assert set(cities) == {lima, rosario, ended}


@pytest.mark.django_db
def test_the_fan_out_queues_exactly_the_due_cities_and_skips_those_already_ready(
    ambassador, other_ambassador, lima, rosario, peru
):
    CityFactory(country=peru, name="Trujillo")
    # The two cities' reports and the network's (no country has a coordinator here).
    assert tasks.generate_due_reports.delay("quarter").get() == 3
    reports = ProgressReport.objects.filter(kind="quarter", period_start=Q3.start, scope="city")
    assert {report.city for report in reports} == {lima, rosario}
    assert {report.status for report in reports} == {ProgressReport.Status.READY}
    assert all(report.requested_by is None for report in reports)
    assert tasks.generate_due_reports.delay("quarter").get() == 0  # all ready: nothing to queue


@pytest.mark.django_db
def test_generating_twice_leaves_one_report_and_a_forced_run_replaces_its_files(
    quarter_work, lima, django_capture_on_commit_callbacks
):
    first = generate(lima)
    assert first.status == ProgressReport.Status.READY
    old_pdf = first.pdf_file.name
    assert tasks.generate_city_report.delay(lima.pk, "quarter", "2026-08-15").get() == "skipped"
    assert ProgressReport.objects.filter(city=lima).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = generate(lima, force=True)
    assert ProgressReport.objects.filter(city=lima).count() == 1
    assert again.pk == first.pk and again.attempts == 2
    assert again.pdf_file.name != old_pdf
    assert not again.pdf_file.storage.exists(old_pdf)


@pytest.mark.django_db
def test_a_failing_generation_is_retried_then_marked_failed_with_its_error(
    quarter_work, lima, monkeypatch, failures_kept
):
    calls = []

    def full_disk(html):
        calls.append(html)
        raise OSError("No queda espacio en el disco")

    monkeypatch.setattr(outputs, "render_pdf", full_disk)
    result = tasks.generate_city_report.delay(lima.pk, "quarter", Q3.start.isoformat())
    assert result.failed() and isinstance(result.result, OSError)
    report = ProgressReport.objects.get(city=lima)
    assert len(calls) == tasks.REPORT_RETRIES + 1
    assert report.status == ProgressReport.Status.FAILED
    assert report.attempts == tasks.REPORT_RETRIES + 1
    assert "No queda espacio en el disco" in report.error
    assert not report.pdf_file


@pytest.mark.django_db
def test_a_transient_failure_then_success_ends_ready(quarter_work, lima, monkeypatch, failures_kept):
    real = outputs.render_pdf
    failures = iter([OSError("red caída")])

    def flaky(html):
        error = next(failures, None)
        if error:
            raise error
        return real(html)

    monkeypatch.setattr(outputs, "render_pdf", flaky)
    report = generate(lima)
    assert report.status == ProgressReport.Status.READY
    assert report.attempts == 2
    assert report.error == ""


@pytest.mark.django_db
def test_a_programming_error_is_not_retried(quarter_work, lima, monkeypatch):
    def broken(**arguments):
        raise ValueError("plantilla rota")

    monkeypatch.setattr(report_services, "build_snapshot", broken)
    with pytest.raises(ValueError):
        generate(lima)
    report = ProgressReport.objects.get(city=lima)
    assert (report.status, report.attempts) == (ProgressReport.Status.FAILED, 1)
    assert report.error == "ValueError: plantilla rota"


@pytest.mark.django_db
def test_the_figures_equal_independent_orm_counts(quarter_work, lima):
    snapshot = generate(lima).snapshot
    approved = Action.objects.filter(city=lima, status="approved", started_on__range=(Q3.start, Q3.end))
    expected = approved.aggregate(n=Count("pk"), people=Sum("people_reached"), youth=Sum("youth_reached"))
    assert snapshot["totals"]["approved"] == expected["n"] == 3
    assert snapshot["totals"]["people"] == expected["people"]
    assert snapshot["totals"]["youth"] == expected["youth"]
    assert snapshot["previous_totals"]["approved"] == 1
    by_commitment = {entry["code"]: entry["approved"] for entry in snapshot["commitments"]}
    for commitment in Commitment.objects.with_axis():
        assert by_commitment[commitment.code] == approved.filter(commitment=commitment).count()
    by_axis = {axis["number"]: axis["approved"] for axis in snapshot["axes"]}
    assert by_axis == {n: approved.filter(commitment__axis__number=n).count() for n in by_axis}
    money = {
        (stage["stage"], row["currency"]): Decimal(row["amount"])
        for stage in snapshot["money"]["stages"]
        for row in stage["currencies"]
    }
    assert money == {("awarded", "PEN"): Decimal("1000.00"), ("submitted", "USD"): Decimal("500.00")}
    assert "funds" not in snapshot
    assert [entry["title"] for entry in snapshot["highlights"]] == ["Limpieza del río Rímac"]
    assert len(snapshot["actions"]) == 3
    assert {(entry["id"], entry["commitment"]) for entry in snapshot["actions"]} == {
        (action.pk, action.commitment.code) for action in approved.select_related("commitment__axis")
    }


@pytest.mark.django_db
def test_the_narrative_states_the_true_numbers_in_each_language(quarter_work, lima):
    report = generate(lima)
    approved = Action.objects.filter(city=lima, status="approved", started_on__range=(Q3.start, Q3.end)).count()
    before = Action.objects.filter(
        city=lima, status="approved", started_on__range=(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    ).count()
    spanish = present(report.snapshot, "es")["narrative"]
    assert (
        f"En el trimestre 3 de 2026, Lima registró {approved} acciones aprobadas, "
        f"{approved - before} más que en el trimestre 2 de 2026." in spanish
    )
    assert "En total se alcanzó a 130 personas. Entre ellas, 60 mujeres y 10 jóvenes." in spanish
    assert "El financiamiento otorgado suma 250,00 USD." in spanish  # 1000 PEN at 0.25
    english = present(report.snapshot, "en")["narrative"]
    assert (
        f"In quarter 3 of 2026, Lima recorded {approved} approved actions, "
        f"{approved - before} more than in quarter 2 of 2026." in english
    )
    portuguese = present(report.snapshot, "pt-br")["narrative"]
    assert (
        f"No 3º trimestre de 2026, Lima registrou {approved} ações aprovadas, "
        f"{approved - before} a mais que no 2º trimestre de 2026." in portuguese
    )


@pytest.mark.django_db
def test_the_pdf_is_a_valid_pdf_naming_the_city_and_the_period(quarter_work, lima):
    report = generate(lima)
    content = report.pdf_file.read()
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Lima" in text
    assert "Trimestre 3 de 2026" in text
    assert "Limpieza del río Rímac" in text


@pytest.mark.django_db
def test_the_xlsx_opens_and_has_the_same_figures_as_the_csv(quarter_work, lima):
    report = generate(lima)
    rows = list(csv.reader(io.StringIO(report.csv_file.read().decode("utf-8-sig"))))
    workbook = openpyxl.load_workbook(io.BytesIO(report.xlsx_file.read()))
    sheet = workbook.worksheets[0]
    xlsx_rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows[0] == rows[0] == ["Sección", "Código", "Concepto", "Valor", "Periodo anterior"]

    def total(table, concept):
        """The concept's value; a money figure's in USD (its rows per currency come first)."""
        return next(Decimal(row[3]) for row in table if row[2] == concept and row[1] in ("", "USD"))

    for concept in ("Acciones aprobadas", "Personas alcanzadas", "Buscado", "Otorgado", "Desembolsado"):
        assert total(rows, concept) == total(xlsx_rows, concept)
    assert total(rows, "Acciones aprobadas") == 3
    # Money sought (500 USD submitted) and awarded (1000 PEN at 0.25), never added together.
    assert total(rows, "Buscado") == Decimal("500.00")
    assert total(rows, "Otorgado") == Decimal("250.00")
    assert total(rows, "Desembolsado") == 0
    assert not [row for row in rows if row[3] == "750.00"]
    assert [sheet.title for sheet in workbook.worksheets] == ["Cifras", "Metas", "Acciones", "Eventos de riesgo"]
    assert workbook["Acciones"].max_row == 1 + 3


@pytest.mark.django_db
def test_editing_a_commitment_after_a_report_leaves_that_reports_wording(quarter_work, lima):
    report = generate(lima)
    commitment = Commitment.objects.get(axis__number=3, number=1)
    original = commitment.title_es
    commitment.title_es = "Título cambiado después"
    commitment.save()
    Indicator.objects.filter(commitment=commitment).update(name_es="Nombre cambiado")
    report.refresh_from_db()
    titles = {entry["code"]: entry["title"] for entry in present(report.snapshot, "es")["commitments"]}
    assert titles["3.1"] == original
    assert "Título cambiado después" not in report.html_file.read().decode()


@pytest.mark.django_db
def test_a_report_judges_targets_as_of_its_period_end(quarter_work, lima, ambassador, coordinator):
    indicator = Indicator.objects.filter(
        commitment__axis__number=3, commitment__number=1, aggregation="cumulative"
    ).first()
    services.target_save(
        by=ambassador, city=lima, indicator=indicator, horizon="short", baseline=Decimal(0), baseline_year=2025,
        target_value=Decimal(100), due_on=datetime.date(2026, 12, 31),
    )  # fmt: skip
    action = ReportedActionFactory(by=ambassador, status="draft", started_on=datetime.date(2026, 10, 2))
    services.action_update(action=action, by=ambassador, data={}, indicator_values={indicator.pk: Decimal(100)})
    services.action_submit(action=action, by=ambassador)
    services.action_approve(action=action, by=coordinator)
    target = generate(lima).snapshot["targets"][0]
    assert target["current_value"] == "0.00"  # the October value came after the quarter
    assert target["status"] != "achieved"


@pytest.mark.django_db
def test_a_report_whose_worker_died_is_taken_back_by_the_hourly_sweep(
    quarter_work, lima, django_capture_on_commit_callbacks
):
    report = ProgressReport.objects.create(
        city=lima, kind="quarter", period_start=Q3.start, period_end=Q3.end, status="running", attempts=1
    )
    assert tasks.generate_city_report.delay(lima.pk, "quarter", Q3.start.isoformat()).get() == "skipped"  # held
    ProgressReport.objects.filter(pk=report.pk).update(updated_at=TODAY - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_report_digests.delay()
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ProgressReport.Status.READY, 2)


@pytest.mark.django_db
def test_a_report_without_its_pdf_has_the_other_three_files_and_drops_an_earlier_pdf(
    quarter_work, lima, monkeypatch, django_capture_on_commit_callbacks
):
    with_pdf = generate(lima)
    old_pdf = with_pdf.pdf_file.name

    def no_pdf_expected(html):
        raise AssertionError("the PDF was rendered")

    monkeypatch.setattr(outputs, "render_pdf", no_pdf_expected)
    with django_capture_on_commit_callbacks(execute=True):
        report = generate(lima, force=True, with_pdf=False)
    assert report.status == ProgressReport.Status.READY
    assert [name for name, _field in report.files()] == ["html", "xlsx", "csv"]
    assert not report.pdf_file
    assert not with_pdf.pdf_file.storage.exists(old_pdf)  # it showed the figures of before
    assert report.snapshot["totals"]["approved"] == 3
