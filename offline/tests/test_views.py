"""The service worker and the manifest: served from the root, with the right types and headers,
under the site's Content-Security-Policy, loading Workbox from the site's own static files."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from offline import rules
from offline.icons import SIZES


@pytest.mark.django_db
def test_the_service_worker_is_javascript_at_the_root_with_the_whole_site_as_scope(client):
    response = client.get("/sw.js")
    assert reverse("offline:service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


@pytest.mark.django_db
def test_the_service_worker_is_under_the_csp_and_loads_workbox_from_this_site(client):
    response = client.get("/sw.js")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    body = response.content.decode()
    assert "/static/vendor/workbox/workbox-sw.js" in body
    for module in ("workbox-core", "workbox-routing", "workbox-strategies", "workbox-cacheable-response"):
        assert f"/static/vendor/workbox/{module}.prod.js" in body
        assert finders.find(f"vendor/workbox/{module}.prod.js")
    assert "googleapis" not in body and "http" not in body.split("importScripts", 1)[1].split(")", 1)[0]
    assert rules.HEADER in body


@pytest.mark.django_db
def test_the_service_worker_routes_only_the_ambassadors_pages(client):
    body = client.get("/sw.js").content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    patterns = config["pages"]
    assert "^/acciones/\\\\d+/$".replace("\\\\", "\\") in patterns
    assert "^/acciones/$" in patterns and "^/$" in patterns
    assert not any("admin" in pattern or "api" in pattern or "informes" in pattern for pattern in patterns)


@pytest.mark.django_db
def test_the_service_worker_answers_only_get(client):
    assert client.post("/sw.js").status_code == 405
    assert client.post("/manifest.webmanifest").status_code == 405


@pytest.mark.django_db
def test_the_manifest_names_the_app_its_icons_colours_and_start_page(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    assert "Content-Security-Policy" in response
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "OMCS"
    assert manifest["start_url"] == reverse("ambassadors:landing")
    assert manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#145c43"
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert purposes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", ["icon", "icon-maskable"])
def test_the_icons_are_committed_pngs_of_their_size(size, kind):
    path = finders.find(f"img/icons/{kind}-{size}.png")
    assert path, f"{kind}-{size}.png is missing: run manage.py draw_icons"
    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (size, size))


@pytest.mark.django_db
def test_every_page_links_the_manifest(client):
    page = client.get(reverse("home")).content.decode()
    assert f'<link rel="manifest" href="{reverse("offline:manifest")}">' in page
