"""The kinds of action on a 360 px phone: Lima's ambassador logs a training of the Escuela de
Gobernanza Emocional (1.2), a participation mechanism (1.3) and a public policy (2.1). Choosing
the kind shows its section and only its own; each form is checked with axe with its section
shown and never scrolls sideways. What contradicts the action is refused at its field (a
session outside the action's dates, a group above the people reached, a population above the
city's) with everything typed kept; fixed, the action is saved with its details."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from commitments.models import Action

from .browsing import field
from .test_keyboard_and_forms import assert_errors_tied

TODAY = timezone.localdate()  # the server's, as the date fields read it
START, END = TODAY - datetime.timedelta(days=20), TODAY - datetime.timedelta(days=6)
OUTSIDE = TODAY - datetime.timedelta(days=35)
TRAINING = "Curso de Gobernanza Emocional para la Gerencia de Participación Vecinal"
MECHANISM = "Cabildo abierto accesible sobre el plan de movilidad"
POLICY = "Ordenanza de huertos urbanos y agroecología"
GROUP_ABOVE_TOTAL = "No puede ser más que el total de personas alcanzadas."


WIDER_THAN_THE_PAGE = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 0.5)
        .slice(0, 5)
        .map((element) => `${element.tagName.toLowerCase()}: ${element.textContent.trim().slice(0, 40)}`);
}"""


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px: {page.evaluate(WIDER_THAN_THE_PAGE)}"


def _new_action(visitor, code, kind_label, kind):
    """The new-action form of commitment `code` with `kind` chosen: its section appears, no other
    section shows; axe checks the form as it is now."""
    page = visitor.page
    visitor.open_menu_item("Mis acciones")
    visitor.follow("Registrar una acción")
    visitor.follow(page.get_by_role("link", name=re.compile(rf"^{re.escape(code)} ")))
    form = page.locator("form.action-form")
    section = form.locator(f'[data-kind-section="{kind}"]')
    expect(section).to_be_hidden()  # a general action by default
    form.get_by_role("radio", name=kind_label, exact=True).check()
    expect(section).to_be_visible()
    expect(form.locator("[data-kind-section]:visible")).to_have_count(1)
    visitor.check()
    assert_no_sideways_scroll(page)
    return form, section


def _fill(typed):
    for control, value in typed:
        control.fill(value)


def _refused(visitor, form, typed, errors):
    """Save, and find each error at its field with everything typed kept."""
    page = visitor.page
    visitor.submit(page.get_by_role("button", name="Guardar borrador"))
    expect(page.get_by_role("alert").first).to_contain_text("Revise los campos marcados")
    for control, value in typed:
        expect(control).to_have_value(value)
    assert_errors_tied(form, errors)
    assert_no_sideways_scroll(page)


def _screenshot(visitor, name, control):
    """The phone's screen with `control` (a refused field) in its middle."""
    control.evaluate("element => element.scrollIntoView({block: 'center'})")
    visitor.screenshot(name)


def _saved(visitor, title):
    page = visitor.page
    visitor.submit(page.get_by_role("button", name="Guardar borrador"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_no_sideways_scroll(page)
    return Action.objects.get(title=title)


def _training(lima):
    page = lima.page
    form, section = _new_action(lima, "1.2", "Formación", "training")
    people = [
        (field(page, "Título"), TRAINING),
        (page.get_by_label("Fecha de inicio"), START.isoformat()),
        (page.get_by_label("Fecha de fin"), END.isoformat()),
        (field(page, "Personas alcanzadas"), "32"),
        (field(page, "Mujeres"), "20"),
        (field(page, "Personas indígenas"), "40"),
    ]
    details = [
        (field(section, "Facilitadores"), "Ana Lucía Ruiz\nLuis Alberto Paz"),
        (field(section, "Servidores públicos entre los participantes"), "28"),
        (field(section, "Certificados emitidos"), "30"),
        (field(section, "Satisfacción media (1 a 5)"), "4.6"),
        (field(section, "Fecha"), OUTSIDE.isoformat()),
        (field(section, "Horas"), "3"),
        (field(section, "Tema"), "Escucha activa en la atención ciudadana"),
    ]
    _fill(people + details)
    field(section, "Formato").select_option(label="Curso")
    field(section, "Modalidad").select_option(label="Híbrida")
    _refused(
        lima,
        form,
        people + details,
        [
            (field(page, "Personas indígenas"), GROUP_ABOVE_TOTAL),
            (field(section, "Fecha"), "La sesión debe caer entre el inicio y el fin de la acción"),
        ],
    )
    expect(section).to_be_visible()  # the chosen kind stays chosen
    expect(field(section, "Formato")).to_have_value("course")
    _screenshot(lima, "training-form", field(section, "Fecha"))

    field(page, "Personas indígenas").fill("6")
    field(section, "Fecha").fill((START + datetime.timedelta(days=2)).isoformat())
    # A second session without saving first: the button adds a row and puts the cursor in it.
    section.get_by_role("button", name="Añadir otra sesión").click()
    second = section.locator(".session-row").nth(1)
    expect(field(second, "Fecha")).to_be_focused()
    field(second, "Fecha").fill((START + datetime.timedelta(days=9)).isoformat())
    field(second, "Horas").fill("2.5")
    action = _saved(lima, TRAINING)
    expect(page.get_by_role("region", name="La formación")).to_contain_text("2 sesiones")
    assert (action.kind, action.people_reached, action.indigenous_reached) == ("training", 32, 6)
    assert action.training.public_servants == 28
    assert [session.held_on for session in action.training.sessions.all()] == [
        START + datetime.timedelta(days=2),
        START + datetime.timedelta(days=9),
    ]


def _participation(lima):
    page = lima.page
    form, section = _new_action(lima, "1.3", "Mecanismo de participación", "participation")
    typed = [
        (field(page, "Título"), MECHANISM),
        (page.get_by_label("Fecha de inicio"), END.isoformat()),
        (field(page, "Personas alcanzadas"), "150"),
        (field(page, "Personas con discapacidad"), "12"),
        (field(page, "Personas afrodescendientes"), "160"),
        (field(section, "Decisiones que cambió la participación"), "Se reduce la velocidad frente a las escuelas"),
    ]
    _fill(typed)
    field(section, "Mecanismo").select_option(label="Cabildo abierto")
    for measure in ("Lengua de señas", "Lugar accesible sin escalones"):
        section.get_by_label(measure).check()
    _refused(lima, form, typed, [(field(page, "Personas afrodescendientes"), GROUP_ABOVE_TOTAL)])
    expect(section.get_by_label("Lengua de señas")).to_be_checked()
    _screenshot(lima, "participation-form", section.get_by_label("Lengua de señas"))

    field(page, "Personas afrodescendientes").fill("9")
    action = _saved(lima, MECHANISM)
    assert action.participation.mechanism == "open_council"
    assert [str(measure) for measure in action.participation.measures] == [
        "lengua de señas",
        "lugar accesible sin escalones",
    ]
    assert (action.disability_reached, action.afro_reached) == (12, 9)


def _policy(lima, population):
    page = lima.page
    form, section = _new_action(lima, "2.1", "Política pública", "policy")
    typed = [
        (field(page, "Título"), POLICY),
        (page.get_by_label("Fecha de inicio"), START.isoformat()),
        (field(section, "Fecha de adopción"), END.isoformat()),
        (field(section, "Población cubierta"), str(population + 1)),
        (field(section, "Enlace al texto oficial"), "https://www.munlima.gob.pe/normas/ordenanza-2026"),
    ]
    _fill(typed)
    field(section, "Instrumento").select_option(label="Ordenanza")
    field(section, "Etapa").select_option(label="Adoptada")
    _refused(lima, form, typed, [(field(section, "Población cubierta"), "Es más que la población de Lima")])
    _screenshot(lima, "policy-form", field(section, "Población cubierta"))

    field(section, "Población cubierta").fill("250000")
    action = _saved(lima, POLICY)
    assert (action.policy.stage, action.policy.adopted_on, action.policy.population_covered) == (
        "adopted",
        END,
        250000,
    )


def test_a_training_a_mechanism_and_a_policy_logged_on_a_phone_are_refused_at_their_fields_then_saved(
    open_browser,
):
    from ambassadors.models import City

    lima = open_browser("emb.lima", device="phone")
    _training(lima)
    _participation(lima)
    _policy(lima, City.objects.get(name="Lima").population)
