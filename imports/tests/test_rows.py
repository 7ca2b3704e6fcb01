"""Rows are checked with the pages' own rules, each error at its cell; nothing is written while one
remains, a forced confirmation is refused, and the person's scope bounds every row."""

import datetime

import pytest
from django.urls import reverse

from commitments import services as commitment_services
from commitments.models import Action, Target
from commitments.tests.factories import ActionFactory, IndicatorFactory, TargetFactory
from imports.tests.factories import ImportJobFactory

from .helpers import columns_of, exported, saved, workbook

pytestmark = pytest.mark.django_db


def _csv(*lines):
    return ("\n".join(lines) + "\n").encode()


def test_a_row_with_an_error_shows_it_at_its_cell_and_nothing_can_be_confirmed(confirm, send, client_for, ambassador):
    client = client_for(ambassador)
    content = _csv(
        "compromiso,título,fecha de inicio,fecha de fin",
        "3.1,Taller,2026-09-01,2026-08-01",
        "3.1,Feria,01/13/2026,",
        "9.9,Mercado,,",
    )
    _response, job = send(client, "actions", content, name="acciones.csv")
    job.refresh_from_db()
    assert job.status == "ready"
    errors = [row["errors"] for row in job.rows]
    assert errors == [
        {"ended_on": ["La fecha de fin no puede ser anterior a la de inicio."]},
        {"started_on": ["Introduzca una fecha válida."]},
        {"commitment": ["No hay un compromiso con el código «9.9»."]},
    ]
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Confirmar e importar" not in page
    assert 'id="form-errors"' in page and 'href="#cell-2-4"' in page  # the summary links to the cell
    assert 'id="cell-2-4" class="import-cell-error"' in page

    response = confirm(client, job)  # forced
    assert response.status_code == 302
    assert not Action.objects.exists()
    job.refresh_from_db()
    assert job.status == "ready"


def test_messages_are_in_the_language_of_the_upload(send, client_for, ambassador, settings):
    client = client_for(ambassador)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = _csv("commitment,title,start date", "3.1,Workshop,yesterday")
    _response, job = send(client, "actions", content, name="actions.csv")
    job.refresh_from_db()
    assert job.language == "en"
    assert job.rows[0]["errors"] == {"started_on": ["Enter a valid date."]}


def test_a_row_for_another_city_or_another_citys_action_is_refused_at_its_cell(
    send, client_for, ambassador, other_ambassador, rosario
):
    theirs = ActionFactory(by=other_ambassador, title="De Rosario")
    content = _csv("id,ciudad,compromiso,título", f"{theirs.pk},,3.1,Cambiado", f",{rosario.pk},3.1,Nueva")
    _response, job = send(client_for(ambassador), "actions", content, name="a.csv")
    job.refresh_from_db()
    assert job.rows[0]["errors"] == {"id": ["No hay una acción con ese id en su ciudad."]}
    assert list(job.rows[1]["errors"]) == ["city"]
    assert "Lima" in job.rows[1]["errors"]["city"][0]


def test_an_id_twice_in_a_file_is_refused_the_second_time(send, client_for, ambassador):
    draft = ActionFactory(by=ambassador)
    content = _csv("id,compromiso,título", f"{draft.pk},3.1,Uno", f"{draft.pk},3.1,Dos")
    _response, job = send(client_for(ambassador), "actions", content, name="a.csv")
    job.refresh_from_db()
    assert [row["errors"] for row in job.rows] == [{}, {"id": ["Otra fila del archivo ya tiene este id."]}]


def test_an_action_sent_to_review_cannot_be_changed_by_import(send, client_for, ambassador):
    sent = ActionFactory(by=ambassador, status="submitted")
    content = _csv("id,compromiso,título", f"{sent.pk},3.1,Otro título")
    _response, job = send(client_for(ambassador), "actions", content, name="a.csv")
    job.refresh_from_db()
    assert job.rows[0]["errors"] == {
        "id": ["Solo su embajador puede cambiar esta acción, y solo en borrador o devuelta."]
    }


def test_a_change_made_after_the_check_refuses_the_whole_import(confirm, send, client_for, ambassador):
    draft = ActionFactory(by=ambassador, title="Borrador")
    client = client_for(ambassador)
    content = _csv("id,compromiso,título", f"{draft.pk},3.1,Cambiado", ",3.1,Nueva")
    _response, job = send(client, "actions", content, name="a.csv")
    job.refresh_from_db()
    assert job.can_apply
    commitment_services.action_submit(action=draft, by=ambassador)  # meanwhile, from the page

    confirm(client, job)  # the apply runs (eagerly) once the request commits; the page then shows why
    response = client.get(reverse("imports:job", args=[job.pk]))
    assert "Algo cambió desde la revisión" in response.content.decode()
    assert not Action.objects.filter(title__in=["Cambiado", "Nueva"]).exists()
    draft.refresh_from_db()
    assert draft.title == "Borrador"


def test_only_an_ambassador_in_office_imports_actions(client_for, coordinator, admin):
    for user in (coordinator, admin):
        assert client_for(user).get(reverse("imports:upload", args=["actions"])).status_code == 403


def test_nobody_reads_another_persons_job(confirm, client_for, other_ambassador, admin, ambassador):
    job = ImportJobFactory(user=ambassador)
    for user in (other_ambassador, admin):
        client = client_for(user)
        assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("imports:job_status", args=[job.pk])).status_code == 404
        assert confirm(client, job).status_code == 404


def test_a_cancelled_import_writes_nothing(confirm, send, client_for, ambassador):
    client = client_for(ambassador)
    _response, job = send(client, "actions", _csv("compromiso,título", "3.1,Nueva"), name="a.csv")
    client.post(reverse("imports:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "cancelled"
    confirm(client, job)
    assert not Action.objects.exists()


# Targets ----------------------------------------------------------------------------------


def test_targets_round_trip_and_change_through_target_save(confirm, send, client_for, ambassador, coordinator, lima):
    indicator = IndicatorFactory(code="9.9-a")
    target = TargetFactory(city=lima, indicator=indicator, updated_by=ambassador)
    client = client_for(coordinator)
    book = workbook(exported(client, "targets", lima))
    sheet = book.active
    col = columns_of(sheet)
    _response, job = send(client, "targets", saved(book), city=lima)
    job.refresh_from_db()
    assert [row["state"] for row in job.rows] == ["unchanged"]

    sheet.cell(row=2, column=col["valor meta"], value=250)
    sheet.append(
        {
            col["indicador"]: "9.9-a",
            col["horizonte"]: "Largo plazo",
            col["línea base"]: 0,
            col["año de la línea base"]: 2025,
            col["valor meta"]: 900,
            col["fecha límite"]: "2030-12-31",
        }
    )
    sheet.append(
        {
            col["indicador"]: "9.9-a",
            col["horizonte"]: "long",
            col["línea base"]: 0,
            col["año de la línea base"]: 2025,
            col["valor meta"]: 10,
            col["fecha límite"]: "2020-12-31",
        }
    )
    _response, job = send(client, "targets", saved(book), city=lima)
    job.refresh_from_db()
    assert [row["state"] for row in job.rows] == ["changed", "new", "new"]
    assert job.rows[2]["errors"] == {"due_on": ["La fecha límite debe ser posterior al año de la línea base."]}

    sheet.cell(row=4, column=col["fecha límite"], value="2031-12-31")  # fixed: now twice the long target
    _response, job = send(client, "targets", saved(book), city=lima)
    job.refresh_from_db()
    assert job.rows[2]["errors"] == {
        "horizon": ["Otra fila del archivo ya fija una meta para este indicador y horizonte."]
    }

    sheet.delete_rows(4)
    _response, job = send(client, "targets", saved(book), city=lima)
    confirm(client, job)
    target.refresh_from_db()
    assert target.target_value == 250
    assert target.history.latest().history_user == coordinator
    assert Target.objects.get(city=lima, horizon="long").due_on == datetime.date(2030, 12, 31)


def test_targets_of_a_city_out_of_scope_are_not_found(client_for, coordinator_elsewhere, other_ambassador, lima):
    for user in (coordinator_elsewhere, other_ambassador):
        client = client_for(user)
        assert client.get(reverse("imports:upload", args=["targets"]) + f"?city={lima.pk}").status_code == 404
        assert client.get(reverse("imports:export", args=["targets", "xlsx"]) + f"?city={lima.pk}").status_code == 404
