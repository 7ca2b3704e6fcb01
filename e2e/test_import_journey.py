"""The spreadsheet import in a browser: Lima's ambassador downloads her actions as XLSX from "Mis
acciones", changes two of her drafts and adds a row in the spreadsheet (with an end date before
its start), uploads it and finds the error at its cell in the preview, uploads the corrected file,
sees two rows changed and one new, confirms, and finds the three drafts in "Mis acciones". axe
finds no serious violation on the import pages; the preview is saved for the README on a desktop
and on a phone."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from ambassadors.models import Ambassador
from commitments import services
from commitments.models import Action, ActionStatusChange, Commitment

NEW_TITLE = "Cosecha de lluvia en Pachacámac"
REFUSAL = "La fecha de fin no puede ser anterior a la de inicio."


def _download_actions(visitor):
    page = visitor.page
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar XLSX").click()
    return load_workbook(io.BytesIO(download.value.path().read_bytes()))


def _changed(book, drafts, *, ended_on):
    sheet = book.active
    col = {cell.value: index for index, cell in enumerate(sheet[1], start=1)}
    rows = {sheet.cell(row=number, column=col["id"]).value: number for number in range(2, sheet.max_row + 1)}
    for draft in drafts:
        sheet.cell(row=rows[draft.pk], column=col["título"], value=f"{draft.title} (revisada)")
    sheet.append(
        {
            col["compromiso"]: "3.1",
            col["título"]: NEW_TITLE,
            col["fecha de inicio"]: "2026-10-01",
            col["fecha de fin"]: ended_on,
            col["personas alcanzadas"]: 40,
            col["mujeres"]: 22,
        }
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return {"name": "acciones-lima.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}


def _upload(visitor, spreadsheet):
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importar")
    page.get_by_label("Hoja de cálculo").set_input_files(spreadsheet)
    visitor.submit(page.get_by_role("button", name="Subir y revisar"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importación de acciones")


@pytest.fixture
def second_draft(demo):
    """The demo leaves Lima's ambassador one draft: she started another one this week."""
    lima = Ambassador.objects.get(user__username="emb.lima", status="active")
    return services.action_create(
        by=lima.user,
        commitment=Commitment.objects.get(axis__number=3, number=1),
        data={"title": "Feria del agua en Villa El Salvador", "started_on": datetime.date(2026, 10, 20)},
    )


def test_an_export_changed_in_a_spreadsheet_comes_back_as_drafts(second_draft, open_browser):
    lima = open_browser("emb.lima")
    page = lima.page
    drafts = list(
        Action.objects.filter(city__name="Lima", status="draft", ambassador__user__username="emb.lima").order_by("pk")[
            :2
        ]
    )
    assert len(drafts) == 2, list(
        Action.objects.filter(title__startswith="Feria del agua").values(
            "city__name", "status", "ambassador__user__username"
        )
    )
    lima.go(reverse("commitments:actions"))
    book = _download_actions(lima)

    lima.follow(page.get_by_role("link", name="Importar", exact=True))
    _upload(lima, _changed(book, drafts, ended_on="2026-09-01"))
    errors = page.locator("#form-errors")
    expect(errors).to_contain_text(REFUSAL)
    cell = page.locator("td.import-cell-error")
    expect(cell).to_have_count(1)
    expect(cell).to_contain_text(REFUSAL)
    expect(cell).to_contain_text("2026-09-01")
    expect(page.get_by_role("button", name="Confirmar e importar")).to_have_count(0)
    lima.screenshot("import-preview")
    job_url = page.url
    phone = open_browser("emb.lima", device="phone")
    phone.go(job_url.removeprefix(phone.base_url))
    overflow = phone.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the preview scrolls sideways by {overflow} px"  # its table scrolls in its own box
    phone.screenshot("import-preview")
    assert not Action.objects.filter(title=NEW_TITLE).exists()

    lima.follow(page.get_by_role("link", name="Subir el archivo corregido"))
    book = _download_actions_again(lima, book)
    _upload(lima, _changed(book, drafts, ended_on=datetime.date(2026, 10, 3)))
    expect(page.locator(".import-summary")).to_contain_text("1 nueva")
    expect(page.locator(".import-summary")).to_contain_text("2 con cambios")
    expect(page.locator("#form-errors")).to_have_count(0)
    lima.submit(page.get_by_role("button", name="Confirmar e importar"))
    # The apply runs as a task (eagerly here, once the confirm commits): the job's page says what it saved.
    expect(page.locator(".alert-success")).to_contain_text("Importación aplicada el")
    expect(page.locator(".alert-success")).to_contain_text("3 filas guardadas.")

    lima.follow(page.get_by_role("link", name="Ver los borradores en «Mis acciones»"))
    for title in [NEW_TITLE, *(f"{draft.title} (revisada)" for draft in drafts)]:
        expect(page.get_by_role("link", name=title)).to_be_visible()
    lima.go(reverse("imports:index"))  # her imports, the refused one and the applied one
    history = page.get_by_role("table")
    expect(history.get_by_text("Aplicada")).to_have_count(1)
    expect(history.get_by_text("Revisada")).to_have_count(1)
    new = Action.objects.get(title=NEW_TITLE)
    assert (new.status, new.ended_on, new.women_reached) == ("draft", datetime.date(2026, 10, 3), 22)
    assert ActionStatusChange.objects.filter(action=new, by__username="emb.lima", to_status="draft").exists()


def _download_actions_again(visitor, _previous):
    """The corrected file starts from a fresh export, as a person would download it again."""
    visitor.go(reverse("commitments:actions"))
    book = _download_actions(visitor)
    visitor.follow(visitor.page.get_by_role("link", name="Importar", exact=True))
    return book
