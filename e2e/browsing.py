"""A person at a browser: a Playwright page on the live server that checks every document it
loads with axe-core (WCAG 2.2 AA, 2.1 and 2.0 included) and keeps the console errors (a blocked script or style, a
failed request) for the test to fail on."""

import json
import re
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from ambassadors.demo import DEMO_PASSWORD
from ambassadors.tests.second_factor import code_for

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
DESKTOP = {"viewport": {"width": 1280, "height": 860}}

# The locale Chromium reports (Accept-Language) for each of the site's languages.
BROWSER_LOCALES = {"es": "es-419", "en": "en-US", "pt-br": "pt-BR"}


NAVIGATION = re.compile("Navegación principal|Main navigation|Navegação principal")


def wait_until(page, script, *, timeout=20_000):
    """Evaluate `script` (JavaScript, an async function allowed) until it gives a truthy value.

    Not Playwright's wait_for_function: that one polls with eval() inside the page, which the
    site's Content-Security-Policy (no 'unsafe-eval') refuses whenever the first try is false.
    Each evaluation here comes from the browser's protocol, which the policy does not govern."""
    truth = (
        f"async () => {{ const value = ({script}); "
        "return !!(typeof value === 'function' ? await value() : await value); }"
    )
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            result = page.evaluate(truth)
        except PlaywrightError as error:  # the page navigated while it was being evaluated
            if "context was destroyed" not in str(error) and "navigation" not in str(error):
                raise
            result = None
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"Still false after {timeout} ms: {script}")
        page.wait_for_timeout(100)


def field(scope, label):
    """The form control labelled `label`, whether or not crispy marked it required with "*"."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


class AccessibilityViolation(AssertionError):
    pass


class Visitor:
    """One browser context and page, for one person. `follow`, `submit` and `go` wait for the
    next document and audit it; `check` audits the current one. A document that loads and is
    never audited fails the test at the end (`finish`), so every page a journey visits is checked."""

    def __init__(self, context, base_url, *, name, device, audits):
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.device = device
        self.page: Page = context.new_page()
        self.unaudited = []
        self.errors = []
        self.audits = audits  # shared by the test's visitors: (url, title, moderate_or_minor_ids, html)
        self.page.on("load", self._loaded)
        context.on("page", lambda page: self.errors.append(f"a page opened that no test follows: {page.url}"))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))

    def _loaded(self, page):
        """A document loaded: the app's must be audited; Chromium's own error page (offline, a
        refused connection) is not the app's, and its load event may come after the test moved on."""
        if not page.url.startswith("chrome-error://"):
            self.unaudited.append(page.url)

    def _console(self, message):
        # axe's own probes (an inline style it sets while measuring) are not the app's errors.
        if message.type == "error" and not message.location.get("url", "").endswith(AXE.name):
            self.errors.append(f"{self.page.url}: {message.text}")

    def url(self, path):
        return self.base_url + path

    def go(self, path):
        response = self.page.goto(self.url(path))
        assert response.ok, f"{path} answered {response.status}"
        return self.check()

    def follow(self, target):
        """Click a link or button that loads a new document (or the same one again), then audit it."""
        return self._audit_the_next_document(self._locator(target).click)

    def press(self, key):
        """Press a key that loads a new document (Enter on a link or a button), then audit it."""
        return self._audit_the_next_document(lambda: self.page.keyboard.press(key))

    def _audit_the_next_document(self, act):
        with self.page.expect_navigation(wait_until="load"):
            act()
        return self.check()

    def open_menu(self):
        """On a phone the main navigation is folded behind its toggler: unfold it."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()

    def open_menu_item(self, name):
        """Follow a link of the main navigation, unfolding it first on a phone."""
        self.open_menu()
        navigation = self.page.get_by_role("navigation", name=NAVIGATION)
        return self.follow(navigation.get_by_role("link", name=name, exact=True))

    def submit(self, target):
        """Press a form's button; the same as `follow`, named for what the person does."""
        return self.follow(target)

    def _locator(self, target):
        return self.page.get_by_role("link", name=target) if isinstance(target, str) else target

    def check(self):
        """Run axe on the page as it is now; fail on any serious or critical WCAG 2.2 AA violation."""
        self.page.wait_for_load_state("load")
        skipped = self.unaudited[:-1]
        assert not skipped, f"{self.name}: pages loaded and left without an audit: {skipped}"
        result = self.page.evaluate(
            """async (tags) => {
                // A long form's sticky Save bar covers what scrolls under it, as the screen's edge
                // does (the tab-through test checks that no focused element hides there): axe's
                // target sizes are measured with the bar at rest, at the end of the page.
                const scrolled = window.scrollY;
                if (document.querySelector(".sticky-actions")) window.scrollTo(0, document.body.scrollHeight);
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                window.scrollTo(0, scrolled);
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
                }));
            }""",
            WCAG_22_AA,
        )
        self.unaudited.clear()
        failing = [violation for violation in result if violation["impact"] in FAILING_IMPACTS]
        moderate_or_minor = [v["id"] for v in result if v not in failing]
        self.audits.append((self.page.url, self.page.title(), moderate_or_minor, self.page.content()))
        if failing:
            raise AccessibilityViolation(
                f"axe: {len(failing)} serious or critical violation(s) on {self.page.url}:\n"
                + json.dumps(failing, indent=2, ensure_ascii=False)
            )
        return self.page

    def log_in(self, username, password=DEMO_PASSWORD):
        if "/accounts/login/" not in self.page.url:
            self.go("/accounts/login/")
        self.page.get_by_label(re.compile("usuario|username|usuário", re.I)).fill(username)
        self.page.get_by_label(re.compile("contraseña|password|senha", re.I)).fill(password)
        self.submit(self.page.locator("form button[type=submit]").last)
        if "/accounts/login/codigo/" in self.page.url:
            # The demo admin and coordinators have a second factor (the demo's TOTP secret): the
            # code an app would show now, or the next one if this step was used by an earlier login.
            self.page.get_by_label(re.compile("código|code", re.I)).fill(code_for(username))
            self.submit(self.page.locator("form:has(input[name=code]) button[type=submit]"))
        expect(self.page).not_to_have_url(re.compile("/accounts/login/"))
        return self.page

    def screenshot(self, name):
        """Save the page as docs/screenshots/<name>-<device>.png (the README shows them)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{self.device}.png", animations="disabled", caret="hide")

    def finish(self):
        problems = []
        if self.unaudited:
            problems.append(f"{self.name}: pages loaded but never audited: {self.unaudited}")
        if self.errors:
            problems.append(f"{self.name}: console errors:\n  " + "\n  ".join(self.errors))
        return problems
