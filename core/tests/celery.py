"""What the tests that go through a real broker and worker share."""

import time
from contextlib import contextmanager

from celery import current_app as app
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import OperationalError, connections
from kombu import pools as kombu_pools


def drop_connection_pools():
    """Close every broker connection pool and forget it, so the next use opens fresh ones with
    the app's current broker settings."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def eventually(condition, *, timeout=30, interval=0.2):
    """Poll `condition` until true or `timeout`. On SQLite the test database is in memory and
    shared with the worker thread: a read while the worker writes says "table is locked", so wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass
        time.sleep(interval)
    return False


@contextmanager
def broker_of_its_own(folder):
    """The file-system broker (no REDIS_URL) gets a folder of its own, so a developer's running
    `make run` worker cannot take the test's messages. Redis is left as it is: the tests that
    use it send to queues nobody else listens to, or purge theirs first."""
    if settings.REDIS_URL:
        yield
        return
    previous = app.conf.broker_transport_options
    app.conf.broker_transport_options = {"data_folder_in": str(folder), "data_folder_out": str(folder)}
    drop_connection_pools()  # an earlier eager task opened them with the default folder
    try:
        yield
    finally:
        app.conf.broker_transport_options = previous
        drop_connection_pools()


def _close_worker_connections(**kwargs):
    # The worker thread opens its own database connection; close it so the test database
    # can be dropped at the end of the session.
    connections.close_all()


@contextmanager
def real_worker(queues=None):
    """While the block runs, tasks go through the broker (not eagerly) to a real worker, in a
    thread of this process with the solo pool, listening to `queues` (if None, the default queue and
    the reports queue, as one worker that does all). Always named: a worker narrows the app's own
    list of queues to consume from, and the next worker started without a list would listen to the
    previous one's."""
    queues = queues or [app.conf.task_default_queue, app.conf.reports_queue]
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(app, pool="solo", queues=queues, perform_ping_check=False, shutdown_timeout=20):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connections)
        app.conf.task_always_eager = eager
