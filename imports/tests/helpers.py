"""Spreadsheets for the import tests: an export read into openpyxl, changed, written back."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportJob


def exported(client, what, city, output="xlsx"):
    response = client.get(reverse("imports:export", args=[what, output]) + f"?city={city.pk}")
    assert response.status_code == 200, response.status_code
    return response.content


def workbook(content):
    return load_workbook(io.BytesIO(content))


def saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def columns_of(sheet):
    return {cell.value: index for index, cell in enumerate(sheet[1], start=1)}


def upload(client, what, content, *, name="acciones.xlsx", city=None, capture=None):
    """Upload a file (its check, queued on commit, runs eagerly inside `capture`); returns
    (response, the job it made or None)."""
    before = set(ImportJob.objects.values_list("pk", flat=True))
    url = reverse("imports:upload", args=[what]) + (f"?city={city.pk}" if city else "")
    with capture(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    made = ImportJob.objects.exclude(pk__in=before).first()
    return response, made
