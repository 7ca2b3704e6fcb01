"""The schema and the browsable docs: served by us, under the site's CSP, no inline script."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_docs_page_has_no_inline_script_nor_style_and_keeps_the_csp(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads Swagger UI"
    assert all('src="' in attributes and not body.strip() for attributes, body in scripts)
    assert "<style" not in html and "style=" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy.replace("https:", "")
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]


def test_every_file_the_docs_load_is_ours(client):
    html = client.get("/api/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert source.startswith("/"), f"{source} is not served by the site"
        if source.startswith(settings.STATIC_URL) or source.startswith("/" + settings.STATIC_URL):
            assert finders.find(source.split(settings.STATIC_URL, 1)[1]), f"{source} is not among our static files"


def test_the_start_up_script_is_a_file_that_names_our_schema(client):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in response.content.decode()


def test_the_schema_declares_the_token_scheme_and_the_error_answers(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    schema = response.json()
    assert schema["components"]["securitySchemes"]["personalToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["personalToken"]["description"],
    }
    operation = schema["paths"]["/api/v1/actions/{id}/"]["get"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
    assert {"personalToken": []} in operation["security"]
