"""gunicorn's settings for production, from the environment (`.env.example` documents each).

gunicorn reads this file by itself when started from this folder (`gunicorn config.wsgi`);
options given on the command line win over it. gunicorn has no limit on a request's body: the
app refuses one above REQUEST_BODY_MAX_BYTES before reading it (core/middleware.py), and
the TLS proxy in front should refuse it first (nginx: client_max_body_size, see the README).
"""

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path


def _int(name, default, *, low=0):
    """A whole number from the environment; a bad value stops gunicorn at start, naming it."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}.") from None
    if value < low:
        raise SystemExit(f"{name} must be at least {low}, not {value}.")
    return value


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Sync workers: each holds one request at a time, so the count bounds memory and database
# connections. Two per core plus one is gunicorn's advice for work that waits on the database.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1, low=1)
threads = _int("GUNICORN_THREADS", 1, low=1)
worker_class = "gthread" if threads > 1 else "sync"
# A request still running after this many seconds has its worker killed and replaced: reports
# and exports run in Celery, so no page should come near it.
timeout = _int("GUNICORN_TIMEOUT", 60, low=1)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30, low=1)
keepalive = _int("GUNICORN_KEEPALIVE", 5, low=0)
# Each worker is replaced after this many requests (with jitter, so not all at once): memory a
# worker gathers over days is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The request line (method, path and query string) and the headers, bounded before Django sees
# them: a longer line is answered 414, more or longer headers 400.
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 4094, low=1)
limit_request_fields = _int("GUNICORN_LIMIT_REQUEST_FIELDS", 100, low=1)
limit_request_field_size = _int("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190, low=1)
# The proxy in front is the only client allowed to set X-Forwarded-* headers gunicorn reads.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"

# Prometheus (/metrics, health/metrics.py): each worker writes its counts to files in one folder,
# and a scrape adds up every worker's, whichever answers it. PROMETHEUS_MULTIPROC_DIR names the
# folder (emptied at start); unset, each gunicorn makes one of its own and removes it at exit. Set
# in the master before the first worker starts, so every worker inherits it (the app is not
# preloaded: prometheus_client reads the variable when a worker imports it).


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        folder = os.environ["OMCS_METRICS_DIR_MADE"] = tempfile.mkdtemp(prefix="omcs-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    Path(folder).mkdir(parents=True, exist_ok=True)
    for stale in Path(folder).glob("*.db"):  # an earlier run's counts would be added to this one's
        stale.unlink()


def child_exit(server, worker):
    """A worker that ended (recycled after max_requests, killed at its timeout): its counts stay."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    made = os.environ.get("OMCS_METRICS_DIR_MADE")
    if made:
        shutil.rmtree(made, ignore_errors=True)
