"""Applying a confirmed import on the worker: confirming marks the job applying and queues
imports.apply_import; the page and its status follow it to the rows saved or to why nothing was;
two confirms apply once; a lost or crashing apply is retried, then refused, never left applying."""

import datetime

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from commitments import services as commitment_services
from commitments.models import Action
from commitments.tests.factories import ActionFactory
from imports import services, tasks
from imports.models import ImportJob

pytestmark = pytest.mark.django_db

NEW_ROWS = "compromiso,título\n3.1,Taller de huertos\n3.1,Feria de semillas\n".encode()


@pytest.fixture
def failures_kept():
    """Eager tasks report a failure in their result instead of raising it, as a worker does; so the
    retries run (eagerly) one after the other before the last failure is recorded."""
    from celery import current_app as app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def _ready(send, client, content=NEW_ROWS):
    _response, job = send(client, "actions", content, name="acciones.csv")
    job.refresh_from_db()
    assert job.can_apply, job.rows
    return job


def _status(client, job):
    return client.get(reverse("imports:job_status", args=[job.pk])).json()


def _page(client, job):
    return client.get(reverse("imports:job", args=[job.pk])).content.decode()


def test_confirming_queues_the_apply_and_the_page_follows_it_to_the_rows_saved(
    send, client_for, ambassador, django_capture_on_commit_callbacks
):
    client = client_for(ambassador)
    job = _ready(send, client)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("imports:job_apply", args=[job.pk]))
    assert response.status_code == 302 and len(queued) == 1  # the request only queues the apply
    assert not Action.objects.filter(title="Taller de huertos").exists()
    job.refresh_from_db()
    assert job.status == "applying" and job.apply_started_at is not None
    page = _page(client, job)
    assert "Aplicándose: se guardan 2 filas, todas o ninguna." in page
    assert f'data-status-url="{reverse("imports:job_status", args=[job.pk])}"' in page  # polled as the check is
    assert "Confirmar e importar" not in page and "Cancelar la importación" not in page
    assert _status(client, job) | {"label": ""} == {
        "status": "applying",
        "label": "",
        "done": False,
        "checked": 2,
        "total": 2,
        "written": 0,
    }

    queued[0]()  # the worker runs it
    assert Action.objects.filter(title__in=["Taller de huertos", "Feria de semillas"], status="draft").count() == 2
    assert _status(client, job)["status"] == "applied" and _status(client, job)["done"] is True
    assert _status(client, job)["written"] == 2
    assert "2 filas guardadas." in _page(client, job)


def test_two_confirms_from_two_tabs_apply_once(send, client_for, ambassador, django_capture_on_commit_callbacks):
    client = client_for(ambassador)
    job = _ready(send, client)
    # Two requests that both read the job ready before either wrote: the conditional UPDATE lets one in.
    tab_one, tab_two = ImportJob.objects.get(pk=job.pk), ImportJob.objects.get(pk=job.pk)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert services.import_confirm(job=tab_one, by=ambassador) is True
        assert services.import_confirm(job=tab_two, by=ambassador) is False
        client.post(reverse("imports:job_apply", args=[job.pk]))  # a double click, before the worker ran
    assert len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True) as queued_after:
        client.post(reverse("imports:job_apply", args=[job.pk]))  # and once it is applied
    assert queued_after == []
    assert tasks.apply_import.delay(job.pk).get() is None  # a message delivered twice does nothing
    assert Action.objects.filter(title="Taller de huertos").count() == 1
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.attempts) == ("applied", 2, 1)


def test_a_confirm_that_another_tab_beat_says_nothing_is_wrong(
    send, client_for, ambassador, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(ambassador)
    job = _ready(send, client)
    confirm = services.import_confirm

    def other_tab_first(*, job, by):  # this request read the job ready; the other tab's UPDATE lands first
        confirm(job=ImportJob.objects.get(pk=job.pk), by=by)
        return confirm(job=job, by=by)

    monkeypatch.setattr(services, "import_confirm", other_tab_first)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = client.post(reverse("imports:job_apply", args=[job.pk]), follow=True).content.decode()
    assert len(queued) == 1
    assert "no se puede aplicar" not in page and "Aplicándose" in page


def test_an_outdated_preview_saves_nothing_and_says_why_in_the_readers_language(
    confirm, send, client_for, ambassador, settings
):
    draft = ActionFactory(by=ambassador, title="Borrador")
    client = client_for(ambassador)
    job = _ready(send, client, f"id,compromiso,título\n{draft.pk},3.1,Cambiado\n,3.1,Nueva\n".encode())
    commitment_services.action_submit(action=draft, by=ambassador)  # meanwhile, from the page

    confirm(client, job)
    assert not Action.objects.filter(title__in=["Cambiado", "Nueva"]).exists()
    job.refresh_from_db()
    assert job.status == "refused" and job.refusal == {"code": "outdated", "params": {"row": 2}}
    assert _status(client, job) | {"label": ""} == {
        "status": "refused",
        "label": "",
        "done": True,
        "checked": 2,
        "total": 2,
        "written": 0,
    }
    page = _page(client, job)
    assert "la fila 2 ya no es como la mostró la vista previa" in page
    assert page.lower().count("no se importó nada") == 1  # said once, not before a message that says it
    assert "Confirmar e importar" not in page and "Subir el archivo corregido" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # confirmed in Spanish, read in English
    assert "Something changed since the check (row 2 no longer reads as the" in _page(client, job)


def test_a_transient_failure_is_retried_and_the_apply_then_writes_once(
    confirm, send, client_for, ambassador, monkeypatch, failures_kept
):
    client = client_for(ambassador)
    job = _ready(send, client)
    original = services.import_apply
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return original(**kwargs)

    monkeypatch.setattr(services, "import_apply", flaky)
    confirm(client, job)
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.attempts) == ("applied", 2, 2)
    assert Action.objects.filter(title="Taller de huertos").count() == 1


def test_an_apply_that_keeps_failing_is_refused_with_the_error_kept(
    confirm, send, client_for, ambassador, monkeypatch, failures_kept
):
    client = client_for(ambassador)
    job = _ready(send, client)

    def down(**kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(services, "import_apply", down)
    confirm(client, job)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.refusal["code"]) == ("refused", services.APPLY_ATTEMPTS, "error")
    assert "the database is down" in job.error
    assert "No se pudo aplicar la importación por un error del sistema" in _page(client, job)
    assert not Action.objects.filter(title="Taller de huertos").exists()


def test_the_sweep_takes_up_a_lost_apply_then_gives_up_on_one_stuck_too_often(
    send, client_for, ambassador, django_capture_on_commit_callbacks
):
    client = client_for(ambassador)
    lost, stuck, running, unsent = (
        _ready(send, client, NEW_ROWS.replace(b"huertos", name)) for name in (b"A", b"B", b"C", b"D")
    )
    now = timezone.now()
    past_limit = now - datetime.timedelta(seconds=services.APPLY_TIME_LIMIT + 1)
    ImportJob.objects.filter(pk=lost.pk).update(status="applying", apply_started_at=past_limit, attempts=1)
    # Confirmed, but no worker ever took it (the broker was down when it was queued): sooner.
    never_taken = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    ImportJob.objects.filter(pk=unsent.pk).update(status="applying", apply_started_at=never_taken, attempts=0)
    ImportJob.objects.filter(pk=stuck.pk).update(
        status="applying", apply_started_at=past_limit, attempts=services.APPLY_ATTEMPTS
    )
    ImportJob.objects.filter(pk=running.pk).update(status="applying", apply_started_at=now, attempts=1)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert tasks.sweep_applying_imports.delay().get() == {"requeued": 2, "refused": 1}
    assert len(queued) == 2
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert [statuses[job.pk] for job in (lost, stuck, running, unsent)] == ["applied", "refused", "applying", "applied"]
    taken_up = Action.objects.filter(title__in=["Taller de A", "Taller de B", "Taller de C", "Taller de D"])
    assert sorted(taken_up.values_list("title", flat=True)) == ["Taller de A", "Taller de D"]
    assert "No se pudo aplicar la importación por un error del sistema" in _page(client, stuck)
    with django_capture_on_commit_callbacks(execute=True) as queued_again:
        assert services.imports_sweep_applying(now=now) == (0, 0)  # nothing left to take up
    assert queued_again == []
