"""Lists that grow with a city's work, on a phone (360 px): a stage of the funding board with
more cards than its column shows, the list of all of them a link away; a plan's milestone with
more opportunities than it lists; the actions list past the count it gives. Nothing scrolls
sideways, every page passes axe and the validator."""

import datetime

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commitments import views as commitment_views
from funding import boards, plan_views
from funding.models import Opportunity
from funding.tests.factories import OpportunityFactory, TransitionPlanFactory

from .test_pipeline_journey import assert_no_sideways_scroll


def test_a_long_stage_a_long_milestone_and_a_long_action_list_on_a_phone(open_browser, monkeypatch):
    ambassador = get_user_model().objects.get(username="emb.lima")
    plan = TransitionPlanFactory(by=ambassador)  # a draft with a milestone on each horizon
    milestone = plan.milestones.order_by("pk").first()
    today = datetime.date.today()
    already = Opportunity.objects.filter(city=plan.city, stage="identified").count()
    for number in range(boards.CARDS_PER_STAGE + 1):
        OpportunityFactory(
            by=ambassador,
            title=f"Convocatoria larga {number:02d} de un fondo climático regional",
            deadline=today + datetime.timedelta(days=200 + number),
            milestones=[milestone],
        )
    identified = already + boards.CARDS_PER_STAGE + 1
    monkeypatch.setattr(plan_views, "OPPORTUNITIES_PER_MILESTONE", 1)
    monkeypatch.setattr(commitment_views, "ACTIONS_PER_PAGE", 2)
    monkeypatch.setattr(commitment_views, "ACTIONS_COUNTED", 4)

    lima = open_browser("emb.lima", device="phone")
    page = lima.page
    lima.open_menu_item("Financiamiento")
    column = page.get_by_role("region", name="Identificada")
    expect(column.get_by_role("listitem").filter(has=page.get_by_role("heading"))).to_have_count(boards.CARDS_PER_STAGE)
    assert_no_sideways_scroll(page)
    lima.follow(page.get_by_role("link", name=f"Ver las {identified} oportunidades de «Identificada»"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Identificada: financiamiento de Lima")
    expect(page.get_by_role("heading", level=2)).to_have_count(identified)
    expect(
        page.get_by_text(f"{identified} oportunidades en esta etapa; primero la fecha límite más próxima")
    ).to_be_visible()
    assert_no_sideways_scroll(page)
    lima.screenshot("funding-stage")
    lima.follow(page.get_by_role("link", name="Financiamiento de Lima"))

    lima.go(f"/financiamiento/planes/{plan.pk}/")
    linked = milestone.opportunities.count()
    cards = page.locator(f"#milestone-{milestone.pk} ul a[href^='/financiamiento/oportunidades/']")
    expect(cards).to_have_count(1)
    lima.follow(page.get_by_role("link", name=f"Ver las {linked} oportunidades de «{milestone.title}»"))
    expect(cards).to_have_count(linked)
    assert_no_sideways_scroll(page)

    lima.open_menu_item("Mis acciones")
    expect(page.get_by_role("status").filter(has_text="Más de 4 acciones")).to_be_visible()
    lima.follow(page.get_by_role("link", name="Siguiente"))
    expect(page.get_by_text("Página 2 de 2")).to_be_visible()
    assert_no_sideways_scroll(page)
