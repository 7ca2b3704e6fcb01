"""WCAG points of the issue: forms are usable with the keyboard alone, focus is visible, every
field has a label and its errors are tied to it, charts have a table alternative."""

import re

from playwright.sync_api import expect

from ambassadors.demo import DEMO_PASSWORD

from .browsing import field

TITLE = "Taller de compostaje en el parque Kennedy"


def _is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, target, *, limit=80):
    """Press Tab until `target` has the focus (zero times if it has it already)."""
    for _ in range(limit):
        if _is_focused(target):
            return
        page.keyboard.press("Tab")
    assert _is_focused(target), f"Tab pressed {limit} times without reaching {target}"


def test_someone_logs_in_and_saves_an_action_with_the_keyboard_alone(open_browser):
    visitor = open_browser(None)
    page = visitor.go("/accounts/login/")
    tab_to(page, field(page, "Usuario"))
    page.keyboard.type("emb.lima")
    tab_to(page, field(page, "Contraseña"))
    page.keyboard.type(DEMO_PASSWORD)
    visitor.press("Enter")
    expect(page).not_to_have_url(re.compile("/accounts/login/"))

    visitor.go("/acciones/nueva/")
    # The first Tab reaches the skip link, hidden until then; Enter moves the focus into the content.
    skip = page.get_by_role("link", name="Saltar al contenido")
    assert skip.bounding_box()["width"] <= 1
    page.keyboard.press("Tab")
    assert _is_focused(skip)
    assert skip.bounding_box()["width"] > 50, "the skip link stays hidden when focused"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, page.get_by_role("link", name=re.compile(r"^2\.1 ")))
    visitor.press("Enter")
    expect(page.get_by_role("heading", name="Nueva acción")).to_be_visible()

    tab_to(page, field(page, "Título"))
    page.keyboard.type(TITLE)
    area = page.get_by_label("Economía local")
    tab_to(page, area)
    page.keyboard.press("Space")
    expect(area).to_be_checked()
    started = page.get_by_label("Fecha de inicio")
    tab_to(page, started)
    # Digits only: the field moves on from day to month to year (or month first, by locale).
    page.keyboard.type("03032025")
    expect(started).to_have_value("2025-03-03")
    tab_to(page, page.get_by_label("Qué se hizo"))
    page.keyboard.type("Compostaje de residuos orgánicos con 30 familias.")
    tab_to(page, field(page, "Personas alcanzadas"))
    page.keyboard.type("45")
    tab_to(page, field(page, "Enlace"))
    page.keyboard.type("https://example.org/compostaje")
    tab_to(page, page.get_by_role("button", name="Guardar borrador"))
    visitor.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("dt:text-is('Áreas de enfoque') + dd")).to_have_text("Economía local")
    expect(page.locator("dt:text-is('Fechas') + dd")).to_have_text("3 de marzo de 2025")
    expect(page.get_by_role("link", name="https://example.org/compostaje")).to_be_visible()


FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const name = element.getAttribute("aria-label") || element.labels?.[0]?.textContent
        || element.textContent || element.name || "";
    return {
        tag: element.tagName.toLowerCase(),
        description: `${element.tagName.toLowerCase()} "${name.trim().replace(/\\s+/g, " ").slice(0, 40)}"`,
        ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        toggler: element.matches(".navbar-toggler"),
        // WCAG 2.4.11: not entirely hidden, by the sticky Save bar or the edge of the screen.
        obscured: (() => {
            const box = element.getBoundingClientRect();
            const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
            const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
            if (right - left < 1 || bottom - top < 1) return true;
            const points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]];
            return !points.some(([x, y]) => {
                const hit = document.elementFromPoint(left + (right - left) * x, top + (bottom - top) * y);
                return hit && (element.contains(hit) || hit.contains(element));
            });
        })(),
    };
}"""


def tab_through(page, *, limit=200):
    """Tab from the top of the page to its end; every element focused on the way (as FOCUSED
    describes it). A collapsed menu is opened with Enter on its toggler, as a phone user would."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            return seen  # past the last element: the focus left the page
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        toggler = page.locator(".navbar-toggler")
        if focused["toggler"] and toggler.get_attribute("aria-expanded") == "false":
            page.keyboard.press("Enter")
            expect(toggler).to_have_attribute("aria-expanded", "true")
    raise AssertionError(f"Tab pressed {limit} times without leaving the page")


def test_every_element_focused_with_the_keyboard_shows_a_ring_and_is_not_hidden(open_browser):
    """The ring of omcs.css (an outline: Bootstrap's shadows fade in and are faint) shows on
    links, buttons, fields, the menu's toggler and the tables' <summary>; and no element with
    the focus hides behind the sticky Save bar of a long form on a phone (WCAG 2.2, 2.4.11)."""
    ambassador = open_browser("emb.lima", device="phone")
    ambassador.go("/acciones/nueva/")
    ambassador.follow(ambassador.page.get_by_role("link", name=re.compile(r"^2\.1 ")))
    coordinator = open_browser("coord.sur", device="desktop")

    seen = tab_through(ambassador.page)
    for path in ("/panel/", "/informes/"):
        coordinator.go(path)
        seen += tab_through(coordinator.page)

    assert [focused["description"] for focused in seen if not focused["ring"]] == []
    assert [focused["description"] for focused in seen if focused["obscured"]] == []
    assert {"a", "button", "input", "select", "textarea", "summary"} <= {focused["tag"] for focused in seen}
    assert any(focused["toggler"] for focused in seen)


ERROR_TIES = """form => {
    const problems = [];
    const text = (id) => document.getElementById(id)?.textContent.trim();
    for (const control of form.querySelectorAll('[aria-invalid="true"]')) {
        // A group of checkboxes is described as a whole, on its fieldset.
        const described = control.closest("[aria-describedby]");
        const ids = described ? described.getAttribute("aria-describedby").split(/\\s+/) : [];
        if (!ids.some((id) => document.getElementById(id)?.matches(".invalid-feedback") && text(id))) {
            problems.push(`${control.name}: invalid, but no error message describes it`);
        }
    }
    for (const message of form.querySelectorAll(".invalid-feedback")) {
        if (!message.id || !form.querySelector(`[aria-describedby~="${message.id}"]`)) {
            problems.push(`"${message.textContent.trim()}": tied to no field`);
        }
    }
    for (const control of form.querySelectorAll("input:not([type=hidden]), select, textarea")) {
        if (!control.labels.length && !control.getAttribute("aria-label") && !control.getAttribute("aria-labelledby")) {
            problems.push(`${control.name}: no label`);
        }
    }
    return problems;
}"""


def assert_errors_tied(form, errors):
    """Each (control, message): the control is marked invalid and the message is its description,
    as a screen reader reads it; no error of the form is left tied to nothing, no field unlabelled."""
    for control, message in errors:
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_accessible_description(re.compile(re.escape(message)))
    assert form.evaluate(ERROR_TIES) == []


def test_the_action_form_ties_each_error_to_its_field_and_keeps_what_was_typed(open_browser):
    ambassador = open_browser("emb.lima")
    page = ambassador.page
    ambassador.go("/acciones/nueva/")
    ambassador.follow(page.get_by_role("link", name=re.compile(r"^2\.1 ")))
    typed = [
        (page.get_by_label("Qué se hizo"), "Compostaje de residuos orgánicos."),
        (page.get_by_label("Fecha de inicio"), "2025-03-10"),
        (page.get_by_label("Fecha de fin"), "2025-03-01"),
        (field(page, "Personas alcanzadas"), "5"),
        (field(page, "Mujeres"), "8"),
        (field(page, "Jóvenes"), "-2"),
        (field(page, "Enlace"), "acta de la reunión"),
    ]
    for control, value in typed:
        control.fill(value)
    ambassador.submit(page.get_by_role("button", name="Guardar borrador"))

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Revise los campos marcados")
    expect(summary).to_be_focused()  # the keyboard and a screen reader start from the summary
    for control, value in typed:
        expect(control).to_have_value(value)
    form = page.locator("form.action-form")
    assert_errors_tied(
        form,
        [
            (field(page, "Título"), "Este campo es obligatorio."),
            (page.get_by_label("Fecha de fin"), "La fecha de fin no puede ser anterior a la de inicio."),
            (field(page, "Personas alcanzadas"), "Mujeres, hombres y otras personas suman más que el total alcanzado."),
            (field(page, "Jóvenes"), "No puede ser un número negativo."),
            (field(page, "Enlace"), "Introduzca una URL válida."),
        ],
    )

    # Fixed, and sent for review without a focus area: the draft is saved, and its form says
    # what the submission lacks; the message of a group of checkboxes describes the group.
    field(page, "Título").fill(TITLE)
    for control in (page.get_by_label("Fecha de fin"), field(page, "Mujeres"), field(page, "Jóvenes")):
        control.fill("")
    field(page, "Enlace").fill("https://example.org/acta")
    ambassador.submit(page.get_by_role("button", name="Guardar y enviar a revisión"))
    expect(page.locator(".messages")).to_contain_text("faltan datos para enviarla a revisión")
    areas = page.get_by_role("group", name="Áreas de enfoque")
    expect(areas).to_have_accessible_description("Elija al menos un área de enfoque.")
    assert_errors_tied(page.locator("form.action-form"), [])


def test_the_report_and_review_forms_tie_their_errors_to_their_fields(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.go("/informes/")
    request = page.locator("form", has=page.get_by_role("button", name="Pedir el informe"))
    day = field(request, "Un día del periodo")
    day.fill("2099-03-15")
    ambassador.submit(request.get_by_role("button", name="Pedir el informe"))
    expect(day).to_have_value("2099-03-15")
    # The hint and the error both describe the field.
    expect(day).to_have_accessible_description(re.compile("^Por ejemplo, cualquier día de marzo.*todavía no termina"))
    assert_errors_tied(request, [(day, "Ese periodo todavía no termina")])

    coordinator = open_browser("coord.sur")
    review = coordinator.go("/revision/")
    coordinator.follow(review.locator("main table").get_by_role("link").first)
    coordinator.submit(review.get_by_role("button", name="Devolver con comentario"))
    decision = review.locator("form", has=review.get_by_role("button", name="Devolver con comentario"))
    comment = field(decision, "Comentario para el embajador")
    assert_errors_tied(decision, [(comment, "Explique qué debe corregirse: el comentario es obligatorio.")])


def assert_charts_have_tables(visitor, tables):
    """`tables`: each canvas of the page → the name (caption) of the table with its figures.
    A table folded in "Ver como tabla" opens with the keyboard."""
    page = visitor.page
    assert sorted(page.locator("canvas").evaluate_all("canvases => canvases.map((c) => c.id)")) == sorted(tables)
    for canvas_id, table_name in tables.items():
        canvas = page.locator(f"canvas#{canvas_id}")
        expect(canvas).to_have_attribute("role", "img")
        expect(canvas).to_have_accessible_name(re.compile(r"^(Gráfico|Mapa) .+ tabla"))
        table = page.get_by_role("table", name=table_name, include_hidden=True)
        expect(table.locator("caption")).to_have_text(table_name)
        expect(table.locator("tbody tr")).not_to_have_count(0)
        folded = page.locator("details:not([open])", has=table)
        if folded.count():
            expect(table).to_be_hidden()
            summary = folded.locator("summary")
            expect(summary).to_have_text("Ver como tabla")
            tab_to(page, summary, limit=150)
            page.keyboard.press("Enter")
        expect(table).to_be_visible()
    visitor.check()  # the tables, now open, pass axe too


def test_each_chart_is_named_and_has_a_table_that_opens_with_the_keyboard(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    ambassador.go("/mi-ciudad/")
    assert_charts_have_tables(ambassador, {"chart-city-actions": "Acciones aprobadas por mes y eje"})

    coordinator = open_browser("coord.sur")
    coordinator.go("/panel/")
    assert_charts_have_tables(
        coordinator,
        {
            "chart-actions": "Acciones aprobadas por mes y eje",
            "chart-people": "Acciones aprobadas por mes y eje",  # in its last column
            "chart-funds": "Oportunidades de financiamiento por etapa, por moneda y en dólares",
            "city-map": "Actividad de las ciudades",
        },
    )
    monthly = coordinator.page.get_by_role("table", name="Acciones aprobadas por mes y eje")
    expect(monthly.get_by_role("columnheader").last).to_have_text("Personas alcanzadas")
