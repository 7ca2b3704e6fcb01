"""Invitations in a browser: coord.sur, on her phone, invites a new ambassador for a city of Peru
next to Lima (a city of another country is not even offered); the email's link is opened in
another phone, the person sets a name and a password and lands on their city, logged in. The
invitation then shows as accepted on coord.sur's list, and the same link only says it was used.
axe finds no serious violation on any of these pages, and none scrolls sideways."""

import re

from django.core import mail
from playwright.sync_api import expect

from ambassadors.models import Ambassador, City

from .browsing import field
from .test_hazard_journey import assert_no_sideways_scroll

PASSWORD = "una-clave-nueva-para-el-callao-2026"


def _neighbour_of_lima():
    """Callao when the gazetteer has it, else Peru's most populous city without an ambassador."""
    peru = City.objects.filter(country_id="PE").exclude(ambassadors__isnull=False)
    return peru.filter(name="Callao").first() or peru.order_by("-population").first()


def test_a_coordinator_invites_an_ambassador_who_follows_the_link_and_lands_on_the_city(open_browser):
    city = _neighbour_of_lima()
    coordinator = open_browser("coord.sur", device="phone")
    page = coordinator.page
    coordinator.open_menu_item("Invitaciones")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitaciones")
    coordinator.follow("Invitar a una persona")
    assert page.locator(f'#id_city option[value="{City.objects.get(name="Ciudad de México").pk}"]').count() == 0
    field(page, "Nombre completo").fill("Nora Nueva Salazar")
    field(page, "Correo").fill("nora.nueva@example.org")
    page.locator("#id_city").select_option(value=str(city.pk))
    assert_no_sideways_scroll(page)
    mail.outbox.clear()
    coordinator.submit(page.get_by_role("button", name="Enviar la invitación"))
    expect(page.locator(".messages")).to_contain_text("Invitación enviada a nora.nueva@example.org.")
    expect(page.get_by_role("row", name=re.compile("Nora Nueva Salazar"))).to_contain_text("Pendiente")
    assert_no_sideways_scroll(page)

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/invitacion/\S+/", message.body).group(0)
    path = "/invitacion/" + link.split("/invitacion/")[1]

    nora = open_browser(None, device="phone")
    nora.go(path)
    expect(nora.page.get_by_role("heading", level=1)).to_have_text("Hola, Nora Nueva Salazar")
    expect(nora.page.locator("main")).to_contain_text(
        f"le invita a ser embajadora o embajador de la OMCS en {city.name}"
    )
    assert_no_sideways_scroll(nora.page)
    field(nora.page, "Contraseña").fill(PASSWORD)
    field(nora.page, "Repita la contraseña").fill(PASSWORD)
    nora.submit(nora.page.get_by_role("button", name="Aceptar y entrar"))
    expect(nora.page.locator(".messages")).to_contain_text("su nombramiento ya está en vigor")
    appointment = Ambassador.objects.current().get(city=city)
    assert appointment.user.email == "nora.nueva@example.org"
    expect(nora.page).to_have_url(re.compile(rf"/{appointment.city_id}/"))

    coordinator.go("/invitaciones/")
    expect(page.get_by_role("row", name=re.compile("Nora Nueva Salazar"))).to_contain_text("Aceptada")

    used = open_browser(None, device="phone")
    response = used.page.goto(used.url(path))
    assert response.status == 410
    used.check()
    # Chromium reports any 4xx document in the console: this one is the answer expected.
    used.errors = [error for error in used.errors if "status of 410" not in error]
    expect(used.page.locator("main")).to_contain_text("Esta invitación ya fue aceptada.")
