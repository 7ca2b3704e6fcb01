"""A file that cannot be imported says why, in the person's language, and nothing is written."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from commitments.models import Action
from commitments.sample_files import pdf_bytes
from imports import reading
from imports.columns import ACTION_COLUMNS
from imports.models import ImportJob

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _failed(send, client, content, name):
    _response, job = send(client, "actions", content, name=name)
    job.refresh_from_db()
    assert job.status == "failed"
    assert not Action.objects.exists()
    return job.file_errors


def _refused_at_upload(send, client, content, name):
    response, job = send(client, "actions", content, name=name)
    assert response.status_code == 200 and job is None
    return response.context["form"].errors["file"]


def test_missing_and_unknown_columns_are_named(send, client_for, ambassador):
    errors = _failed(send, client_for(ambassador), b"titulo,color\nTaller,rojo\n", "a.csv")
    assert errors[0] == "Columnas que no se reconocen: «color»."
    assert errors[1] == "Faltan columnas: «compromiso»."
    assert errors[2].startswith("Las columnas posibles son: «id», «ciudad»")


def test_headers_of_any_language_are_read(send, client_for, ambassador):
    content = b"commitment,title\n3.1,Workshop\n"
    _response, job = send(client_for(ambassador), "actions", content, name="a.csv")
    job.refresh_from_db()
    assert job.status == "ready" and job.can_apply
    content = "compromisso,título\n3.1,Oficina\n".encode()  # pt-BR
    _response, job = send(client_for(ambassador), "actions", content, name="a.csv")
    job.refresh_from_db()
    assert job.status == "ready" and job.can_apply


def test_a_pdf_renamed_xlsx_is_refused_for_its_content(send, client_for, ambassador):
    errors = _refused_at_upload(send, client_for(ambassador), pdf_bytes(), "acciones.xlsx")
    assert errors == [
        "El archivo no es una hoja de cálculo XLSX ni un CSV (su contenido es de tipo application/pdf). "
        "Descargue la plantilla, complétela y súbala en XLSX o CSV."
    ]


def test_an_empty_file_is_refused(send, client_for, ambassador):
    (error,) = _refused_at_upload(send, client_for(ambassador), b"", "a.csv")
    assert error == "El fichero enviado está vacío."  # Django's own message for an empty upload


def test_a_file_with_headers_only_has_no_rows(send, client_for, ambassador):
    errors = _failed(send, client_for(ambassador), _xlsx([["compromiso", "título"]]), "a.xlsx")
    assert errors == ["El archivo no tiene filas de datos: solo los encabezados."]


def test_a_file_too_big_is_refused_before_it_is_stored(send, client_for, ambassador, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    errors = _refused_at_upload(send, client_for(ambassador), b"compromiso,titulo\n" + b"3.1,x\n" * 30, "a.csv")
    assert errors == ["«a.csv» pesa 198\xa0bytes; el máximo es 100\xa0bytes por archivo."]
    assert not ImportJob.objects.exists()


def test_too_many_rows_are_refused_from_the_line_count_or_the_sheets_size(send, client_for, ambassador):
    lines = b"compromiso,titulo\n" + b"3.1,x\n" * (reading.MAX_ROWS + 1)
    too_many = (
        f"El archivo tiene {reading.MAX_ROWS + 1} filas; se importan hasta 5000 por vez. Divídalo en varios archivos."
    )
    assert _failed(send, client_for(ambassador), lines, "a.csv") == [too_many]
    sheet = _xlsx([["compromiso", "título"], *[["3.1", "x"]] * (reading.MAX_ROWS + 1)])
    assert _failed(send, client_for(ambassador), sheet, "a.xlsx") == [too_many]


def test_a_hundred_thousand_rows_are_refused_without_reading_them(monkeypatch):
    """The CSV's lines are counted on its bytes: tablib never parses it."""
    monkeypatch.setattr(reading.tablib, "Dataset", None)
    content = io.BytesIO(b"compromiso,titulo\n" + b"3.1,x\n" * 100_000)
    with pytest.raises(reading.FileProblem) as problem:
        reading.read_rows(content, [])
    assert "100000 filas" in problem.value.messages[0]


def test_line_breaks_inside_quoted_cells_do_not_count_as_rows():
    """A description of several paragraphs, as the exports write it: 5,000 rows of three lines
    each are 5,000 rows, not 15,000."""
    rows = "".join(f'3.1,Taller {n},"primer párrafo\nsegundo\ntercero"\n' for n in range(reading.MAX_ROWS))
    content = io.BytesIO(("compromiso,titulo,qué se hizo\n" + rows).encode())
    keys, read = reading.read_rows(content, ACTION_COLUMNS)
    assert len(read) == reading.MAX_ROWS
    assert read[-1][1][keys[2]] == "primer párrafo\nsegundo\ntercero"


def test_a_cell_longer_than_the_csv_reader_takes_is_named_at_its_line():
    content = io.BytesIO(b'compromiso,titulo\n3.1,corto\n3.1,"' + b"x" * 140_000 + b'"\n')
    with pytest.raises(reading.FileProblem) as problem:
        reading.read_rows(content, [])
    assert problem.value.messages == [
        "La línea 3 tiene una celda de más de 131072 caracteres: revise las comillas de esa fila."
    ]


def test_formulas_are_refused_at_their_cells(send, client_for, ambassador):
    content = _xlsx([["compromiso", "título", "personas alcanzadas"], ["3.1", "Taller", "=2+3"]])
    _response, job = send(client_for(ambassador), "actions", content, name="a.xlsx")
    job.refresh_from_db()
    assert job.rows[0]["errors"] == {
        "people_reached": ["Esta celda tiene una fórmula: escriba su valor. Las fórmulas no se importan."]
    }


def test_a_latin_1_csv_is_read_and_a_semicolon_csv_too(send, client_for, ambassador):
    content = "compromiso;título\n3.1;Reunión con vecinos\n".encode("cp1252")
    _response, job = send(client_for(ambassador), "actions", content, name="a.csv")
    job.refresh_from_db()
    assert job.rows[0]["cells"]["title"] == "Reunión con vecinos"
    assert job.can_apply


def test_a_csv_in_no_known_encoding_is_refused(send, client_for, ambassador):
    content = "compromiso,título\n3.1,x\n".encode() + b"\x81\x8d\x8f\n"
    errors = _failed(send, client_for(ambassador), content, "a.csv")
    assert errors == [
        "El CSV no está en UTF-8 ni en Windows-1252 (Latin-1). Guárdelo como «CSV UTF-8» y vuelva a subirlo."
    ]


def test_a_damaged_xlsx_is_refused(send, client_for, ambassador):
    content = _xlsx([["compromiso", "título"], ["3.1", "x"]])
    broken = content[: len(content) // 2]
    response, job = send(client_for(ambassador), "actions", broken, name="a.xlsx")
    if job is None:  # the content no longer reads as a spreadsheet at all: refused at the upload
        assert response.context["form"].errors["file"]
    else:
        job.refresh_from_db()
        assert job.file_errors == ["El archivo XLSX está dañado o no se puede abrir."]


def test_a_crash_of_the_check_fails_the_job_with_a_message(send, client_for, ambassador, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("imports.services.read_rows", broken)
    with pytest.raises(RuntimeError):
        send(client_for(ambassador), "actions", b"compromiso,titulo\n3.1,x\n", name="a.csv")
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.error == "RuntimeError: disk on fire"
    assert job.file_errors == ["No se pudo revisar el archivo por un error del sistema. Vuelva a subirlo más tarde."]
    assert job.attempts == 1
    page = client_for(ambassador).get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "No se pudo revisar el archivo por un error del sistema" in page
