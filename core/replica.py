"""Reads from a streaming read replica (DATABASE_REPLICA_URL), for the dashboards and reports only.

A read goes to the replica only inside `replica_reads()` (the coordinators' dashboards, a city's
dashboard, the reports list, the report-writing tasks), and even there it reads the primary:

- inside a transaction on the primary (what a transaction reads, it may write from);
- after a write in the same request, or earlier in the same `replica_reads()` block;
- while the person's last write is not on the replica yet: ReplicaPinMiddleware records in the
  shared cache, after a request of theirs wrote, the primary's WAL position; until the replica has
  replayed up to it their pages read the primary, so a lagging replica never shows them less than
  they just wrote, however long it lags, and a replica that keeps up costs the primary nothing.
  The position is kept REPLICA_PIN_SECONDS; the cache unreachable, or a position unknown (the
  primary did not say), counts as not replayed.

If the replica fails (unreachable, a query cancelled), `on_replica` runs the reading again on the
primary and the process leaves the replica alone for REPLICA_RETRY_SECONDS. Sessions are always
read from the primary. Migrations run on the primary only (the replica receives them by
streaming). Without DATABASE_REPLICA_URL the router and the middleware are not installed and
`replica_reads()` changes nothing.
"""

import contextlib
import contextvars
import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections

REPLICA = "replica"
PRIMARY = "default"
# After the replica failed, this process reads the primary for this long before trying it again.
REPLICA_RETRY_SECONDS = 30
_replica_down_until = 0.0

logger = logging.getLogger(__name__)


class _Scope:
    """A request (ReplicaPinMiddleware) or a `replica_reads()` block: has it written, must it read
    the primary anyway, has it read the replica?"""

    def __init__(self, request=None, use_primary=False):
        self.request = request
        self.wrote = False
        self.use_primary = use_primary
        self.used_replica = False


_request_scope = contextvars.ContextVar("replica_request_scope", default=None)
_block_scope = contextvars.ContextVar("replica_block_scope", default=None)


def pin_key(user_id):
    """The shared cache's key that says this person wrote in the last REPLICA_PIN_SECONDS."""
    return f"replica:wrote:{user_id}"


# Kept in the cache when the primary could not tell its WAL position: not replayed until it expires.
UNKNOWN = "unknown"


def pinned(user_id) -> bool:
    """Must this person read the primary: did they write less than REPLICA_PIN_SECONDS ago, and has
    the replica not replayed that write yet (or can the cache or the replica not tell)? The pin's
    expiry is the cache's (Redis's), so the web hosts' clocks need not agree."""
    if settings.REPLICA_PIN_SECONDS <= 0:
        return False
    try:
        position = cache.get(pin_key(user_id))
    except Exception:  # the cache down: the primary is always right
        logger.warning("The cache did not answer: the replica's reads go to the primary", exc_info=True)
        return True
    if position is None:
        return False
    return position == UNKNOWN or not _replayed(position)


def _replayed(position) -> bool:
    """Has the replica replayed the primary's WAL up to `position`?"""
    if time.monotonic() < _replica_down_until:
        return False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [position])
            return bool(cursor.fetchone()[0])
    except (OperationalError, InterfaceError):
        _replica_failed()
        return False


def _replica_failed():
    """This process leaves the replica alone for REPLICA_RETRY_SECONDS (logged, with the error)."""
    global _replica_down_until
    _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
    logger.warning("The replica failed: reading the primary for %s s", REPLICA_RETRY_SECONDS, exc_info=True)


def _primary_position():
    """The primary's WAL position now (after a write: at or past its commit), or UNKNOWN."""
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        logger.warning("The primary did not give its WAL position: the replica's reads wait", exc_info=True)
        return UNKNOWN


def pin(user_id) -> None:
    """Record that this person just wrote, with the primary's position: their replica reads go to
    the primary until the replica has replayed it (or REPLICA_PIN_SECONDS pass)."""
    if settings.REPLICA_PIN_SECONDS <= 0:
        return
    position = _primary_position()
    try:
        cache.set(pin_key(user_id), position, timeout=settings.REPLICA_PIN_SECONDS)
    except Exception:  # their next reads find the cache down too, and read the primary
        logger.warning("The cache did not record a write: the replica's reads go to the primary", exc_info=True)


def _user_id_of(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


@contextlib.contextmanager
def replica_reads(user_id=None):
    """Let the reads of this block go to the replica (when one is configured and the rules in
    the module's docstring allow). `user_id` is whose pin to respect; by default the request's
    person. Yields the block's scope. Views and tasks use on_replica or replica_view, which
    also survive the replica failing."""
    request_scope = _request_scope.get()
    if user_id is None and request_scope is not None:
        user_id = _user_id_of(request_scope.request)
    use_primary = REPLICA not in settings.DATABASES or (
        (request_scope is not None and request_scope.wrote) or (user_id is not None and pinned(user_id))
    )
    block = _Scope(use_primary=use_primary)
    token = _block_scope.set(block)
    try:
        yield block
    finally:
        _block_scope.reset(token)


def on_replica(function, /, *args, user_id=None, **kwargs):
    """`function(*args, **kwargs)` inside replica_reads(user_id); if the replica failed under it
    (unreachable, a query cancelled by replay), again on the primary, and this process leaves the
    replica alone for REPLICA_RETRY_SECONDS. Only for what merely reads: it may run twice."""
    block = None
    try:
        with replica_reads(user_id=user_id) as block:
            return function(*args, **kwargs)
    except (OperationalError, InterfaceError):
        if block is None or not block.used_replica:
            raise
        _replica_failed()
    return function(*args, **kwargs)


def replica_view(view):
    """A view that only reads, with its reads on the replica (on_replica). Under @login_required,
    so the session and the user are read (from the primary) before."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return on_replica(view, request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """DATABASE_ROUTERS when DATABASE_REPLICA_URL is set: see the module's docstring."""

    def db_for_read(self, model, **hints):
        block = _block_scope.get()
        if block is None or block.use_primary or block.wrote or model._meta.app_label == "sessions":
            return PRIMARY
        request_scope = _request_scope.get()
        if (request_scope is not None and request_scope.wrote) or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if time.monotonic() < _replica_down_until:
            return PRIMARY
        block.used_replica = True
        return REPLICA

    def db_for_write(self, model, **hints):
        for scope in (_request_scope.get(), _block_scope.get()):
            if scope is not None:
                scope.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True  # the same data
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


class ReplicaPinMiddleware:
    """Tracks whether a request writes; if it did, pins its person (after the view, so a login's
    write pins the person who just logged in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = _Scope(request)
        token = _request_scope.set(scope)
        try:
            return self.get_response(request)
        finally:
            _request_scope.reset(token)
            if scope.wrote and (user_id := _user_id_of(request)) is not None:
                pin(user_id)
