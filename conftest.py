"""The cast every test can call on: two ambassadors in different countries, a coordinator
whose scope holds the first city, one whose scope does not, and an admin."""

import datetime
import importlib
import logging
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from ambassadors import services
from ambassadors.tests.factories import CityFactory, CountryFactory, UserFactory
from core.tests.helpers import load_profile

PASSWORD = "a-long-test-password-2026"

# Fixtures several apps' tests share (the on-track rule's, also used by bench/tests).
pytest_plugins = ["commitments.tests.targets"]
LOCALE = Path(__file__).resolve().parent / "locale"

load_profile()


def compile_catalogues():
    """Compile each locale/*/LC_MESSAGES/*.po whose .mo is missing or older, as `make` does
    (Django's compilemessages runs the same msgfmt): the .mo files are build output, not in git."""
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        msgfmt = shutil.which("msgfmt")
        if not msgfmt:
            raise pytest.UsageError(f"{mo} needs compiling: gettext's msgfmt is needed (make install-dev installs it)")
        partial = mo.with_name(f"{mo.name}.partial")
        subprocess.run([msgfmt, "--check-format", "-o", partial, po], check=True)  # noqa: S603 - the project's own files
        os.replace(partial, mo)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # once, in the main process, before any worker starts
        compile_catalogues()
    # Each test process sends to a default queue and a reports queue of its own: the tests that run
    # a real worker (on Redis in CI, a broker every process shares) never take or purge another
    # process's tasks.
    from config.celery import app

    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    app.conf.task_default_queue = f"celery-tests-{worker}"
    app.conf.reports_queue = f"reports-tests-{worker}"


def session_queries():
    """What a request spends reading its session: nothing once sessions are cached (with Redis, a
    cache every process shares), one query from the database otherwise (config/settings.py)."""
    from django.conf import settings

    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


@pytest.fixture(autouse=True)
def _fresh_api_throttles(monkeypatch):
    """Each test counts its own API requests: the shared cache (Redis in CI) would carry another
    test's, process's or run's counts for the same user ids and client address, and answer 429."""
    from django.core.cache.backends.locmem import LocMemCache

    from api.throttling import AnonymousRateThrottle, TokenRateThrottle

    cache = LocMemCache("api-throttle-tests", {})
    cache.clear()
    for throttle in (TokenRateThrottle, AnonymousRateThrottle):
        monkeypatch.setattr(throttle, "cache", cache)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Tests run with DEBUG off, as production does, but without a collectstatic manifest,
    with a fast password hasher and uploads in a folder of their own."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the source language (Spanish): a test that activates another one, or a
    request whose middleware did, does not leave it active for the next."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _appointments_accepted_by_default():
    """Appointments made in tests count as accepted (appointments/tests/defaults.py): the tests
    written before the acceptance gate open their pages as before."""
    from appointments.tests import defaults

    defaults.connect()
    yield
    defaults.disconnect()


@pytest.fixture(autouse=True)
def _acceptance_pending(request):
    """@pytest.mark.acceptance_pending: this test's new appointments wait for their acceptance."""
    if request.node.get_closest_marker("acceptance_pending") is None:
        yield
        return
    from appointments.tests import defaults

    with defaults.pending():
        yield


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks queued by the code under test run in the test's process (the email they send lands
    in mail.outbox); config/tests/test_celery.py turns this off to go through a real worker."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        if "on_commit()" in record.getMessage():
            self.messages.append(f"{record.getMessage()} {record.exc_info[1] if record.exc_info else ''}")


ON_COMMIT_LOGGERS = ("django.db.backends.base", "django.test")


@pytest.fixture(autouse=True)
def _fail_on_swallowed_on_commit_errors(request):
    """Queueing runs in robust on_commit callbacks, which log an error instead of raising: under
    eager Celery a broken task would pass unnoticed. A test that expects such an error says so
    with @pytest.mark.on_commit_errors_expected."""
    collected = _Collect()
    for name in ON_COMMIT_LOGGERS:
        logging.getLogger(name).addHandler(collected)
    yield
    for name in ON_COMMIT_LOGGERS:
        logging.getLogger(name).removeHandler(collected)
    if collected.messages and not request.node.get_closest_marker("on_commit_errors_expected"):
        pytest.fail("An on_commit callback failed:\n" + "\n".join(collected.messages))


@pytest.fixture(autouse=True, scope="session")
def _test_client_logins_pass_the_second_factor():
    """The test client's force_login() and login() skip the login form, its password step, and so
    also its second step: the session they make counts as having passed the second factor
    (ambassadors/twofactor.py), or every admin and coordinator would be kept on the setup page.
    The real two steps are tested through the login pages (ambassadors/tests/test_twofactor.py);
    ambassadors.tests.second_factor.unverified(client) takes the mark away for a test of a session
    without it."""
    from django.contrib.auth.signals import user_logged_in
    from django.test.client import ClientMixin

    from ambassadors import twofactor

    real_login = ClientMixin._login
    in_client_login = threading.local()

    def mark(sender, request, **kwargs):
        if getattr(in_client_login, "active", False):
            twofactor.session_mark_verified(request.session)

    def login_verified(self, user, backend=None):
        in_client_login.active = True
        try:
            real_login(self, user, backend)
        finally:
            in_client_login.active = False

    # Connected once, for the whole run: connecting and disconnecting around each login raced
    # between threads that log in at once (core.tests.threads.at_once), and one thread's session
    # was then left without the mark.
    user_logged_in.connect(mark, dispatch_uid="test-client-second-factor")
    ClientMixin._login = login_verified  # for the whole run: worlds built once per module log in too
    yield
    user_logged_in.disconnect(dispatch_uid="test-client-second-factor")
    ClientMixin._login = real_login


@pytest.fixture
def peru(db):
    return CountryFactory(code="PE")


@pytest.fixture
def argentina(db):
    return CountryFactory(code="AR", subregion="south_america")


@pytest.fixture
def mexico(db):
    return CountryFactory(code="MX", subregion="central_america")


@pytest.fixture
def lima(peru):
    return CityFactory(country=peru, name="Lima", region="Lima", time_zone="America/Lima")


@pytest.fixture
def rosario(argentina):
    return CityFactory(country=argentina, name="Rosario", region="Santa Fe", time_zone="America/Argentina/Cordoba")


@pytest.fixture
def ambassador(lima):
    """Alicia, ambassador of Lima."""
    user = UserFactory(username="alicia", first_name="Alicia", password=PASSWORD)
    services.ambassador_appoint(city=lima, user=user, appointed_on=datetime.date(2025, 3, 1))
    return user


@pytest.fixture
def other_ambassador(rosario):
    """Bruno, ambassador of Rosario, another country."""
    user = UserFactory(username="bruno", first_name="Bruno", password=PASSWORD)
    services.ambassador_appoint(city=rosario, user=user, appointed_on=datetime.date(2025, 3, 1))
    return user


@pytest.fixture
def coordinator(peru):
    """Carla coordinates Peru, so Lima is in her scope."""
    user = UserFactory(username="carla", first_name="Carla", password=PASSWORD)
    services.coordinator_set_scope(user=user, countries=[peru])
    return user


@pytest.fixture
def coordinator_elsewhere(mexico):
    """Diego coordinates Mexico only: Lima and Rosario are out of his scope."""
    user = UserFactory(username="diego", first_name="Diego", password=PASSWORD)
    services.coordinator_set_scope(user=user, countries=[mexico])
    return user


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def client_for(client):
    """Log a member of the cast in: client_for(ambassador)."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_terminal_summary(terminalreporter):
    """Lines tests record with record_property("terminal_summary", line) show even without -s."""
    lines = dict.fromkeys(
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "terminal_summary"
    )
    for line in lines:
        terminalreporter.write_line(line)


# The migrations' own functions that load the catalogue (they update or create).
CATALOGUE_SEED = [
    ("axes.migrations.0002_load_seed_axes", "load_axes"),
    ("commitments.migrations.0002_load_seed_catalogue", "load_catalogue"),
    ("commitments.migrations.0016_retire_typed_funds_indicator", "retire_typed_funds"),
    ("commitments.migrations.0020_action_kinds_and_wider_people_counts", "offer_seeded_kinds"),
    ("commitments.migrations.0021_sdg6_indicators", "add_sdg6_indicators"),
]


@pytest.fixture
def seeded_catalogue(transactional_db):
    """The catalogue for a transactional test: the migrations load it, but an earlier
    transactional test's flush took it away, so it is loaded again as the migrations do."""
    for module, function in CATALOGUE_SEED:
        getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture(scope="class")
def _demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (without its reports) in a transaction kept open while a class of tests runs and
    rolled back after its last one: no test outside the class sees it."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True, MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS):
            call_command("load_demo", skip_reports=True)
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo_for_reading(_demo_loaded, db, settings):
    """The demo, loaded once for the tests of a class that only read it (each test's own
    transaction is a savepoint inside the class's). Under xdist, each process that runs some of
    the class's tests loads it once."""
    settings.MEDIA_ROOT = _demo_loaded
