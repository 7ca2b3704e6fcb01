"""The public pages in a browser: someone without an account opens the network's page from the
footer, goes to Lima's on a phone 360 px wide, and switches to English there. axe finds no
serious violation on any of them, no page scrolls sideways, and the map and the chart draw."""

import uuid

import pytest
from playwright.sync_api import expect

from public import cache
from public.demo import load_demo_public

from .browsing import NAVIGATION, wait_until


@pytest.fixture(autouse=True)
def _own_public_cache(monkeypatch):
    """The pages' content of this run only: an earlier run's, kept in Redis under the same city ids
    and versions, would show its figures (the live server is a thread of this process)."""
    monkeypatch.setattr(cache, "SALT", uuid.uuid4().hex[:8])


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_an_anonymous_visitor_reads_the_network_and_a_city_on_a_phone_in_english(open_browser):
    load_demo_public()

    desktop = open_browser(None)
    desktop.go("/accounts/login/")
    desktop.follow(desktop.page.get_by_role("contentinfo").get_by_role("link", name="Avances públicos de las ciudades"))
    page = desktop.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Avances públicos de las ciudades")
    cities = page.get_by_role("table", name="Ciudades con página pública y sus acciones aprobadas")
    for city in ("Lima", "Bogotá", "Rosario", "Ciudad de México"):
        expect(cities.get_by_role("link", name=city, exact=True)).to_be_visible()
    expect(cities.get_by_role("link", name="Medellín")).to_have_count(0)  # asked for, not yet approved
    expect(page.locator("#public-map")).to_be_visible()
    wait_until(page, "() => window.Chart && Chart.getChart(document.getElementById('public-map'))")
    desktop.screenshot("public-network")

    phone = open_browser(None, device="phone")
    phone.go("/publico/")
    page = phone.page
    assert_no_sideways_scroll(page)
    phone.follow(page.get_by_role("link", name="Lima", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lima")
    expect(page.get_by_role("heading", name="Acciones aprobadas", exact=True)).to_be_visible()
    expect(page.locator(".navbar")).to_contain_text("Iniciar sesión")  # nobody is logged in
    wait_until(page, "() => window.Chart && Chart.getChart(document.getElementById('chart-city-actions'))")
    assert_no_sideways_scroll(page)
    phone.screenshot("public-city")

    phone.open_menu()
    navigation = page.get_by_role("navigation", name=NAVIGATION)
    navigation.get_by_label("Idioma", exact=True).select_option(label="English")
    phone.submit(navigation.get_by_role("button", name="Cambiar", exact=True))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lima")
    expect(page.get_by_role("heading", name="Approved actions", exact=True)).to_be_visible()
    assert page.url.endswith("/publico/lima-pe/")
    assert_no_sideways_scroll(page)
