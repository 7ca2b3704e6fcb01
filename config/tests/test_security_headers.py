"""Every page carries the security headers, and no page holds inline script or style, so the
Content-Security-Policy can forbid both. A crawler follows the links of the demo as three
members of the cast to find the pages."""

import pytest
from django.contrib.auth import get_user_model

from config.tests.crawling import PageParser, crawl, html_of


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
                parser.feed(html_of(response))
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
