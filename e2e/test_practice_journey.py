"""A practice travels across the network: Lima's ambassador publishes it from an approved action,
her coordinator approves it, and the ambassador of Ciudad de México (another coordinator's scope)
finds it by typing without accents, replicates it and links a draft; the practice's page then
lists Ciudad de México where it spread."""

import re

from playwright.sync_api import expect

from commitments.models import Action

from .browsing import field, wait_until

TITLE = "Escuela de Gobernanza Emocional para la atención ciudadana"


def test_a_practice_published_in_lima_is_found_and_replicated_in_mexico_city(open_browser):
    approved = Action.objects.filter(city__name="Lima", status=Action.Status.APPROVED).order_by("-started_on").first()
    draft = Action.objects.get(city__name="Ciudad de México", status=Action.Status.DRAFT)

    # Lima's ambassador, on her phone, publishes the practice from an approved action.
    lima = open_browser("emb.lima", device="phone")
    page = lima.page
    lima.go(f"/acciones/{approved.pk}/")
    lima.follow(page.get_by_role("link", name="Publicar como buena práctica"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nueva buena práctica")
    expect(page.locator(f"input[name=actions][value='{approved.pk}']")).to_be_checked()
    # Of the action's files she shares the photo, not the minutes.
    page.get_by_role("checkbox", name=f"foto.png (de «{approved.title}»)").check()
    field(page, "Título").fill(TITLE)
    page.get_by_label("Resumen en español").fill(
        "Talleres de escucha activa y trato cercano para el personal que atiende al público."
    )
    page.get_by_label("Resumen en portugués").fill("Oficinas de governança emocional para os servidores.")
    field(page, "Qué problema atendía").fill("Quejas por el trato en las ventanillas municipales.")
    field(page, "Qué se hizo").fill("Seis talleres con 120 servidores públicos y una guía de atención.")
    field(page, "Resultados").fill("Las quejas por trato bajaron un 30 % en un año.")
    field(page, "Cómo replicarla").fill("Un convenio con la universidad local y un ciclo de seis talleres.")
    page.get_by_label(re.compile("Paz, justicia e instituciones sólidas")).check()
    page.get_by_label(re.compile("mostrar mi nombre y correo", re.IGNORECASE)).check()
    lima.submit(page.get_by_role("button", name="Guardar y enviar a revisión"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Enviada a revisión").first).to_be_visible()
    lima.screenshot("practice-sent")

    # Her coordinator finds it waiting in the library and publishes it.
    coordinator = open_browser("coord.sur")
    review = coordinator.page
    coordinator.open_menu_item("Prácticas")
    coordinator.follow(review.get_by_role("link", name=TITLE))
    review.get_by_label("Comentario", exact=True).fill("Muy clara, gracias.")
    coordinator.submit(review.get_by_role("button", name="Aprobar y publicar"))
    expect(review.locator(".messages")).to_contain_text(TITLE)

    # Mexico City's ambassador searches without accents and in lower case, and finds only it.
    cdmx = open_browser("emb.cdmx", device="phone")
    mexico = cdmx.page
    cdmx.open_menu_item("Prácticas")
    mexico.get_by_role("searchbox").fill("gobernanza emocional atencion")
    cdmx.press("Enter")
    results = mexico.get_by_role("link", name=TITLE)
    expect(results).to_have_count(1)
    cdmx.screenshot("practice-search")
    cdmx.follow(results)
    expect(mexico.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(mexico.get_by_text("Talleres de escucha activa")).to_be_visible()
    shared = mexico.get_by_role("region", name="Fotos y documentos")
    expect(shared).to_contain_text("foto.png")
    expect(shared).not_to_contain_text("acta.pdf")

    # She records the replication and links a draft action of her city to it.
    mexico.get_by_label(re.compile("Cómo la adapta")).fill("Con el DIF y los módulos de atención de las alcaldías.")
    cdmx.submit(mexico.get_by_role("button", name="Replicar esta práctica"))
    mexico.get_by_label("Acción de su ciudad").select_option(value=str(draft.pk))
    cdmx.submit(mexico.get_by_role("button", name="Enlazar la acción"))
    expect(mexico.get_by_text(draft.title).first).to_be_visible()
    expect(mexico.get_by_text("En curso").first).to_be_visible()

    # The practice's page lists where it spread.
    cdmx.follow(mexico.get_by_role("link", name=re.compile("Volver a la práctica")))
    spread = mexico.get_by_role("table", name="Ciudades que replican la práctica")
    expect(spread).to_contain_text("Ciudad de México")
    # And on the map: the practice's city and the one replicating it, drawn from the offline atlas.
    wait_until(mexico, "() => Chart.getChart(document.getElementById('practice-map'))?.data.labels.length === 2")
    cdmx.screenshot("practice")
