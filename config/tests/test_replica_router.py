"""The read replica's settings and router rules without a replica (the real one:
config/tests/test_replica.py, through `make replica-check`)."""

import json
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, transaction
from django.test import RequestFactory

from commitments.models import Action
from config.tests.test_settings import BASE_DIR, GOOD, run_check
from core import replica
from core.replica import ReplicaPinMiddleware, ReplicaRouter, on_replica, pin, pin_key, pinned, replica_reads

PRIMARY_URL = "postgres://omcs@db.example.org/omcs"
REPLICA_URL = "postgres://omcs@replica.example.org/omcs"
router = ReplicaRouter()
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")


@pytest.mark.parametrize(
    "overrides",
    [
        {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URL": "sqlite:////tmp/replica.sqlite3"},
        {"DATABASE_URL": None, "DATABASE_REPLICA_URL": REPLICA_URL},  # a SQLite primary
        {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URL": "garbage"},
    ],
)
def test_a_replica_needs_postgresql_on_both_sides_and_the_error_names_it(overrides):
    result = run_check(**overrides)
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL" in result.stderr


@pytest.mark.parametrize("value", ["-1", "ten", "1.5"])
def test_the_pin_is_a_whole_number_of_seconds(value):
    result = run_check(REPLICA_PIN_SECONDS=value)
    assert result.returncode != 0
    assert "REPLICA_PIN_SECONDS" in result.stderr


def _settings_with(**environment):
    code = (
        "import json; from django.conf import settings; print(json.dumps({'routers': settings.DATABASE_ROUTERS,"
        " 'databases': {alias: {'HOST': db['HOST'], 'TEST': db.get('TEST', {})} for alias, db in"
        " settings.DATABASES.items()}, 'last_middleware': settings.MIDDLEWARE[-1],"
        " 'pin': settings.REPLICA_PIN_SECONDS}))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "REPLICA_"))}
    env.update(GOOD, DJANGO_SETTINGS_MODULE="config.settings", **environment)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def test_a_replica_url_installs_the_router_and_the_pin_middleware_and_none_leaves_everything_as_it_was():
    configured = _settings_with(DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URL=REPLICA_URL, REPLICA_PIN_SECONDS="3")
    assert configured["routers"] == ["core.replica.ReplicaRouter"]
    assert configured["databases"]["replica"] == {"HOST": "replica.example.org", "TEST": {"MIRROR": "default"}}
    assert (configured["last_middleware"], configured["pin"]) == ("core.replica.ReplicaPinMiddleware", 3)
    plain = _settings_with(DATABASE_URL=PRIMARY_URL)
    assert (plain["routers"], list(plain["databases"]), plain["pin"]) == ([], ["default"], 600)
    assert plain["last_middleware"] != "core.replica.ReplicaPinMiddleware"


@pytest.fixture
def with_replica(settings):
    """The settings say a replica exists (no connection to it is ever opened here)."""
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    settings.REPLICA_PIN_SECONDS = 10


@pytest.fixture
def person(monkeypatch):
    """An id no one else's test pins, unpinned again at the end (the cache may be a shared Redis).
    Its writes have no WAL position (as when the primary cannot tell one): pinned until the pin
    ends. Positions and their replay are config/tests/test_replica.py's, on a real replica."""
    monkeypatch.setattr(replica, "_primary_position", lambda: replica.UNKNOWN)
    user_id = f"test-{uuid.uuid4().hex}"
    yield user_id
    from django.core.cache import cache

    cache.delete(pin_key(user_id))


def test_reads_go_to_the_replica_only_inside_replica_reads_and_sessions_never(with_replica):
    assert router.db_for_read(Action) == "default"
    with replica_reads():
        assert router.db_for_read(Action) == "replica"
        assert router.db_for_read(Session) == "default"
    assert router.db_for_read(Action) == "default"
    assert router.db_for_write(Action) == "default"


def test_without_a_replica_replica_reads_changes_nothing():
    with replica_reads():
        assert router.db_for_read(Action) == "default"
        assert Action.objects.all().db == "default"


def test_after_a_write_the_rest_of_the_block_reads_the_primary(with_replica):
    with replica_reads():
        assert router.db_for_read(Action) == "replica"
        router.db_for_write(Action)
        assert router.db_for_read(Action) == "default"
    with replica_reads():  # another block (another task) starts afresh
        assert router.db_for_read(Action) == "replica"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_on_the_primary_reads_stay_on_it(with_replica):
    with replica_reads():
        with transaction.atomic():
            assert router.db_for_read(Action) == "default"
        assert router.db_for_read(Action) == "replica"


def test_a_pinned_person_reads_the_primary_until_the_pin_ends(with_replica, settings, person):
    pin(person)
    assert pinned(person)
    with replica_reads(user_id=person):
        assert router.db_for_read(Action) == "default"
    with replica_reads(user_id=f"{person}-someone-else"):
        assert router.db_for_read(Action) == "replica"
    settings.REPLICA_PIN_SECONDS = 0  # pins off: even a fresh write is forgotten
    assert not pinned(person)
    with replica_reads(user_id=person):
        assert router.db_for_read(Action) == "replica"


@pytest.mark.parametrize("writes", [True, False])
def test_a_request_that_writes_pins_its_person_and_its_own_later_reads(with_replica, person, writes):
    request = RequestFactory().get("/")
    request.user = SimpleNamespace(pk=person, is_authenticated=True)
    seen = {}

    def view(request):
        if writes:
            router.db_for_write(Action)
        with replica_reads():
            seen["read"] = router.db_for_read(Action)
        return "response"

    assert ReplicaPinMiddleware(view)(request) == "response"
    assert seen["read"] == ("default" if writes else "replica")
    assert pinned(person) is writes


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("replica", "commitments") is False
    assert router.allow_migrate("default", "commitments") is None


def test_what_failed_after_reading_the_replica_runs_again_on_the_primary(with_replica, monkeypatch):
    monkeypatch.setattr(replica, "_replica_down_until", 0.0)
    reads = []

    def dashboard():
        reads.append(router.db_for_read(Action))
        if len(reads) == 1:
            raise OperationalError("could not connect to the replica")
        return "page"

    assert on_replica(dashboard) == "page"
    assert reads == ["replica", "default"]
    with replica_reads():  # the process leaves the replica alone for a while
        assert router.db_for_read(Action) == "default"


def test_a_failure_before_any_replica_read_is_not_hidden(with_replica):
    def primary_down():
        raise OperationalError("could not connect to the primary")

    with pytest.raises(OperationalError):
        on_replica(primary_down)
