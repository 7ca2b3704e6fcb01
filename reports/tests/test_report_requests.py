"""Asking for reports is bounded: only periods from the city's first appointment to the last one
that has ended, a limited number an hour per person, and dates the panel can draw. Anything else
gets a message, with what was typed kept, never a server error or a task."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from ambassadors import access
from ambassadors.models import AccessCounter
from core.tests.threads import at_once
from reports.models import ProgressReport
from reports.services import REPORT_REQUESTS_PER_HOUR

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
NOT_ENDED = "Ese periodo todavía no termina"
LIMITED = f"Ya pidió {REPORT_REQUESTS_PER_HOUR} informes en esta hora, el máximo."


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def ask(client, city, *, kind="month", day="2026-10-15"):
    return client.post(reverse("reports:reports"), {"city": city.pk, "kind": kind, "day": day, "language": "es"})


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
@pytest.mark.parametrize(("day", "refusal"), [("9999-12-15", NOT_ENDED), ("0001-01-01", "Lima tiene informes desde")])
def test_a_report_of_year_9999_or_year_1_is_refused_with_a_message(client_for, ambassador, lima, kind, day, refusal):
    response = ask(client_for(ambassador), lima, kind=kind, day=day)
    page = response.content.decode()
    assert response.status_code == 200
    assert refusal in page and f'value="{day}"' in page
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_reports_start_with_the_period_of_the_citys_first_appointment(client_for, ambassador, lima):
    client = client_for(ambassador)  # appointed on 1 March 2025
    page = ask(client, lima, day="2025-02-28").content.decode()
    assert "Lima tiene informes desde el 01/03/2025, cuando empezó su primer nombramiento en la red." in page
    assert ask(client, lima, kind="quarter", day="2025-01-15").status_code == 302  # the quarter holds 1 March
    assert ask(client, lima, day="2025-03-01").status_code == 302
    assert ProgressReport.objects.count() == 2


@pytest.mark.django_db
def test_the_message_is_in_the_users_language(client_for, ambassador, lima):
    client = client_for(ambassador)
    client.post(reverse("set_language"), {"language": "en"})
    page = ask(client, lima, day="2025-02-28").content.decode()
    assert "Lima has reports from 03/01/2025, when its first appointment in the network began." in page


@pytest.mark.django_db
def test_a_person_asks_for_so_many_reports_an_hour_and_is_told_when_to_ask_again(
    client_for, coordinator, ambassador, lima
):
    client = client_for(coordinator)
    for month in range(REPORT_REQUESTS_PER_HOUR):
        day = datetime.date(2025, 3, 1) + datetime.timedelta(days=31 * month)
        assert ask(client, lima, day=day.isoformat()).status_code == 302
    assert ask(client, lima, day="2026-10-15").status_code == 302  # one that exists costs nothing
    response = ask(client, lima, kind="quarter", day="2026-08-15")
    page = response.content.decode()
    assert response.status_code == 200
    assert LIMITED in page and "Podrá pedir otro a partir de las 07:00." in page  # 13:00 UTC, Mexico City's time
    assert 'value="2026-08-15"' in page
    assert ProgressReport.objects.count() == REPORT_REQUESTS_PER_HOUR
    assert ask(client_for(ambassador), lima, kind="quarter", day="2026-08-15").status_code == 302  # another person may
    with time_machine.travel(TODAY + datetime.timedelta(hours=1), tick=False):
        assert ask(client_for(coordinator), lima, kind="year", day="2025-06-15").status_code == 302


@pytest.mark.django_db
def test_asking_again_for_a_failed_report_counts_too(client_for, ambassador, lima):
    report = ProgressReport.objects.create(
        city=lima,
        kind="month",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        status=ProgressReport.Status.FAILED,
    )
    AccessCounter.objects.create(
        limit=AccessCounter.Limit.REPORT_REQUEST,
        username="alicia",
        window_started_at=TODAY,
        count=REPORT_REQUESTS_PER_HOUR,
    )
    client = client_for(ambassador)
    response = client.post(reverse("reports:report_retry", args=[report.pk]), follow=True)
    assert LIMITED in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_are_counted_exactly(ambassador):
    if connection.vendor != "postgresql":
        pytest.skip("parallel requests need a database that takes them at once (CI: PostgreSQL)")

    def claim(_number):
        return access.person_rate_claim(
            limit=AccessCounter.Limit.REPORT_REQUEST, user=ambassador, most=5, window=datetime.timedelta(hours=1)
        )

    outcomes = at_once(claim, list(range(12)))
    assert sum(outcome is None for outcome in outcomes) == 5
    assert all(isinstance(outcome, datetime.datetime) for outcome in outcomes if outcome is not None)
    assert AccessCounter.objects.get(limit=AccessCounter.Limit.REPORT_REQUEST).count == 5


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reports:overview", "reports:cities"])
@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"start": "9999-01-01"}, "Elija una fecha hasta el 31/12/2026."),
        ({"start": "9999-01-01", "end": "9999-12-31"}, "Elija una fecha hasta el 31/12/2026."),
        ({"start": "2026-01-01", "end": "9999-12-31"}, "Elija una fecha hasta el 31/12/2026."),
        ({"start": "2026-02-30", "end": "2026-12-31"}, "Introduzca una fecha válida."),
        ({"start": "0001-01-01", "end": "0001-12-31"}, "0001-12-31"),
    ],
)
def test_the_panel_answers_any_dates_with_a_message_and_keeps_them(client_for, coordinator, name, query, shown):
    response = client_for(coordinator).get(reverse(name), {"period": "custom", **query})
    page = response.content.decode()
    assert response.status_code == 200
    assert shown in page
    assert all(f'value="{value}"' in page for value in query.values())
