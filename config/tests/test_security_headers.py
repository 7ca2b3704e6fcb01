"""Every page carries the security headers, and no page holds inline script or style, so the
Content-Security-Policy can forbid both. A crawler follows the links of the demo as three
members of the cast to find the pages."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model

# Links a crawler must not follow: they change state on GET or leave the session.
SKIP_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/media/")
MAX_PAGES_PER_USER = 120


class PageParser(HTMLParser):
    """Collects the links of a page and any inline script, inline style or event handler."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.inline = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "style":
            self.inline.append("<style> element")
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self._in_script = True
        for name in attributes:
            if name == "style":
                self.inline.append(f"style attribute on <{tag}>")
            elif name.startswith("on"):
                self.inline.append(f"{name} handler on <{tag}>")
        if attributes.get("href", "").startswith("javascript:"):
            self.inline.append("javascript: link")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append("inline <script>")


def crawl(client, start, *, stay_under=""):
    """Visit every same-site page reachable from `start` (breadth first, bounded)."""
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < MAX_PAGES_PER_USER:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code == 302:
            links = [response["Location"]]
        elif response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        else:
            parser = PageParser()
            parser.feed(response.content.decode())
            links = parser.links
        for href in links:
            link, _fragment = urldefrag(href)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if link.startswith(SKIP_PREFIXES) or not link.startswith(stay_under) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return pages


class TestOnTheDemo:
    @pytest.mark.parametrize(
        ("username", "start", "stay_under"),
        [
            ("emb.lima", "/inicio/", ""),
            ("coord.sur", "/panel/", ""),
            ("admin", "/admin/", "/admin/"),
        ],
    )
    def test_every_page_has_a_strict_content_security_policy_and_no_inline_code(
        self, demo_for_reading, client, username, start, stay_under
    ):
        client.force_login(get_user_model().objects.get(username=username))
        pages = crawl(client, start, stay_under=stay_under)
        html_pages = {url: r for url, r in pages.items() if "text/html" in r.get("Content-Type", "")}
        assert len(html_pages) >= 10, sorted(pages)
        problems = []
        for url, response in html_pages.items():
            assert response.status_code < 500, url
            policy = response.get("Content-Security-Policy", "")
            if "script-src 'self'" not in policy or "style-src 'self'" not in policy or "unsafe-" in policy:
                problems.append(f"{url}: policy {policy!r}")
            if response.status_code == 200:
                parser = PageParser()
                parser.feed(response.content.decode())
                problems += [f"{url}: {found}" for found in parser.inline]
            for header, value in {
                "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin",
            }.items():
                if response.get(header) != value:
                    problems.append(f"{url}: {header} is {response.get(header)!r}")
        # The admin's own history page has one cosmetic inline style (django-simple-history).
        problems = [p for p in problems if not (p.endswith("style attribute on <p>") and "/history/" in p)]
        assert not problems, "\n".join(problems)


def test_the_session_and_csrf_cookies_are_httponly_and_samesite(client, ambassador):
    from conftest import PASSWORD

    csrf = client.get("/accounts/login/").cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    session = client.post("/accounts/login/", {"username": "alicia", "password": PASSWORD}).cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
