"""Commitment 1.4 in a browser: Lima's ambassador, on her phone, writes the city's diagnosis and
a transition plan with a milestone on each horizon, sends it to her coordinator, registers an
opportunity for one of its milestones with the call's terms as a PDF and its deadline 14 days
ahead (which her reminder digest then names), moves it to submitted and to awarded, and records
part of the money; a disbursement beyond what is left is refused at its field with what she typed kept. Her
coordinator, at a desktop, finds the money in the scope's totals in dollars. No page scrolls
sideways, on the phone or at 1280 px (the navigation with its new item included)."""

import datetime
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from commitments.models import ExchangeRate
from commitments.sample_files import pdf_bytes
from core.models import OutgoingEmail
from funding import figures
from funding.models import Opportunity, TransitionPlan
from funding.tests.factories import FunderFactory
from reports.digests import plan_reminders
from reports.models import Digest

from .browsing import field

TITLE = "Movilidad eléctrica para el transporte público"
MILESTONES = [
    ("corto plazo", "Licitación de 120 buses eléctricos", "2027-06-30"),
    ("mediano plazo", "Corredor eléctrico de la Vía Expresa", "2030-12-31"),
    ("largo plazo", "Flota municipal sin emisiones", "2040-12-31"),
]
DEADLINE = timezone.localdate() + datetime.timedelta(days=14)


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_an_opportunity_registered_on_a_phone_is_awarded_and_counted_in_the_scope(open_browser):
    ExchangeRate.objects.get_or_create(
        currency="PEN", effective_on=datetime.date(2020, 1, 1), defaults={"usd_per_unit": Decimal("0.27")}
    )
    FunderFactory(name="Banco de Desarrollo de América Latina", kind="bank")

    TransitionPlan.objects.filter(city__name="Lima").delete()  # the demo's plan: Lima starts over

    lima = open_browser("emb.lima", device="phone")
    page = lima.page
    lima.open_menu_item("Financiamiento")
    expect(page.get_by_role("heading", level=1)).to_have_text("Financiamiento de Lima")
    assert_no_sideways_scroll(page)

    # The diagnosis and the strategy, then a milestone on each horizon.
    lima.follow(page.get_by_role("link", name="Plan de transición de la ciudad"))
    lima.follow(page.get_by_role("link", name="Empezar el plan"))
    field(page, "Resumen del diagnóstico").fill("Lima emite 1,9 t de CO2 por habitante; el transporte es el 45 %.")
    field(page, "Fecha del diagnóstico").fill(datetime.date(2026, 9, 30).isoformat())
    field(page, "Prioridades de la estrategia").fill("Transporte público eléctrico\nEficiencia en edificios")
    lima.submit(page.get_by_role("button", name="Guardar y seguir con los hitos"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan de transición de Lima")
    for horizon, title, due in MILESTONES:
        lima.follow(page.get_by_role("link", name=f"Agregar un hito a {horizon}"))
        field(page, "Hito").fill(title)
        field(page, "Fecha prevista").fill(due)
        field(page, "Responsable").fill("Gerencia de Movilidad")
        lima.submit(page.get_by_role("button", name="Guardar el hito"))
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    assert_no_sideways_scroll(page)
    lima.screenshot("funding-plan")
    lima.submit(page.get_by_role("button", name="Enviar a revisión"))
    expect(page.get_by_text("Enviado a revisión").first).to_be_visible()
    plan = TransitionPlan.objects.get(city__name="Lima")
    assert plan.status == "submitted" and plan.milestones.count() == 3

    lima.open_menu_item("Financiamiento")
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
    field(page, "Fecha límite").fill(DEADLINE.isoformat())
    page.get_by_label(re.compile(MILESTONES[0][1])).check()
    lima.submit(page.get_by_role("button", name="Registrar la oportunidad"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("400 000,00 PEN · 108 000,00 USD")).to_be_visible()
    assert_no_sideways_scroll(page)
    lima.screenshot("funding-opportunity")

    # The deadline is in her next reminder digest (one email, with the rest of her reminders).
    alicia = get_user_model().objects.get(username="emb.lima")
    Digest.objects.filter(recipient=alicia, kind=Digest.Kind.REMINDERS).delete()
    plan_reminders(today=timezone.localdate(), now=timezone.now())
    (email,) = OutgoingEmail.objects.filter(recipient=alicia, key__startswith="digest:").order_by("-pk")[:1]
    assert TITLE in email.body and "14" in email.body, email.body

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
    # The awarded row counts the 350 000 PEN granted at 0.27 with whatever else the demo's cities hold.
    scope_user = get_user_model().objects.get(username="coord.sur")
    stages = figures.pipeline(Opportunity.objects.visible_to(scope_user)).stages
    usd = next(stage["usd"] for stage in stages if stage["stage"] == "awarded")
    assert usd >= Decimal("94500.00")
    awarded = scope.locator("tr", has=scope.get_by_role("rowheader", name="Otorgada"))
    expect(awarded).to_contain_text(f"{usd:,.2f} USD".replace(",", " ").replace(".", ","))
    expect(scope.get_by_role("link", name="Lima").last).to_be_visible()
    coordinator.follow(scope.get_by_role("link", name="Lima").last)
    expect(scope.get_by_role("heading", level=1)).to_have_text("Financiamiento de Lima")
    expect(scope.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_sideways_scroll(scope)
