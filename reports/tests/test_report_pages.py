"""Report pages: asking for a report, following it, reading and downloading it, within scope only."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.models import EmailPreferences
from reports import services, tasks
from reports.models import ProgressReport
from reports.tests.factories import ReportedActionFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def ask(client, city, *, kind="month", day="2026-10-15", language="es"):
    return client.post(reverse("reports:reports"), {"city": city.pk, "kind": kind, "day": day, "language": language})


@pytest.fixture
def rosario_report(other_ambassador, rosario):
    tasks.generate_city_report.delay(rosario.pk, "month", "2026-10-01")
    return ProgressReport.objects.get(city=rosario)


@pytest.mark.django_db
def test_an_ambassador_asks_for_their_citys_report_and_reads_it(
    client_for, ambassador, lima, coordinator, django_capture_on_commit_callbacks
):
    ReportedActionFactory(
        by=ambassador, reviewer=coordinator, started_on=datetime.date(2026, 10, 3), title="Huerto escolar"
    )
    client = client_for(ambassador)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, lima)
    report = ProgressReport.objects.get(city=lima, kind="month", period_start=datetime.date(2026, 10, 1))
    assert response.status_code == 302 and response.url == reverse("reports:report", args=[report.pk])
    assert report.requested_by == ambassador and report.status == ProgressReport.Status.READY
    page = client.get(response.url)
    assert (
        "En octubre de 2026, Lima registró 1 acción aprobada, frente a ninguna en septiembre de 2026."
        in page.content.decode()
    )
    pdf = client.get(reverse("reports:report_download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    # Asking again shows the same report: nothing is generated twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = ask(client, lima, day="2026-10-30")
    assert again.url == response.url
    assert ProgressReport.objects.get(pk=report.pk).attempts == 1


@pytest.mark.django_db
def test_an_ambassador_cannot_ask_for_read_or_download_another_citys_report(
    client_for, ambassador, rosario, rosario_report
):
    client = client_for(ambassador)
    response = ask(client, rosario, day="2026-09-10")
    assert response.status_code == 200
    assert "city" in response.context["form"].errors
    assert not ProgressReport.objects.filter(city=rosario, period_start=datetime.date(2026, 9, 1)).exists()
    for name, args in [
        ("reports:report", [rosario_report.pk]),
        ("reports:report_status", [rosario_report.pk]),
        ("reports:report_download", [rosario_report.pk, "pdf"]),
        ("reports:report_download", [rosario_report.pk, "csv"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("reports:report_retry", args=[rosario_report.pk])).status_code == 404
    assert rosario_report not in client.get(reverse("reports:reports")).context["page"].object_list


@pytest.mark.django_db
def test_coordinators_read_the_reports_of_their_countries_only(
    client_for, coordinator, coordinator_elsewhere, ambassador, lima, rosario_report
):
    tasks.generate_city_report.delay(lima.pk, "month", "2026-10-01")
    lima_report = ProgressReport.objects.get(city=lima)
    carla = client_for(coordinator)
    assert carla.get(reverse("reports:report", args=[lima_report.pk])).status_code == 200
    assert carla.get(reverse("reports:report", args=[rosario_report.pk])).status_code == 404
    assert list(carla.get(reverse("reports:reports")).context["page"].object_list) == [lima_report]
    diego = client_for(coordinator_elsewhere)
    assert diego.get(reverse("reports:report", args=[lima_report.pk])).status_code == 404
    assert diego.get(reverse("reports:report_download", args=[lima_report.pk, "xlsx"])).status_code == 404


@pytest.mark.django_db
def test_a_period_still_running_is_refused_and_the_form_keeps_what_was_typed(client_for, ambassador, lima):
    client = client_for(ambassador)
    for day in ("2027-02-01", "2026-11-02"):  # next quarter; this one, which would freeze half-done
        response = ask(client, lima, kind="quarter", day=day, language="en")
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["day"] == [
            "Ese periodo todavía no termina: su informe se puede pedir desde el día siguiente."
        ]
        assert (form["kind"].value(), form["day"].value(), form["language"].value()) == ("quarter", day, "en")
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.on_commit_errors_expected  # the eager task fails, by design of the test
def test_a_failed_report_says_so_shows_why_to_admins_only_and_can_be_retried(
    client_for, ambassador, admin, lima, monkeypatch, django_capture_on_commit_callbacks
):
    real = services.build_snapshot

    def broken(**arguments):
        raise ValueError("la plantilla no cierra una etiqueta")

    monkeypatch.setattr(services, "build_snapshot", broken)
    client = client_for(ambassador)
    with django_capture_on_commit_callbacks(execute=True):  # robust: the error is logged, the page works
        ask(client, lima)
    report = ProgressReport.objects.get(city=lima)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "No se pudo generar el informe." in page
    assert "la plantilla no cierra una etiqueta" not in page  # errors may name servers: admins only
    assert reverse("reports:report_retry", args=[report.pk]) in page
    client.force_login(admin)
    assert (
        "la plantilla no cierra una etiqueta"
        in client.get(reverse("reports:report", args=[report.pk])).content.decode()
    )
    client.force_login(ambassador)
    monkeypatch.setattr(services, "build_snapshot", real)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert (report.status, report.error, report.attempts) == (ProgressReport.Status.READY, "", 2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_retry", args=[report.pk]))  # a second click: nothing to retry
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ProgressReport.Status.READY, 2)


@pytest.mark.django_db
def test_a_report_being_written_shows_its_status_to_poll(client_for, ambassador, lima):
    report = ProgressReport.objects.create(
        city=lima, kind="month", period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 10, 31)
    )
    client = client_for(ambassador)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert 'aria-live="polite"' in page and reverse("reports:report_status", args=[report.pk]) in page
    status = client.get(reverse("reports:report_status", args=[report.pk])).json()
    assert status == {"status": "pending", "label": "En cola", "done": False}


@pytest.mark.django_db
def test_the_report_list_runs_a_fixed_number_of_queries(
    client_for, coordinator, ambassador, lima, peru, django_assert_max_num_queries
):
    from ambassadors.tests.factories import CityFactory

    for index in range(12):
        city = CityFactory(country=peru, name=f"Ciudad {index}")
        ProgressReport.objects.create(
            city=city, kind="month", period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 10, 31)
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:reports"))
    assert len(response.context["page"].object_list) == 12


@pytest.mark.django_db
def test_each_person_chooses_the_emails_they_get(client_for, ambassador):
    client = client_for(ambassador)
    page = client.get(reverse("reports:email_preferences"))
    # Ambassadors get a weekly summary the weeks there are new practices on what they follow.
    assert "weekly_summary" in page.context["form"].fields
    response = client.post(
        reverse("reports:email_preferences"), {"reminders": "weekly", "report_digests": "", "language": "pt-br"}
    )
    assert response.status_code == 302
    preferences = EmailPreferences.objects.get(user=ambassador)
    assert (preferences.reminders, preferences.report_digests, preferences.language) == ("weekly", False, "pt-br")
    assert not preferences.weekly_summary


@pytest.mark.django_db
def test_admin_reads_a_report_and_has_it_written_again_but_cannot_edit_or_delete_it(
    client_for, admin, rosario_report, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    change_url = reverse("admin:reports_progressreport_change", args=[rosario_report.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {"status": "failed"}).status_code == 403
    delete_url = reverse("admin:reports_progressreport_delete", args=[rosario_report.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reports_progressreport_changelist"),
            {"action": "regenerate", "_selected_action": [rosario_report.pk]},
        )
    assert response.status_code == 302
    rosario_report.refresh_from_db()
    assert rosario_report.status == ProgressReport.Status.READY and rosario_report.attempts == 2
