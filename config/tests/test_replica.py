"""The read replica (core/replica.py) against a real PostgreSQL streaming replica. `make
replica-check` (ops/replica_check.py) starts a throwaway primary and a replica of it on loopback
and runs these tests with DATABASE_URL (database `test` on the primary) and DATABASE_REPLICA_URL
pointing at them; the normal run leaves them out (pytest.ini: -m "not replica").

The replica lags on purpose: its replay is paused (pg_wal_replay_pause) while the primary takes
new writes, so what a page shows tells which server it read."""

import contextlib
import datetime
import logging
import socket
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Action
from commitments.tests.factories import ActionFactory
from core import replica
from core.replica import pin_key
from reports.models import ProgressReport
from reports.tasks import generate_city_report
from reports.tests.factories import ProgressReportFactory, ReportedActionFactory

pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True, databases={"default", "replica"})]

PERIOD = {"period": "custom", "start": "2026-01-01", "end": "2026-11-30"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    """No test database is made: the tables are created in the pair's own database `test` on the
    primary and reach the replica by streaming (Django's MIRROR would point "replica" at the
    primary itself)."""
    primary = settings.DATABASES["default"]
    if "replica" not in settings.DATABASES or primary["NAME"] != "test" or primary["HOST"] != "127.0.0.1":
        pytest.fail("These tests flush the database they run on: run them through `make replica-check`.")
    # The tables straight from the models, as pytest-django's --no-migrations does (a minute
    # less on a busy two-core machine; makemigrations --check keeps models and migrations alike;
    # what the data migrations load, a transactional test's flush removes anyway).
    with django_db_blocker.unblock(), override_settings(MIGRATION_MODULES=_NoMigrations()):
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
        assert _on("replica", "SELECT pg_is_in_recovery()") is True, "DATABASE_REPLICA_URL is not a standby"


class _NoMigrations(dict):
    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


def _on(alias, sql, parameters=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchone()[0]


def _until(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} after {timeout} s"
        time.sleep(0.05)


def caught_up():
    """Until the replica has replayed everything the primary has written so far."""
    lsn = _on("default", "SELECT pg_current_wal_lsn()::text")
    _until(lambda: _on("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]), "replica behind")


@contextlib.contextmanager
def paused():
    """The replica stops replaying (it keeps what it has) until the block ends: whatever is
    written meanwhile is on the primary only, until `caught_up` after the block."""
    _on("replica", "SELECT pg_wal_replay_pause()::text")
    try:
        _until(lambda: _on("replica", "SELECT pg_get_wal_replay_pause_state()") == "paused", "replay not paused")
        yield
    finally:
        _on("replica", "SELECT pg_wal_replay_resume()::text")


@pytest.fixture
def clients(ambassador, coordinator):
    """Alicia (ambassador of Lima) and Carla (coordinator of Peru), each with a browser of her own
    and no pin left from an earlier run on the same cache."""
    cache.delete_many([pin_key(user.pk) for user in (ambassador, coordinator)])
    alicia, carla = Client(), Client()
    alicia.force_login(ambassador)
    carla.force_login(coordinator)
    return alicia, carla


def read(client, name, *args, params=None):
    """GET a page; its context and the number of the page's queries the replica answered (not
    counting the question of how far it has replayed, asked for a person who wrote)."""
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse(name, args=args), params or {})
    assert response.status_code == 200
    return response.context, len([query for query in on_replica if "pg_last_wal_replay_lsn" not in query["sql"]])


def test_the_coordinators_dashboards_read_the_replica_and_show_new_work_once_it_is_replayed(
    seeded_catalogue, clients, ambassador, admin, lima
):
    _alicia, carla = clients
    ReportedActionFactory(by=ambassador, reviewer=admin)
    caught_up()
    with paused():
        ReportedActionFactory(by=ambassador, reviewer=admin)  # another person's approval, committed on the primary
        assert Action.objects.filter(status="approved").count() == 2

        overview, on_replica = read(carla, "reports:overview", params=PERIOD)
        assert overview["figures"]["approved_actions"] == 1
        assert on_replica > 0
        cities, on_replica = read(carla, "reports:cities", params=PERIOD)
        assert [row.values["approved"] for row in cities["table"]["rows"]] == [1]
        assert on_replica > 0
        report = ProgressReportFactory(city=lima)  # asked for by someone else
        reports, on_replica = read(carla, "reports:reports")
        assert (list(reports["page"]), on_replica > 0) == ([], True)
    caught_up()
    overview, on_replica = read(carla, "reports:overview", params=PERIOD)
    assert overview["figures"]["approved_actions"] == 2
    assert on_replica > 0
    reports, on_replica = read(carla, "reports:reports")
    assert (list(reports["page"]), on_replica > 0) == ([report], True)


def submitted(city_page):
    """The actions the city's dashboard shows as sent for review lately."""
    return [change.action_id for change in city_page["recent"] if change.to_status == "submitted"]


def test_a_person_who_writes_reads_the_primary_on_the_next_page_even_a_dashboard(
    seeded_catalogue, clients, ambassador, lima
):
    alicia, carla = clients
    draft = ActionFactory(by=ambassador)
    caught_up()
    with paused():
        response = alicia.post(reverse("commitments:action_submit", args=[draft.pk]))
        assert response.status_code == 302
        assert Action.objects.get(pk=draft.pk).status == "submitted"

        # Alicia's next pages: her city's dashboard (which reads the replica otherwise) and her list.
        city, on_replica = read(alicia, "reports:city_progress", lima.pk)
        assert draft.pk in submitted(city)
        assert on_replica == 0
        actions, on_replica = read(alicia, "commitments:actions")
        assert draft.pk in [action.pk for action in actions["page"]]
        assert on_replica == 0

        # The control: Carla wrote nothing, so the same dashboard reads the lagging replica.
        city, on_replica = read(carla, "reports:city_progress", lima.pk)
        assert draft.pk not in submitted(city)
        assert on_replica > 0


def test_the_writer_reads_the_primary_however_long_the_replica_lags_and_the_replica_once_it_replays(
    seeded_catalogue, clients, ambassador, lima
):
    alicia, _carla = clients
    draft = ActionFactory(by=ambassador)
    caught_up()
    with paused():
        assert alicia.post(reverse("commitments:action_submit", args=[draft.pk])).status_code == 302
        city, on_replica = read(alicia, "reports:city_progress", lima.pk)
        assert (draft.pk in submitted(city), on_replica) == (True, 0)
        time.sleep(1.5)  # longer than a pin of a second would have lasted: the replay decides, not a clock
        city, on_replica = read(alicia, "reports:city_progress", lima.pk)
        assert (draft.pk in submitted(city), on_replica) == (True, 0)
    caught_up()
    # Her write is on the replica now: her dashboard reads it again, long before the pin ends.
    assert settings.REPLICA_PIN_SECONDS >= 10
    city, on_replica = read(alicia, "reports:city_progress", lima.pk)
    assert (draft.pk in submitted(city), on_replica > 0) == (True, True)


def test_a_report_task_reads_the_replica(seeded_catalogue, ambassador, admin, lima):
    march = datetime.date(2026, 3, 1)
    ReportedActionFactory(by=ambassador, reviewer=admin, started_on=datetime.date(2026, 3, 10))
    report = ProgressReportFactory(city=lima, period_start=march, period_end=datetime.date(2026, 3, 31))
    caught_up()
    with paused():
        ReportedActionFactory(by=ambassador, reviewer=admin, started_on=datetime.date(2026, 3, 20))
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            generate_city_report.apply((lima.pk, "month", march.isoformat()), {"with_pdf": False})
        report.refresh_from_db()
        assert (report.status, report.snapshot["totals"]["approved"]) == (ProgressReport.Status.READY, 1)
        assert len(on_replica) > 0
    caught_up()
    generate_city_report.apply((lima.pk, "month", march.isoformat()), {"with_pdf": False, "force": True})
    report.refresh_from_db()
    assert report.snapshot["totals"]["approved"] == 2


def test_with_the_replica_unreachable_the_dashboards_and_reports_read_the_primary(
    seeded_catalogue, clients, ambassador, admin, lima, monkeypatch, caplog
):
    _alicia, carla = clients
    ReportedActionFactory(by=ambassador, reviewer=admin)
    march = {"period_start": datetime.date(2026, 3, 1), "period_end": datetime.date(2026, 3, 31)}
    report = ProgressReportFactory(city=lima, **march)
    with socket.socket() as probe:  # a port nothing listens on: connecting is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    connections["replica"].close()
    monkeypatch.setitem(connections["replica"].settings_dict, "PORT", str(closed_port))
    monkeypatch.setattr(replica, "_replica_down_until", 0.0)  # restored after: later tests try it again
    with caplog.at_level(logging.WARNING, logger="core.replica"):
        response = carla.get(reverse("reports:overview"), PERIOD)
        assert response.status_code == 200
        assert response.context["figures"]["approved_actions"] == 1
        # Then the process leaves the replica alone for a while: no second failure, no second wait.
        assert carla.get(reverse("reports:cities"), PERIOD).status_code == 200
        generate_city_report.apply((lima.pk, "month", "2026-03-01"), {"with_pdf": False})
    report.refresh_from_db()
    assert (report.status, report.snapshot["totals"]["approved"]) == (ProgressReport.Status.READY, 1)
    assert caplog.text.count("The replica failed") == 1
