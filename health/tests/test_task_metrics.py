"""Celery in /metrics: the queues' lengths read from the Redis the hosts share, and the tasks'
outcomes counted by a real worker. On Redis (CI); without it there is no shared place to read."""

import uuid

import pytest
from celery import current_app as app
from celery import shared_task
from django.conf import settings

from core.tests.celery import eventually, real_worker
from health.celery_metrics import PRIORITY_SUFFIXES, shared_redis
from health.tasks import heartbeat
from health.tests.scrape import scrape, value

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs the Redis web and workers share (CI: Redis)")


@shared_task(bind=True, name="health.tests.flaky", max_retries=1, default_retry_delay=0)
def flaky(self):
    """Fails once, and succeeds when retried."""
    if self.request.retries == 0:
        raise self.retry(countdown=0)


@shared_task(name="health.tests.broken")
def broken():
    raise RuntimeError("broken on purpose")


@shared_task(name="health.tests.fine")
def fine():
    return "fine"


@pytest.fixture
def queue():
    """A queue nobody else sends to or listens on; its lists are deleted afterwards."""
    name = f"metrics-{uuid.uuid4().hex}"
    yield name
    client = shared_redis()
    if client is not None:
        client.delete(*(name + suffix for suffix in PRIORITY_SUFFIXES), f"_kombu.binding.{name}")


@needs_redis
@pytest.mark.django_db
def test_a_queues_length_is_what_waits_in_redis(client, queue):
    app.conf.task_always_eager = False  # sent for real (the fixture in conftest.py puts it back)
    for _ in range(3):
        heartbeat.apply_async(queue=queue)
    heartbeat.apply_async(queue=queue, priority=9)  # kombu keeps another list for each priority step
    assert value(scrape(client), "omcs_celery_queue_length", queue=queue) == 4
    assert shared_redis().lpop(queue)  # a worker takes one
    assert value(scrape(client), "omcs_celery_queue_length", queue=queue) == 3


@needs_redis
@pytest.mark.django_db
def test_a_real_worker_counts_each_tasks_outcome_where_every_web_host_reads_it(client, queue):
    before = scrape(client)

    def grown():
        after = scrape(client)
        return {
            (task, outcome): value(after, "omcs_celery_tasks_total", task=f"health.tests.{task}", outcome=outcome)
            - value(before, "omcs_celery_tasks_total", task=f"health.tests.{task}", outcome=outcome)
            for task in ("fine", "broken", "flaky")
            for outcome in ("succeeded", "failed", "retried")
        }

    expected = dict.fromkeys(grown(), 0)
    expected |= {("fine", "succeeded"): 2, ("broken", "failed"): 1, ("flaky", "retried"): 1, ("flaky", "succeeded"): 1}
    with real_worker(queues=[queue]):
        for task in (fine, fine, broken, flaky):
            task.apply_async(queue=queue)
        eventually(lambda: grown() == expected, timeout=60)
    assert grown() == expected
    assert value(scrape(client), "omcs_celery_queue_length", queue=queue) == 0


@pytest.mark.django_db
def test_without_redis_the_scrape_has_no_celery_metrics_and_still_counts_requests(client, settings):
    settings.REDIS_URL = ""  # the file-system broker of `make run`
    client.get("/healthz")
    scraped = scrape(client)
    assert not [name for name, _labels in scraped if name.startswith("omcs_celery_")]
    assert value(scraped, "omcs_http_requests_total", method="GET", view="healthz", status="200") >= 1


@pytest.mark.django_db
def test_a_redis_that_is_down_leaves_the_request_metrics_and_never_fails_a_task(client, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    client.get("/healthz")
    scraped = scrape(client)
    assert not [name for name, _labels in scraped if name.startswith("omcs_celery_")]
    assert value(scraped, "omcs_http_requests_total", method="GET", view="healthz", status="200") >= 1
    assert fine.apply().get() == "fine"  # eagerly, with the outcome not counted
    assert "Task outcome not counted (health.tests.fine succeeded)" in caplog.text


@needs_redis
@pytest.mark.django_db
def test_the_reports_queue_is_measured_by_a_process_that_never_sent_a_report(client):
    """A web worker learns of a queue when it routes a task there; the reports queue's length is
    there before that, so a queue no worker consumes shows on every host and every scrape."""
    reports = app.conf.reports_queue
    declared = app.amqp.queues.pop(reports, None)  # as in a new gunicorn worker
    try:
        scraped = scrape(client)
    finally:
        if declared is not None:
            app.amqp.queues[reports] = declared
    assert ("omcs_celery_queue_length", frozenset({"queue": reports}.items())) in scraped
