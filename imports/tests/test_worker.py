"""The check goes through the configured broker (Redis in CI) to a real worker."""

import uuid

import pytest

from commitments.models import Action
from core.tests.celery import broker_of_its_own, eventually, real_worker
from imports import services
from imports.models import ImportJob
from imports.tasks import check_import
from imports.tests.factories import ImportJobFactory


@pytest.fixture
def isolated_broker(tmp_path):
    with broker_of_its_own(tmp_path):
        yield


@pytest.mark.django_db(transaction=True)
def test_the_check_runs_on_a_real_worker_and_the_preview_is_then_applied(
    seeded_catalogue, ambassador, lima, isolated_broker
):
    content = "compromiso,título\n3.1,Taller de compostaje\n".encode()
    job = ImportJobFactory(user=ambassador, city=lima, file__data=content)  # queued, its task not yet sent
    queue = f"test-{uuid.uuid4().hex}"  # nobody else listens here
    with real_worker(queues=[queue]):
        check_import.apply_async((job.pk,), queue=queue)
        assert eventually(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.READY)
    job.refresh_from_db()
    assert job.attempts == 1 and job.rows_checked == job.rows_total == 1
    assert services.import_apply(job=job, by=ambassador) == 1
    assert Action.objects.get(title="Taller de compostaje").status == "draft"
