"""The quarterly schedule through a real Celery worker (Redis and PostgreSQL when DATABASE_URL and
REDIS_URL are set, as in CI): a report per coordinated country and one of the network, once."""

import datetime
import json
import uuid

import pytest
from celery import current_app as app
from celery.signals import task_postrun
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments.models import Action
from core.tests.celery import broker_of_its_own, eventually, real_worker
from reports.models import ProgressReport
from reports.periods import last_complete_period
from reports.tests.factories import ReportedActionFactory


@pytest.fixture
def isolated_broker(tmp_path):
    with broker_of_its_own(tmp_path):
        yield


@pytest.fixture
def finished():
    """{task id: its return value} of the tasks the worker thread finishes."""
    done = {}

    def record(task_id=None, retval=None, **kwargs):
        done[task_id] = retval

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_the_quarterly_schedule_writes_each_scopes_report_once_through_a_real_worker(
    seeded_catalogue, lima, coordinator, isolated_broker, finished, mailoutbox
):
    from core.schedules import install_periodic_tasks

    quarter = last_complete_period("quarter", timezone.localdate())
    cusco = CityFactory(country=lima.country, name="Cusco")
    alicia, ximena = UserFactory(username="alicia"), UserFactory(username="ximena")
    for city, user in ((lima, alicia), (cusco, ximena)):
        ambassador_services.ambassador_appoint(city=city, user=user, appointed_on=datetime.date(2025, 1, 1))
    middle = quarter.start + datetime.timedelta(days=40)
    for by, people in ((alicia, 12), (alicia, 8), (ximena, 30)):
        ReportedActionFactory(by=by, reviewer=coordinator, started_on=middle, people_reached=people)
    ReportedActionFactory(by=ximena, status="submitted", started_on=middle)  # not approved: not counted
    install_periodic_tasks()  # a flushed test database has lost what migrate installed
    entry = PeriodicTask.objects.get(name="Informes trimestrales")
    queue = f"test-{uuid.uuid4().hex}"
    scoped = ProgressReport.objects.exclude(scope="city")

    def digests():  # the reports' emails, not the approvals' notices
        return [message for message in mailoutbox if message.subject.startswith("Informe")]

    with real_worker(queues=[queue]):
        # What beat does when the entry is due: send its task with its arguments.
        app.send_task(entry.task, kwargs=json.loads(entry.kwargs), queue=queue)
        eventually(lambda: scoped.filter(status="ready").count() == 2 and len(digests()) == 3, timeout=120)
        written = {report.pk: (report.attempts, report.updated_at) for report in ProgressReport.objects.all()}
        second = app.send_task(entry.task, kwargs=json.loads(entry.kwargs), queue=queue)
        eventually(lambda: second.id in finished, timeout=60)
    assert finished[second.id] == 0  # every report was ready: nothing queued
    assert {report.pk: (report.attempts, report.updated_at) for report in ProgressReport.objects.all()} == written
    assert sorted(scoped.values_list("scope", "country", "kind", "period_start")) == [
        ("country", "PE", "quarter", quarter.start),
        ("network", None, "quarter", quarter.start),
    ]
    peru = scoped.get(scope="country")
    assert peru.pdf_file and peru.xlsx_file and peru.csv_file and peru.delivered_at
    cities = {entry["name"]: entry for entry in peru.snapshot["cities"]}
    for city in (lima, cusco):
        # Counted here with a plain filter, not through the report's code.
        approved = Action.objects.filter(city=city, status="approved", started_on__range=(quarter.start, quarter.end))
        assert cities[city.name]["approved"] == approved.count()
        assert cities[city.name]["people"]["people"] == sum(approved.values_list("people_reached", flat=True))
        assert cities[city.name]["waiting"] == Action.objects.filter(city=city, status="submitted").count()
    assert (cities["Lima"]["approved"], cities["Cusco"]["approved"]) == (2, 1)
    carla = next(message for message in digests() if message.to == ["carla@example.org"])
    assert "Perú: todas las ciudades" in carla.body
    assert len(digests()) == 3  # alicia, ximena and carla, each once; the second run sent nothing
