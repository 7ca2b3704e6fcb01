"""Browser tests: Debian's Chromium driven by Playwright against the app on Django's live server,
filled with the demo data. Chromium is the system's (`make test` installs the `chromium` package);
Playwright never downloads a browser here. CHROMIUM names another binary."""

import os
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.utils import timezone
from playwright.sync_api import sync_playwright

from ambassadors.demo import load_demo
from ambassadors.models import City
from appointments.demo import load_demo_appointments
from commitments.demo import load_demo_actions
from commitments.models import Action
from config.tests.html_checker import validate
from funding import services as funding_services
from practices.demo import load_demo_practices
from reports.models import ProgressReport
from reports.periods import period_of
from reports.services import report_request

from .browsing import AXE, BROWSER_LOCALES, DESKTOP, PHONE, Visitor

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FAILURES = Path(__file__).resolve().parents[1] / "var" / "e2e-failures"


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the package.

    While Playwright's synchronous API runs, an asyncio loop counts as running in this thread:
    Django would refuse the tests' own ORM calls as 'async' (they are not, so they are allowed
    for exactly that time), and asgiref hands this thread database connections of their own,
    closed before Playwright stops.
    """
    assert Path(CHROMIUM).exists(), f"Chromium is needed at {CHROMIUM} (make test installs Debian's chromium)"
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # Spanish date fields; the sandbox needs an unprivileged user, as root (CI) it refuses to start.
            args = ["--lang=es-419"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
            yield browser
            browser.close()
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _demo_copy(tmp_path_factory):
    """The first browser test's demo, kept for the next ones: on SQLite a copy of the database
    and of the evidence files the demo wrote. Each test writes what it likes; the next starts
    from the copy again."""
    return {"media": tmp_path_factory.mktemp("demo-media")}


@pytest.fixture
def demo(request, transactional_db, live_server, settings, _demo_copy):
    """The catalogue, and the demo's cities, people and six months of actions, served by the
    live server. On SQLite the demo is loaded once and copied back before each later test
    (the server thread shares the test's in-memory database); on PostgreSQL it is loaded again."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    media = Path(settings.MEDIA_ROOT)
    if "database" in _demo_copy:
        connection.ensure_connection()
        _demo_copy["database"].backup(connection.connection)
        ContentType.objects.clear_cache()
        shutil.copytree(_demo_copy["media"], media, dirs_exist_ok=True)
        return live_server.url
    request.getfixturevalue("seeded_catalogue")
    load_demo()
    load_demo_appointments()
    load_demo_actions()
    load_demo_practices()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _demo_copy["database"] = copy
        shutil.copytree(media, _demo_copy["media"], dirs_exist_ok=True)
    return live_server.url


@pytest.fixture
def lima_report(demo):
    """Lima's monthly report of the month of its oldest approved action, written now (the task
    runs eagerly), and that action."""
    lima = City.objects.get(name="Lima")
    action = Action.objects.filter(city=lima, status=Action.Status.APPROVED).order_by("started_on").first()
    period = period_of("month", action.started_on)
    assert period.end < timezone.localdate()
    report = report_request(city=lima, kind="month", period=period)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.READY
    return report, action


@pytest.fixture
def financed_action(demo):
    """A Lima action that a funding opportunity would finance: the demo's own when it links one,
    else its latest approved action, linked here by its ambassador to a new opportunity."""
    financed = Action.objects.filter(city__name="Lima", opportunities__isnull=False).order_by("pk").first()
    if financed is not None:
        return financed
    action = Action.objects.filter(city__name="Lima", status=Action.Status.APPROVED).order_by("-started_on").first()
    funding_services.opportunity_create(
        by=action.ambassador.user,
        data={
            "funder_name": "Fondo Verde para el Clima",
            "title": "Ciudades resilientes",
            "amount": Decimal("385000.00"),
            "currency": "USD",
            "identified_on": action.started_on,
        },
        actions=[action],
    )
    return action


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.stash[_FAILED] = report.failed
    return report


def admin_script_made(url, message):
    """Django admin's inlines.js sets autocomplete="off" on its formsets' hidden counters once the
    page runs: the page it serves has none (the crawl of config/tests/test_valid_html.py checks it)."""
    return "/admin/" in url and message.startswith(
        "An “input” element with a “type” attribute whose value is “hidden” must not have an “autocomplete”"
    )


@pytest.fixture
def open_browser(browser, demo, request, record_property, tmp_path_factory):
    """open_browser("emb.lima", device="phone", language="es") → a logged-in Visitor.
    Pass None as the username for someone not logged in."""
    visitors = []
    audits = []

    def open_(username, *, device="desktop", language="es"):
        context = browser.new_context(
            **(PHONE if device == "phone" else DESKTOP),
            locale=BROWSER_LOCALES[language],
            timezone_id="America/Lima",
            accept_downloads=True,
            # The charts draw settled at once (static/js/dashboard.js): screenshots never catch a bar mid-animation.
            reduced_motion="reduce",
        )
        context.set_default_timeout(15_000)
        context.add_init_script(path=AXE)  # through the DevTools protocol: not subject to the CSP
        visitor = Visitor(context, demo, name=username or "anonymous", device=device, audits=audits)
        visitors.append(visitor)
        if username:
            visitor.log_in(username)
        return visitor

    yield open_

    failed = request.node.stash.get(_FAILED, False)
    problems = []
    for visitor in visitors:
        if failed:
            FAILURES.mkdir(parents=True, exist_ok=True)
            visitor.page.screenshot(path=FAILURES / f"{request.node.name}-{visitor.name}.png", full_page=True)
        problems += visitor.finish()
        visitor.context.close()
    if failed:
        return
    # The pages as the journey left them (after its scripts ran): valid HTML too.
    checked = tmp_path_factory.mktemp("html")
    errors = validate({f"{number:03d} {url}": html for number, (url, _, _, html) in enumerate(audits)}, checked)
    errors = [(url, line, message) for url, line, message in errors if not admin_script_made(url, message)]
    problems += [f"Nu Html Checker: {url} (line {line}): {message}" for url, line, message in errors]
    if problems:
        pytest.fail("\n".join(problems))
    others = sorted({rule for _, _, rules, _ in audits for rule in rules})
    record_property(
        "terminal_summary",
        f"axe (WCAG 2.2 AA), {request.node.name}: {len(audits)} pages audited, 0 serious or critical"
        + (f"; moderate or minor: {', '.join(others)}" if others else "")
        + "; valid HTML",
    )
