"""The import pages: what each person may import, their history, the links to them, the exports."""

import pytest
from django.urls import reverse

from commitments.tests.factories import ActionFactory
from imports.tests.factories import ImportJobFactory

from .helpers import columns_of, exported, workbook

pytestmark = pytest.mark.django_db


def test_my_actions_and_the_targets_link_to_the_import(client_for, ambassador, lima):
    client = client_for(ambassador)
    page = client.get(reverse("commitments:actions")).content.decode()
    assert reverse("imports:upload", args=["actions"]) in page
    assert reverse("imports:export", args=["actions", "xlsx"]) in page
    page = client.get(reverse("reports:city_progress", args=[lima.pk])).content.decode()
    assert f"{reverse('imports:upload', args=['targets'])}?city={lima.pk}" in page


def test_the_index_lists_what_the_person_may_import_and_their_history(client_for, ambassador, other_ambassador):
    mine = ImportJobFactory(user=ambassador, original_name="mis-acciones.xlsx")
    ImportJobFactory(user=other_ambassador, original_name="de-bruno.xlsx")
    page = client_for(ambassador).get(reverse("imports:index")).content.decode()
    assert "Acciones de Lima" in page and "Metas de Lima" in page
    assert "mis-acciones.xlsx" in page and reverse("imports:job", args=[mine.pk]) in page
    assert "de-bruno.xlsx" not in page


def test_the_status_endpoint_tells_the_progress(client_for, ambassador):
    job = ImportJobFactory(user=ambassador, rows_total=40, rows_checked=10, status="checking")
    state = client_for(ambassador).get(reverse("imports:job_status", args=[job.pk])).json()
    expected = {"status": "checking", "label": "Revisando", "done": False, "checked": 10, "total": 40, "written": 0}
    assert state == expected
    page = client_for(ambassador).get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'id="import-status"' in page and "Revisando: 10 de 40 filas." in page


def test_the_export_has_stable_columns_in_the_persons_language(client_for, ambassador, lima, settings):
    action = ActionFactory(by=ambassador, title="=HYPERLINK(evil)", indicator_values={})
    client = client_for(ambassador)
    sheet = workbook(exported(client, "actions", lima)).active
    headers = list(columns_of(sheet))
    assert headers[:6] == ["id", "ciudad", "nombre de la ciudad", "compromiso", "tipo de acción", "título"]
    assert "3.1-a" in headers
    assert [cell.value for cell in sheet[2]][:6] == [action.pk, lima.pk, "Lima", "3.1", "general", "'=HYPERLINK(evil)"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = list(columns_of(workbook(exported(client, "actions", lima)).active))
    assert (english[1], english[3], english[5]) == ("city", "commitment", "title")


def test_the_template_is_the_export_without_rows(client_for, ambassador, lima):
    ActionFactory(by=ambassador)
    client = client_for(ambassador)
    url = reverse("imports:export", args=["actions", "csv"]) + f"?city={lima.pk}&vacia=1"
    lines = client.get(url).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("id,ciudad,nombre de la ciudad,compromiso")


def test_the_export_of_my_actions_keeps_the_lists_filters(client_for, ambassador):
    ActionFactory(by=ambassador, title="Taller de compostaje")
    ActionFactory(by=ambassador, title="Feria del agua", status="submitted")
    client = client_for(ambassador)
    page = client.get(reverse("commitments:actions") + "?status=submitted").content.decode()
    assert reverse("imports:export", args=["actions", "csv"]) + "?status=submitted" in page
    lines = client.get(reverse("imports:export", args=["actions", "csv"]) + "?status=submitted").content
    rows = lines.decode("utf-8-sig").splitlines()[1:]
    assert len(rows) == 1 and "Feria del agua" in rows[0]


def test_a_long_preview_comes_a_page_at_a_time_and_its_errors_link_across_pages(client_for, ambassador):
    """5,000 rows drew a page of 15 MB: the preview shows 100 rows a page, errors first, and the
    summary links an error on a later page to that page's cell."""
    new = [{"number": n, "state": "new", "cells": {"title": f"Taller {n}"}} for n in range(2, 252)]
    wrong = {"number": 252, "state": "new", "cells": {"title": ""}, "errors": {"title": ["Falta el título."]}}
    unchanged = [{"number": n, "state": "unchanged", "cells": {"title": "igual"}} for n in range(253, 300)]
    job = ImportJobFactory(
        user=ambassador, status="ready", columns=["commitment", "title"], rows=[*new, wrong, *unchanged]
    )
    client = client_for(ambassador)
    url = reverse("imports:job", args=[job.pk])
    first = client.get(url).content.decode()
    assert first.count('<th scope="row">') == 100 and 'id="row-252"' in first  # the error leads
    assert 'href="#cell-252-2"' in first and "Página 1 de 3" in first
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count('<th scope="row">') == 51 and 'id="row-251"' in last and "Taller 251" in last
    assert 'href="?page=1#cell-252-2"' in last  # the summary on every page, linking back
    assert "igual" not in first + last  # unchanged rows are counted, not drawn


@pytest.mark.parametrize("status", ["applying", "applied"])
def test_cancelling_an_import_that_is_applied_says_it_no_longer_can(client_for, ambassador, status):
    job = ImportJobFactory(user=ambassador, status=status)
    response = client_for(ambassador).post(reverse("imports:job_cancel", args=[job.pk]), follow=True)
    assert "Esta importación ya no se puede cancelar: ya se está aplicando o terminó." in response.content.decode()
    job.refresh_from_db()
    assert job.status == status


def test_confirming_an_import_whose_file_could_not_be_read_says_it_cannot_be_applied(client_for, ambassador):
    job = ImportJobFactory(user=ambassador, status="failed", file_errors=["El archivo está vacío."])
    response = client_for(ambassador).post(reverse("imports:job_apply", args=[job.pk]), follow=True)
    assert "Esta importación no se puede aplicar: corrija los errores y súbala de nuevo." in response.content.decode()
    job.refresh_from_db()
    assert job.status == "failed"
