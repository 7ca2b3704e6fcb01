"""What the tests that go through a real broker and worker share."""

import time

from django.db import OperationalError
from kombu import pools as kombu_pools

from config.celery import app


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
