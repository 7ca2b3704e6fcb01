"""The web's Prometheus metrics: requests by method, view and status, their latency, and the time
they spent in the database; and the text a scrape of /metrics reads.

Under gunicorn every worker is a process of its own: gunicorn.conf.py gives them one folder
(PROMETHEUS_MULTIPROC_DIR) where prometheus_client keeps each worker's counts in files, and a
scrape adds them up, whichever worker answers. Without that variable (runserver, tests) the
counts are this process's. What the workers of Celery did is read from Redis at the scrape
(health/celery_metrics.py)."""

import ipaddress
import os
import time
from contextlib import ExitStack
from hmac import compare_digest

from django.conf import settings
from django.db import connections
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from .celery_metrics import CeleryCollector

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"  # a 404 for a path no URL pattern names, or a response before routing

REQUESTS = Counter("omcs_http_requests", "Responses by method, view and status.", ["method", "view", "status"])
LATENCY = Histogram(
    "omcs_http_request_duration_seconds",
    "Time from the request reaching Django to its response.",
    ["method", "view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
DATABASE_TIME = Histogram(
    "omcs_http_request_db_duration_seconds",
    "Time a request spent waiting for its database queries.",
    ["method", "view"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Counter("omcs_db_queries", "Database queries made while answering requests.", ["method", "view"])


class _QueryTimer:
    """A connection.execute_wrapper: adds up the time and number of the queries it sees."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class RequestMetricsMiddleware:
    """First in MIDDLEWARE, so it times everything, redirects to HTTPS and refusals included.
    Labels are bounded: the URL pattern's name (never the path), a known method or "OTHER"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        start = time.perf_counter()
        with ExitStack() as wrappers:
            for connection in connections.all():
                wrappers.enter_context(connection.execute_wrapper(timer))
            response = self.get_response(request)
        elapsed = time.perf_counter() - start
        method = request.method if request.method in METHODS else "OTHER"
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else UNMATCHED
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        LATENCY.labels(method, view).observe(elapsed)
        DATABASE_TIME.labels(method, view).observe(timer.seconds)
        if timer.count:
            QUERIES.labels(method, view).inc(timer.count)
        return response


_PROXY_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
)


def _bearer_token_matches(request):
    token = settings.METRICS_TOKEN
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return compare_digest(given.strip().encode(), token.encode())


def _address_allowed(request):
    """An allowed address that came straight to gunicorn: behind the TLS proxy on the same host,
    every visitor arrives from 127.0.0.1, and only the proxy's headers tell them apart."""
    if any(header in request.META for header in _PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_IPS)


def scrape_allowed(request):
    return _bearer_token_matches(request) or _address_allowed(request)


class _ThisProcess:
    """The counts of this process alone (no PROMETHEUS_MULTIPROC_DIR): the default registry."""

    def collect(self):
        return REGISTRY.collect()


def exposition():
    """The text a scrape reads: the requests of every worker of this host, and Celery's queues and
    task outcomes (the same on every host: they come from the Redis all hosts share)."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(CeleryCollector())
    return generate_latest(registry)
