"""An export comes back through the import unchanged; two rows changed and one added are shown as
such, and written as drafts by the importer once confirmed."""

import datetime

import pytest
from django.urls import reverse

from commitments.models import Action, ActionStatusChange
from commitments.tests.factories import ActionFactory

from .helpers import columns_of, exported, saved, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def lima_actions(ambassador):
    return [
        ActionFactory(by=ambassador, title="Taller de compostaje", indicator_values={}),
        ActionFactory(by=ambassador, title="Feria del agua", women_reached=12, people_reached=30),
        ActionFactory(by=ambassador, title="Brigada de limpieza", status="submitted"),
    ]


def test_an_export_imported_unchanged_changes_nothing(send, client_for, ambassador, lima, lima_actions):
    client = client_for(ambassador)
    response, job = send(client, "actions", exported(client, "actions", lima))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "ready", job.file_errors
    assert [row["state"] for row in job.rows] == ["unchanged"] * 3
    assert not job.can_apply
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert "Confirmar e importar" not in page.content.decode()


def test_two_rows_changed_and_one_added_are_previewed_then_written_as_drafts(
    confirm, send, client_for, ambassador, lima, lima_actions
):
    client = client_for(ambassador)
    book = workbook(exported(client, "actions", lima))
    sheet = book.active
    col = columns_of(sheet)
    sheet.cell(row=2, column=col["título"], value="Taller de compostaje en Comas")
    sheet.cell(row=3, column=col["mujeres"], value=15)
    sheet.append(
        {
            col["compromiso"]: "3.1",
            col["título"]: "Cosecha de lluvia",
            col["fecha de inicio"]: datetime.date(2026, 9, 1),
        }
    )
    response, job = send(client, "actions", saved(book))
    job.refresh_from_db()
    assert job.status == "ready", job.file_errors
    assert [row["state"] for row in job.rows] == ["changed", "changed", "unchanged", "new"]
    assert (job.count_new, job.count_changed, job.error_count) == (1, 2, 0), [row["errors"] for row in job.rows]
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Confirmar e importar" in page
    assert Action.objects.filter(title="Cosecha de lluvia").count() == 0  # nothing before confirming

    response = confirm(client, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "applied"
    first, second, third = (Action.objects.get(pk=action.pk) for action in lima_actions)
    assert third.status == "submitted"  # unchanged rows are not written
    assert first.title == "Taller de compostaje en Comas" and first.status == "draft"
    assert second.women_reached == 15
    new = Action.objects.get(title="Cosecha de lluvia")
    assert (new.status, new.city, new.started_on) == ("draft", lima, datetime.date(2026, 9, 1))
    assert ActionStatusChange.objects.filter(action=new, to_status="draft", by=ambassador).exists()
    assert first.history.latest().history_user == ambassador
    assert second.history.latest().history_user == ambassador
