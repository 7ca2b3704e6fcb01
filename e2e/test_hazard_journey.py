"""Commitment 3.1 in a browser: Lima's ambassador, on her phone, records a flood in the city's
hazard log (an end before its start is refused at its field first, with what she typed kept),
then logs the action that responded to it on commitment 3.1, choosing the kind, the phase and
the event in the action's own form. The event's page lists the action with its phase. axe
finds no serious violation on the event form nor on the action form with the section shown,
and no page scrolls sideways."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from hazards.models import HazardEvent

from .browsing import field

TITLE = "Inundación en San Juan de Lurigancho"
ACTION = "Brigadas de limpieza tras la inundación"
TODAY = timezone.localdate()


def _day(days_ago):
    return (TODAY - datetime.timedelta(days=days_ago)).isoformat()


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_a_flood_recorded_on_a_phone_is_answered_by_an_action_of_3_1(open_browser):
    lima = open_browser("emb.lima", device="phone")
    page = lima.page
    lima.open_menu_item("Riesgos")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eventos de riesgo")
    assert_no_sideways_scroll(page)

    # The event, first with an end before its start: refused at that field, the rest kept.
    lima.follow(page.get_by_role("link", name="Registrar un evento"))
    page.get_by_label("Tipo de evento").select_option(label="Inundación")
    field(page, "Nombre").fill(TITLE)
    field(page, "Fecha de inicio").fill(_day(6))
    field(page, "Fecha de fin").fill(_day(8))
    field(page, "Zona afectada").fill("Quebradas de Canto Grande")
    field(page, "Personas afectadas").fill("2300")
    field(page, "Personas fallecidas").fill("0")
    field(page, "Personas desaparecidas").fill("0")
    field(page, "Pérdida económica directa").fill("1500000")
    expect(page.get_by_label("Moneda")).to_have_value("PEN")  # Lima's currency, proposed
    lima.submit(page.get_by_role("button", name="Registrar el evento"))
    refusal = "La fecha de fin no puede ser anterior a la de inicio."
    expect(page.locator("#form-errors")).to_contain_text(refusal)
    expect(page.locator("#div_id_ended_on")).to_contain_text(refusal)
    expect(field(page, "Fecha de fin")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Nombre")).to_have_value(TITLE)
    expect(field(page, "Personas afectadas")).to_have_value("2300")
    assert not HazardEvent.objects.exists()
    assert_no_sideways_scroll(page)
    lima.screenshot("hazard-event-form")

    field(page, "Fecha de fin").fill(_day(4))
    lima.submit(page.get_by_role("button", name="Registrar el evento"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".messages")).to_contain_text(f"Evento registrado: «{TITLE}».")
    expect(page.get_by_text("1 500 000,00 PEN")).to_be_visible()
    assert_no_sideways_scroll(page)
    event = HazardEvent.objects.get(title=TITLE)
    assert (event.city.name, event.people_affected, event.deaths, event.currency) == ("Lima", 2300, 0, "PEN")

    # The action that responded to it, on commitment 3.1, of the hazard-response kind.
    lima.open_menu_item("Mis acciones")
    lima.follow("Registrar una acción")
    lima.follow(page.get_by_role("link", name=re.compile(r"^3\.1 ")))
    expect(page.get_by_role("heading", name="Nueva acción")).to_be_visible()
    section = page.locator('[data-kind-section="hazard_response"]')
    expect(section).to_be_hidden()
    page.get_by_label("Preparación o respuesta ante un evento").check()
    expect(section).to_be_visible()
    expect(section.get_by_role("link", name="Registrar un evento")).to_be_visible()
    field(page, "Título").fill(ACTION)
    page.get_by_label("Qué se hizo").fill("Retiro de lodo y entrega de agua segura a 300 familias.")
    page.get_by_label("Fecha de inicio").fill(_day(5))
    field(page, "Personas alcanzadas").fill("900")
    section.get_by_label("Fase").select_option(label="Respuesta")
    section.get_by_label("Amenaza").select_option(label="Inundación")
    section.get_by_label(re.compile(f"{TITLE} · Inundación")).check()
    lima.check()  # axe, with the section shown and filled in
    assert_no_sideways_scroll(page)
    lima.screenshot("hazard-response-form")
    lima.submit(page.get_by_role("button", name="Guardar borrador"))

    expect(page.get_by_role("heading", level=1)).to_have_text(ACTION)
    response = page.get_by_role("region", name="La preparación o respuesta")
    expect(response).to_contain_text("Respuesta · Inundación")
    event.refresh_from_db()
    [answer] = event.responses.select_related("action")
    assert (answer.action.title, answer.action.kind, answer.phase) == (ACTION, "hazard_response", "respond")

    # The event's page lists it, with its phase.
    lima.follow(response.get_by_role("link", name=TITLE))
    linked = page.get_by_role("region", name="Acciones vinculadas")
    expect(linked.get_by_role("link", name=ACTION)).to_be_visible()
    expect(linked).to_contain_text("Respuesta")
    assert_no_sideways_scroll(page)
    lima.screenshot("hazard-event")

    # The log lists it, with the action that answers it.
    lima.open_menu_item("Riesgos")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_text("1 acción vinculada")).to_be_visible()
    assert_no_sideways_scroll(page)
