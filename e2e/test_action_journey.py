"""An ambassador on a phone logs an action; the coordinator returns it, then approves it; the
city dashboard and the coordinator's overview count it."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from .browsing import field

TITLE = "Feria de reciclaje en el mercado de Surquillo"


def _figure(page, label):
    """A headline figure of the overview ("Acciones aprobadas" → 1234), read as the page shows it."""
    text = page.locator(".card-body", has=page.get_by_text(label, exact=True)).locator(".figure-value").inner_text()
    return int(re.sub(r"\D", "", text))


def test_an_action_logged_on_a_phone_is_returned_fixed_resubmitted_approved_and_counted(open_browser, tmp_path):
    coordinator = open_browser("coord.sur", device="desktop")
    coordinator.open_menu_item("Panel")
    approved_before = _figure(coordinator.page, "Acciones aprobadas")

    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    ambassador.open_menu_item("Mis acciones")
    ambassador.follow("Registrar una acción")
    ambassador.follow(page.get_by_role("link", name=re.compile(r"^2\.1 ")))
    expect(page.get_by_role("heading", name="Nueva acción")).to_be_visible()

    field(page, "Título").fill(TITLE)
    page.get_by_label("Economía local").check()
    page.get_by_label("Qué se hizo").fill("Puesto de intercambio de residuos reciclables con 40 familias.")
    page.get_by_label("Fecha de inicio").fill(timezone.localdate().isoformat())  # the server's today
    field(page, "Personas alcanzadas").fill("120")
    page.get_by_role("group", name="Indicadores").get_by_label("Personas beneficiadas (personas)").fill("35")
    ambassador.submit(page.get_by_role("button", name="Guardar borrador"))

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".status-badge").first).to_have_text("Borrador")
    # Money is no longer typed on the action: the city's ambassador registers an opportunity for it.
    financing = page.get_by_role("region", name="Financiamiento")
    expect(financing).to_contain_text("Ninguna oportunidad de financiamiento la financia todavía.")
    register = financing.get_by_role("link", name="Registrar una oportunidad para esta acción")
    expect(register).to_have_attribute("href", re.compile(r"\?accion=\d+$"))

    evidence = tmp_path / "lista-de-asistencia.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    page.get_by_label("Archivos").set_input_files(evidence)
    ambassador.submit(page.get_by_role("button", name="Subir"))
    expect(page.get_by_role("link", name="lista-de-asistencia.pdf")).to_be_visible()

    ambassador.submit(page.get_by_role("button", name="Enviar a revisión"))
    expect(page.locator(".status-badge").first).to_have_text("Enviada a revisión")
    ambassador.screenshot("action")

    # The coordinator finds it in the review queue and returns it with a comment.
    review = coordinator.page
    coordinator.open_menu_item(re.compile("^Revisión"))
    coordinator.follow(review.get_by_role("link", name=TITLE))
    review.get_by_label("Comentario para el embajador").fill("Falta el número de familias por barrio.")
    coordinator.submit(review.get_by_role("button", name="Devolver con comentario"))
    expect(review.locator(".messages")).to_contain_text(f"Acción devuelta a su embajador: «{TITLE}».")
    expect(review.get_by_role("link", name=TITLE)).to_have_count(0)

    # The ambassador sees the notice and the comment, fixes the action and sends it again.
    ambassador.go("/")
    ambassador.open_menu_item(re.compile("^Avisos"))
    ambassador.follow(page.get_by_role("link", name=re.compile(TITLE)).first)
    expect(page.get_by_role("alert")).to_contain_text("Falta el número de familias por barrio.")
    ambassador.follow(page.get_by_role("link", name="Editar", exact=True))
    page.get_by_label("Qué resultó").fill("Surquillo: 22 familias; Barranco: 18 familias.")
    ambassador.submit(page.get_by_role("button", name="Guardar y enviar a revisión"))
    expect(page.locator(".status-badge").first).to_have_text("Enviada a revisión")

    # The coordinator approves it.
    coordinator.open_menu_item(re.compile("^Revisión"))
    coordinator.follow(review.get_by_role("link", name=TITLE))
    # The outcome as it reads now, and the change in the action's history.
    expect(review.get_by_text("Surquillo: 22 familias; Barranco: 18 familias.", exact=True)).to_be_visible()
    expect(review.get_by_text(re.compile("^puso el resultado: «Surquillo"))).to_be_visible()
    coordinator.submit(review.get_by_role("button", name="Aprobar"))
    expect(review.locator(".messages")).to_contain_text(f"Acción aprobada: «{TITLE}».")

    # The city dashboard lists it and the overview counts it.
    ambassador.open_menu_item("Mi ciudad")
    approved = page.get_by_role("region", name="Acciones aprobadas en los últimos doce meses")
    expect(approved.get_by_role("link", name=TITLE)).to_be_visible()
    expect(approved).to_contain_text(f"{TITLE} · 120 personas")
    coordinator.open_menu_item("Panel")
    assert _figure(review, "Acciones aprobadas") == approved_before + 1
