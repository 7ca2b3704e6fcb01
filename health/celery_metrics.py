"""Celery's side of the metrics, kept in the Redis that web hosts and workers share: the queues'
lengths, read at each scrape, and the tasks' outcomes, counted by the workers (Celery's signals)
in one Redis hash. Without Redis (the file-system broker of `make run`) there are none."""

import functools
import logging

import redis
from celery import current_app
from celery.signals import task_failure, task_retry, task_success
from django.conf import settings
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)

OUTCOMES_KEY = "omcs:metrics:celery-tasks"  # field "<task name> <outcome>" -> count
# kombu's Redis transport keeps a queue's messages in one list per priority step (0, 3, 6, 9):
# the queue's own name for the default priority, the name, "\x06\x16" and the step for the others.
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")
TIMEOUT = 0.5  # seconds: a task or a scrape never waits long for a Redis that is down


@functools.cache
def _client(url):
    return redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)


def shared_redis():
    return _client(settings.REDIS_URL) if settings.REDIS_URL else None


def outcome_count(task_name, outcome):
    """One more `outcome` (succeeded, failed, retried) of `task_name`. A Redis error is logged and
    never fails the task."""
    client = shared_redis()
    if client is None:
        return
    try:
        client.hincrby(OUTCOMES_KEY, f"{task_name} {outcome}", 1)
    except redis.RedisError as error:
        logger.warning("Task outcome not counted (%s %s): %s", task_name, outcome, error)


def _succeeded(sender=None, **kwargs):
    outcome_count(sender.name, "succeeded")


def _failed(sender=None, **kwargs):
    outcome_count(sender.name, "failed")


def _retried(sender=None, **kwargs):
    outcome_count(sender.name, "retried")


def connect_task_signals():
    """Called by HealthConfig.ready(): in a worker, every task's end is counted."""
    task_success.connect(_succeeded, weak=False, dispatch_uid="health.metrics.succeeded")
    task_failure.connect(_failed, weak=False, dispatch_uid="health.metrics.failed")
    task_retry.connect(_retried, weak=False, dispatch_uid="health.metrics.retried")


def queue_names():
    """The queues the app sends to: the default one, the reports one (a process knows of a queue
    only once it routed a task there), and any other it declares or has used."""
    conf = current_app.conf
    return sorted({conf.task_default_queue, conf.reports_queue, *current_app.amqp.queues})


def read_state(client):
    """Two round trips: LLEN of every queue's lists in one pipeline, and the outcomes' hash."""
    names = queue_names()
    pipe = client.pipeline(transaction=False)
    for name in names:
        for suffix in PRIORITY_SUFFIXES:
            pipe.llen(name + suffix)
    lengths = pipe.execute()
    step = len(PRIORITY_SUFFIXES)
    queues = {name: sum(lengths[i * step : (i + 1) * step]) for i, name in enumerate(names)}
    outcomes = {}
    for field, count in client.hgetall(OUTCOMES_KEY).items():
        task, _, outcome = field.decode().rpartition(" ")
        outcomes[task, outcome] = int(count)
    return queues, outcomes


class CeleryCollector:
    """Read at scrape time; nothing is kept in the web process."""

    def collect(self):
        client = shared_redis()
        if client is None:
            return
        try:
            queues, outcomes = read_state(client)
        except redis.RedisError as error:
            logger.warning("Celery metrics not read from Redis: %s", error)
            return
        lengths = GaugeMetricFamily("omcs_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"])
        for name, length in queues.items():
            lengths.add_metric([name], length)
        yield lengths
        tasks = CounterMetricFamily(
            "omcs_celery_tasks",
            "Celery tasks ended, by task and outcome (counted by the workers).",
            labels=["task", "outcome"],
        )
        for (task, outcome), count in sorted(outcomes.items()):
            tasks.add_metric([task, outcome], count)
        yield tasks
