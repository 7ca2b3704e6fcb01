"""Languages: the switcher keeps the person on their page; English and Portuguese pages show no
Spanish interface text; numbers and dates are written the way the chosen language writes them."""

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from commitments.models import Action

from .browsing import NAVIGATION

LANGUAGES = ("es", "en", "pt-br")
# Interface strings of the journeys' pages, in Spanish, English and Portuguese; the translations
# differ from the Spanish, so a page left in Spanish shows. The test holds them to the catalogue.
UI = [
    ("Saltar al contenido", "Skip to content", "Pular para o conteúdo"),
    ("Iniciar sesión", "Log in", "Entrar"),
    ("Cerrar sesión", "Log out", "Sair"),
    ("Mi ciudad", "My city", "Minha cidade"),
    ("Mis acciones", "My actions", "Minhas ações"),
    ("Revisión", "Review", "Revisão"),
    ("Informes de progreso", "Progress reports", "Relatórios de progresso"),
    ("Registrar una acción", "Log an action", "Registrar uma ação"),
    ("Nueva acción", "New action", "Nova ação"),
    ("Guardar borrador", "Save draft", "Salvar rascunho"),
    ("Guardar y enviar a revisión", "Save and submit for review", "Salvar e enviar para revisão"),
    ("Borrador", "Draft", "Rascunho"),
    ("Historial", "History", "Histórico"),
    ("Marcar todos como leídos", "Mark all as read", "Marcar todos como lidos"),
    ("Acciones aprobadas", "Approved actions", "Ações aprovadas"),
    ("Personas alcanzadas", "People reached", "Pessoas alcançadas"),
    ("Panel de coordinación", "Coordination dashboard", "Painel de coordenação"),
    ("Acciones por revisar", "Actions to review", "Ações a revisar"),
    ("Devolver con comentario", "Return with a comment", "Devolver com comentário"),
    ("Descargar CSV", "Download CSV", "Baixar CSV"),
    ("Pedir el informe", "Request the report", "Solicitar o relatório"),
    ("Resumen", "Summary", "Resumo"),
]


def test_an_ambassador_on_a_phone_switches_language_and_stays_on_the_same_page(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    approved = Action.objects.filter(ambassador__user__username="emb.lima", status=Action.Status.APPROVED).count()
    assert approved > 1
    filtered = reverse("commitments:actions") + "?status=approved"
    ambassador.go(filtered)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis acciones")

    _switch_language(ambassador, "Idioma", "English", "Cambiar")
    expect(page).to_have_url(ambassador.url(filtered))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.get_by_role("status")).to_have_text(f"{approved} actions")  # still filtered

    _switch_language(ambassador, "Language", "Português Brasileiro", "Change")
    expect(page).to_have_url(ambassador.url(filtered))
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("heading", level=1)).to_have_text("Minhas ações")
    expect(page.get_by_role("status")).to_have_text(f"{approved} ações")

    # The choice outlives the page.
    ambassador.open_menu_item("Minha cidade")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("heading", name="Metas")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "pt-br"])
def test_no_page_of_the_journeys_shows_spanish_interface_text_in_english_or_portuguese(
    open_browser, lima_report, financed_action, language
):
    column = LANGUAGES.index(language)
    with translation.override(language):
        assert [gettext(strings[0]) for strings in UI] == [strings[column] for strings in UI]

    texts = _journey_pages(open_browser, language, report=lima_report[0], action=financed_action)
    spanish = {url: found for url, text in texts.items() if (found := [s[0] for s in UI if s[0] in text])}
    assert spanish == {}
    everything = "\n".join(texts.values())
    assert [strings[column] for strings in UI if strings[column] not in everything] == []


# The demo gives every city a 3.1-a target of 5000 m³ due on 31 December 2028.
@pytest.mark.parametrize(
    ("language", "goal", "due"),
    [
        ("es", "5\xa0000 m³", "31/12/2028"),  # a non-breaking space groups the thousands
        ("en", "5,000 m³", "12/31/2028"),
        ("pt-br", "5.000 m³", "31/12/2028"),
    ],
)
def test_numbers_amounts_and_dates_follow_the_visitors_language(open_browser, financed_action, language, goal, due):
    action = financed_action
    opportunity = action.opportunities.order_by("-amount").first()
    assert opportunity.amount >= 1000
    busiest = Action.objects.filter(city__name="Lima", status=Action.Status.APPROVED).order_by("-people_reached")[0]
    assert busiest.people_reached >= 1000
    with translation.override(language):
        amount = f"{_number(opportunity.amount, 2)} {opportunity.currency}"  # "385,000.00 USD" in English
        started = formats.date_format(action.started_on, "DATE_FORMAT")
        logged = formats.date_format(timezone.localtime(action.status_changes.first().at), "SHORT_DATETIME_FORMAT")
        reached = f"{busiest.title} · {_number(busiest.people_reached)}"

    ambassador = open_browser("emb.lima", language=language)
    page = ambassador.page
    ambassador.go(reverse("commitments:action", args=[action.pk]))
    main = page.locator("main")
    expect(main).to_contain_text(amount)
    expect(main).to_contain_text(started)
    expect(page.locator(".timeline time").first).to_have_text(logged)

    ambassador.go(reverse("reports:my_city"))
    expect(main).to_contain_text(goal)
    expect(main).to_contain_text(due)
    expect(main).to_contain_text(reached)


def _switch_language(visitor, label, language, button):
    """Choose `language` in the navigation's switcher and press its button; on a phone, open the menu first."""
    page = visitor.page
    visitor.open_menu()
    navigation = page.get_by_role("navigation", name=NAVIGATION)
    navigation.get_by_label(label, exact=True).select_option(label=language)
    visitor.submit(navigation.get_by_role("button", name=button, exact=True))


def _journey_pages(open_browser, language, *, report, action):
    """{"who url": text} of the pages the ambassador's and the coordinator's journeys visit, in `language`.
    The text includes what is hidden until opened (menus, filters) and what only screen readers read."""
    waiting = Action.objects.filter(city__name="Lima", status=Action.Status.SUBMITTED).first()
    journeys = {
        None: [reverse("login")],
        "emb.lima": [
            reverse("home"),
            reverse("reports:my_city"),
            reverse("commitments:actions"),
            reverse("commitments:action_choose"),
            reverse("commitments:action_create", args=[action.commitment_id]),
            reverse("commitments:action", args=[action.pk]),
            reverse("commitments:notifications"),
            reverse("reports:reports"),
        ],
        "coord.sur": [
            reverse("reports:overview"),
            reverse("commitments:review_queue"),
            reverse("commitments:action", args=[waiting.pk]),
            reverse("reports:cities"),
            reverse("reports:reports"),
            reverse("reports:report", args=[report.pk]),
        ],
    }
    texts = {}
    for username, paths in journeys.items():
        visitor = open_browser(username, language=language)
        for path in paths:
            page = visitor.go(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            texts[f"{username} {page.url}"] = page.locator("body").text_content()
    return texts


def _number(value, decimals=None):
    """`value` written in the active language, thousands grouped (as intcomma and floatformat "g" do)."""
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
