"""Lima's funding pipeline in a browser: its ambassador, on her phone, registers an opportunity
with the call's terms as a PDF, moves it to submitted and to awarded, and records part of the
money; a disbursement beyond what is left is refused at its field with what she typed kept. Her
coordinator, at a desktop, finds the money in the scope's totals in dollars. No page scrolls
sideways, on the phone or at 1280 px (the navigation with its new item included)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commitments.models import ExchangeRate
from commitments.sample_files import pdf_bytes
from funding import figures
from funding.models import Opportunity
from funding.tests.factories import FunderFactory

from .browsing import field

TITLE = "Movilidad eléctrica para el transporte público"


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_an_opportunity_registered_on_a_phone_is_awarded_and_counted_in_the_scope(open_browser):
    ExchangeRate.objects.get_or_create(
        currency="PEN", effective_on=datetime.date(2020, 1, 1), defaults={"usd_per_unit": Decimal("0.27")}
    )
    FunderFactory(name="Banco de Desarrollo de América Latina", kind="bank")

    lima = open_browser("emb.lima", device="phone")
    page = lima.page
    lima.open_menu_item("Financiamiento")
    expect(page.get_by_role("heading", level=1)).to_have_text("Financiamiento de Lima")
    assert_no_sideways_scroll(page)
    lima.follow(page.get_by_role("link", name="Registrar una oportunidad"))
    page.get_by_label("Financiador", exact=True).select_option(
        label="Banco de Desarrollo de América Latina (Banco multilateral de desarrollo)"
    )
    field(page, "Convocatoria o instrumento").fill(TITLE)
    field(page, "Monto solicitado").fill("0")
    lima.submit(page.get_by_role("button", name="Registrar la oportunidad"))
    # Refused at the field, with what she typed kept.
    expect(page.locator("#form-errors")).to_contain_text("El monto debe ser mayor que cero.")
    expect(field(page, "Convocatoria o instrumento")).to_have_value(TITLE)
    assert_no_sideways_scroll(page)
    field(page, "Monto solicitado").fill("400000")
    page.get_by_label("Moneda").select_option("PEN")
    lima.submit(page.get_by_role("button", name="Registrar la oportunidad"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("400 000,00 PEN · 108 000,00 USD")).to_be_visible()
    assert_no_sideways_scroll(page)

    page.get_by_label("Archivo").set_input_files(
        {"name": "bases.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Bases")}
    )
    field(page, "Descripción (opcional)").fill("Bases de la convocatoria")
    lima.submit(page.get_by_role("button", name="Añadir el documento"))
    expect(page.get_by_role("link", name="Bases de la convocatoria")).to_be_visible()

    page.get_by_label("Presentada").check()
    lima.submit(page.get_by_role("button", name="Cambiar de etapa"))
    page.get_by_label("Otorgada").check()
    field(page, "Monto otorgado").fill("350000")
    page.get_by_label("Comentario (opcional)").fill("Aprobada por el directorio del banco.")
    lima.submit(page.get_by_role("button", name="Cambiar de etapa"))
    expect(page.locator(".messages")).to_contain_text("La oportunidad pasó a la etapa «Otorgada».")

    field(page, "Monto recibido").fill("400000")
    field(page, "Nota (opcional)").fill("Primer tramo")
    lima.submit(page.get_by_role("button", name="Registrar el desembolso"))
    expect(page.get_by_text("Supera lo que queda por recibir: 350 000,00 PEN.")).to_be_visible()
    expect(field(page, "Nota (opcional)")).to_have_value("Primer tramo")
    assert_no_sideways_scroll(page)
    field(page, "Monto recibido").fill("100000")
    lima.submit(page.get_by_role("button", name="Registrar el desembolso"))
    expect(page.locator(".messages")).to_contain_text("Desembolso registrado.")
    assert_no_sideways_scroll(page)
    opportunity = Opportunity.objects.get(title=TITLE)
    assert (opportunity.stage, opportunity.amount_awarded) == ("awarded", Decimal("350000.00"))
    assert opportunity.disbursements.get().amount == Decimal("100000.00")

    # Her coordinator sees it in the scope's totals, in dollars.
    coordinator = open_browser("coord.sur")
    scope = coordinator.page
    coordinator.open_menu_item("Financiamiento")
    assert_no_sideways_scroll(scope)
    # The awarded row counts its 400 000 PEN at 0.27 with whatever else the demo's cities hold.
    scope_user = get_user_model().objects.get(username="coord.sur")
    stages = figures.pipeline(Opportunity.objects.visible_to(scope_user)).stages
    usd = next(stage["usd"] for stage in stages if stage["stage"] == "awarded")
    assert usd >= Decimal("108000.00")
    awarded = scope.locator("tr", has=scope.get_by_role("rowheader", name="Otorgada"))
    expect(awarded).to_contain_text(f"{usd:,.2f} USD".replace(",", " ").replace(".", ","))
    expect(scope.get_by_role("link", name="Lima").last).to_be_visible()
    coordinator.follow(scope.get_by_role("link", name="Lima").last)
    expect(scope.get_by_role("heading", level=1)).to_have_text("Financiamiento de Lima")
    expect(scope.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_sideways_scroll(scope)
