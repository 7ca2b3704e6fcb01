"""What a hostile or unlucky import found: a job cancelled while checked, an ambassador moved to
another city before confirming, line breaks an XLSX gives back as \\n, a workbook saved on its
second sheet, and a header row of thousands of columns."""

import datetime
import io
import re
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador
from commitments.models import Action, Indicator
from commitments.tests.factories import ActionFactory
from imports import services
from imports.columns import columns_for
from imports.reading import MAX_COLUMNS, FileProblem, read_rows

from .helpers import columns_of, exported, saved, workbook

pytestmark = pytest.mark.django_db

NEW_ROW = "compromiso,título,ciudad\n3.1,Taller nuevo,Lima\n".encode()


def test_a_job_cancelled_while_it_is_checked_stays_cancelled(send, client_for, ambassador, lima, monkeypatch):
    check = services._checked_rows

    def cancelled_meanwhile(job, rows, **kwargs):
        services.import_cancel(job=job, by=job.user)  # the owner's "Cancelar" during the check
        return check(job, rows, **kwargs)

    monkeypatch.setattr(services, "_checked_rows", cancelled_meanwhile)
    client = client_for(ambassador)
    _response, job = send(client, "actions", NEW_ROW, name="acciones.csv")
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not job.can_apply


def test_an_ambassador_appointed_elsewhere_since_the_upload_imports_nothing(
    confirm, send, client_for, ambassador, lima, rosario
):
    client = client_for(ambassador)
    _response, job = send(client, "actions", NEW_ROW, name="acciones.csv")
    job.refresh_from_db()
    assert job.can_apply, job.rows
    appointment = Ambassador.objects.get(user=ambassador)
    ambassador_services.ambassador_end(ambassador=appointment, ended_on=datetime.date(2026, 1, 1))
    ambassador_services.ambassador_appoint(city=rosario, user=ambassador, appointed_on=datetime.date(2026, 1, 2))
    confirm(client, job)  # the apply runs (eagerly) once the request commits; the page then shows why
    response = client.get(reverse("imports:job", args=[job.pk]))
    assert not Action.objects.filter(title="Taller nuevo").exists()
    assert "ya no es su embajador en funciones" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "refused" and job.refusal == {"code": "not_ambassador", "params": {"city": "Lima"}}


def test_line_breaks_typed_in_a_browser_come_back_unchanged_from_an_xlsx(confirm, send, client_for, ambassador, lima):
    text = "Primera parte\r\nSegunda parte"
    approved = ActionFactory(by=ambassador, title="Aprobada", description=text, status="approved")
    draft = ActionFactory(by=ambassador, title="Borrador", description=text)
    client = client_for(ambassador)
    book = workbook(exported(client, "actions", lima))
    sheet = book.active
    row = next(cells[0].row for cells in sheet.iter_rows(min_row=2) if cells[0].value == draft.pk)
    sheet.cell(row=row, column=columns_of(sheet)["título"], value="Borrador corregido")
    _response, job = send(client, "actions", saved(book))
    job.refresh_from_db()
    states = {row["id"]: (row["state"], row["errors"]) for row in job.rows}
    assert states == {str(approved.pk): ("unchanged", {}), str(draft.pk): ("changed", {})}
    confirm(client, job)
    draft.refresh_from_db()
    assert (draft.title, draft.description) == ("Borrador corregido", text)
    assert draft.history.first().diff_against(draft.history.all()[1]).changed_fields == ["title"]


def test_the_sheet_checked_for_formulas_is_the_sheet_imported(send, client_for, ambassador, lima):
    book = Workbook()
    book.active.append(["compromiso", "título"])
    book.active.append(["3.1", "Inocente"])
    imported = book.create_sheet("Acciones")
    imported.append(["compromiso", "título"])
    imported.append(["3.1", '=HYPERLINK("https://example.com","Taller")'])
    book.active = 1  # saved on the second sheet: the one that opens, and the one tablib reads
    client = client_for(ambassador)
    _response, job = send(client, "actions", saved(book))
    job.refresh_from_db()
    [row] = job.rows
    assert "fórmula" in row["errors"]["title"][0]


def test_a_declared_width_of_thousands_of_columns_is_refused_before_a_row_is_read(db):
    book = Workbook()
    book.active.append(["compromiso", "título"])
    book.active.cell(row=5000, column=16000).font = Font(bold=True)  # an empty styled cell: A1:WOH5000
    with pytest.raises(FileProblem) as refused:
        read_rows(ContentFile(saved(book), name="ancha.xlsx"), columns_for("actions"))
    assert refused.value.messages == [
        f"El archivo tiene 16000 columnas; una importación lee hasta {MAX_COLUMNS}. Borre las columnas que sobran."
    ]


def test_a_csv_header_of_many_repeated_columns_is_refused_at_once(db):
    data = ("id," * 300_000 + "título\n3.1,Taller\n").encode()
    started = time.monotonic()
    with pytest.raises(FileProblem) as refused:
        read_rows(io.BytesIO(data), columns_for("actions"))
    assert time.monotonic() - started < 5
    assert refused.value.messages[0].startswith("El archivo tiene 300001 columnas")


def test_a_sheet_without_a_declared_width_is_measured_row_by_row(db):
    book = Workbook()
    book.active.append(["compromiso", "título"])
    for row in range(2, 4000):
        book.active.cell(row=row, column=16000, value=1)
    archive = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(book))) as source, zipfile.ZipFile(archive, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension [^>]*/>", b"", data)  # the uploader's word, left out
            target.writestr(entry, data)
    with pytest.raises(FileProblem) as refused:
        read_rows(ContentFile(archive.getvalue(), name="ancha.xlsx"), columns_for("actions"))
    assert refused.value.messages[0].startswith("El archivo tiene 16000 columnas")


def test_a_file_of_some_columns_changes_those_and_keeps_the_rest(confirm, send, client_for, ambassador, lima):
    indicator = (
        Indicator.objects.filter(commitment__axis__number=3, commitment__number=1, active=True).order_by("code").first()
    )
    action = ActionFactory(
        by=ambassador, title="Viejo", description="Detalle", people_reached=30, indicator_values={indicator.pk: 40.5}
    )
    client = client_for(ambassador)
    content = f"id,compromiso,título\n{action.pk},3.1,Nuevo\n".encode()
    _response, job = send(client, "actions", content, name="acciones.csv")
    job.refresh_from_db()
    assert job.can_apply, job.rows
    confirm(client, job)
    action.refresh_from_db()
    assert (action.title, action.description, action.people_reached) == ("Nuevo", "Detalle", 30)
    assert action.indicator_values.get().value == Decimal("40.5")


def test_the_admins_files_without_optional_columns_keep_what_is_saved(
    confirm, send, client_for, admin, lima, coordinator
):
    ambassador_services.coordinator_set_scope(
        user=coordinator, countries=list(coordinator.coordinator.countries.all()), active=False
    )
    client = client_for(admin)
    _response, job = send(
        client, "coordinators", b"usuario,pa\xc3\xadses (c\xc3\xb3digos ISO)\ncarla,PE\n", name="c.csv"
    )
    job.refresh_from_db()
    assert [row["state"] for row in job.rows] == ["unchanged"]  # not reinstated
    lima.population, lima.region = 10_000_000, "Lima"
    lima.save()
    _response, job = send(client, "cities", f"id,nombre,país\n{lima.pk},Lima Metropolitana,PE\n".encode(), name="c.csv")
    job.refresh_from_db()
    assert job.can_apply, job.rows
    confirm(client, job)
    lima.refresh_from_db()
    assert (lima.name, lima.population, lima.region) == ("Lima Metropolitana", 10_000_000, "Lima")


def test_a_csv_of_two_encodings_is_refused_not_read_as_mojibake(db):
    content = "compromiso,title\n3.1,Café\n".encode() + "3.1,Niño\n".encode("cp1252")
    with pytest.raises(FileProblem) as refused:
        read_rows(io.BytesIO(content), columns_for("actions"))
    assert "UTF-8" in refused.value.messages[0]
    _keys, rows = read_rows(io.BytesIO("compromiso,title\n3.1,“Perú”\n".encode("cp1252")), columns_for("actions"))
    assert rows[0][1]["title"] == "“Perú”"  # Windows-1252 alone still reads


def test_local_dates_and_separated_thousands_are_refused_not_guessed(send, client_for, ambassador, lima):
    client = client_for(ambassador)
    client.post(reverse("set_language"), {"language": "en"})
    content = "compromiso,título,fecha de inicio,personas alcanzadas\n3.1,Taller,03/04/2026,1.000\n".encode()
    _response, job = send(client, "actions", content, name="acciones.csv")
    job.refresh_from_db()
    [row] = job.rows
    assert row["errors"] == {
        "started_on": ["Write the date as YYYY-MM-DD."],
        "people_reached": ["Write a whole number, without dots or commas."],
    }


def test_a_cell_that_says_formula_is_text_not_a_formula(send, client_for, ambassador, lima):
    client = client_for(ambassador)
    content = "compromiso,título,organizaciones aliadas\n3.1,Taller,formula\n".encode()
    _response, job = send(client, "actions", content, name="acciones.csv")
    job.refresh_from_db()
    assert [row["errors"] for row in job.rows] == [{}]


def test_an_admin_who_lost_the_role_cannot_confirm_an_import_of_roles(
    confirm, send, client_for, admin, peru, mexico, coordinator
):
    client = client_for(admin)
    _response, job = send(client, "coordinators", "usuario,países (códigos ISO)\ncarla,PE MX\n".encode(), name="c.csv")
    job.refresh_from_db()
    assert job.can_apply, job.rows
    admin.is_superuser = False
    admin.save()
    confirm(client, job)
    assert sorted(coordinator.coordinator.countries.values_list("pk", flat=True)) == ["PE"]
