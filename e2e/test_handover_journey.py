"""Renewal and handover in a browser: Peru's coordinator, on her phone, opens "Periodos", finds
Lima's term ending within 60 days and names a registered person to succeed its ambassador. The
successor signs in, is told in "Mis acciones" of the draft her predecessor left, takes it over
and sends it for review as her own. axe finds no serious violation on the terms pages, and no
page scrolls sideways on a phone."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from ambassadors.demo import DEMO_PASSWORD
from ambassadors.models import Ambassador
from ambassadors.services import ambassador_set_term
from ambassadors.tests.factories import UserFactory
from commitments.models import Action
from commitments.tests.factories import ActionFactory
from terms.models import Handover

DRAFT = "Taller de compostaje en Comas"


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_a_coordinator_names_a_successor_who_takes_over_a_draft(open_browser):
    lima = Ambassador.objects.current().select_related("user").get(city__name="Lima")
    ambassador_set_term(ambassador=lima, term_ends_on=timezone.localdate() + datetime.timedelta(days=40))
    draft = ActionFactory(by=lima.user, title=DRAFT)
    UserFactory(username="ines.huaman", first_name="Inés", last_name="Huamán", password=DEMO_PASSWORD)

    coordinator = open_browser("coord.sur", device="phone")
    page = coordinator.page
    coordinator.open_menu_item("Periodos")
    expect(page.get_by_role("heading", level=1)).to_have_text("Periodos de los embajadores")
    coordinator.check()
    assert_no_sideways_scroll(page)
    coordinator.follow(page.get_by_role("link", name=re.compile(r"^Lima · ")))
    coordinator.check()
    assert_no_sideways_scroll(page)
    page.get_by_label("Persona registrada").select_option(label="Inés Huamán (ines.huaman@example.org)")
    coordinator.submit(page.get_by_role("button", name=re.compile(r"^Nombrar.* al sucesor$")))
    expect(page.locator(".messages")).to_contain_text("Relevo registrado: Inés Huamán sucede en Lima.")
    handover = Handover.objects.select_related("successor__user").get()
    assert (handover.outgoing_id, handover.successor.user.username) == (lima.pk, "ines.huaman")

    successor = open_browser("ines.huaman", device="phone")
    page = successor.page
    successor.open_menu_item("Mis acciones")
    expect(page.get_by_role("status").first).to_contain_text("Su predecesor dejó")
    successor.follow(page.get_by_role("link", name="Continuarlas o descartarlas"))
    expect(page.get_by_text(DRAFT, exact=True)).to_be_visible()
    successor.check()
    assert_no_sideways_scroll(page)
    successor.submit(page.get_by_role("button", name=re.compile(f"^Continuarla.*{DRAFT}$")))
    expect(page.get_by_role("heading", level=1)).to_have_text(DRAFT)
    successor.submit(page.get_by_role("button", name="Enviar a revisión"))
    expect(page.locator(".messages")).to_contain_text("Acción enviada a revisión.")
    draft = Action.objects.select_related("ambassador__user").get(pk=draft.pk)
    assert (draft.status, draft.ambassador.user.username) == ("submitted", "ines.huaman")
