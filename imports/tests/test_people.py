"""Admins import ambassadors' appointments and coordinators' scopes through ambassadors.services,
in the export's columns; nobody else may."""

import datetime

import pytest
from django.urls import reverse

from ambassadors.models import Ambassador, City, Coordinator
from ambassadors.tests.factories import UserFactory

from .helpers import columns_of, saved, workbook

pytestmark = pytest.mark.django_db


def _export(client, what):
    response = client.get(reverse("imports:export", args=[what, "xlsx"]))
    assert response.status_code == 200
    return workbook(response.content)


def test_coordinators_round_trip_then_a_scope_changes_and_a_coordinator_is_added(
    confirm, send, client_for, admin, coordinator, peru, mexico
):
    client = client_for(admin)
    book = _export(client, "coordinators")
    sheet = book.active
    col = columns_of(sheet)
    _response, job = send(client, "coordinators", saved(book), name="c.xlsx")
    job.refresh_from_db()
    assert [row["state"] for row in job.rows] == ["unchanged"]

    sheet.cell(row=2, column=col["países (códigos ISO)"], value="PE MX")
    newcomer = UserFactory(username="elena")
    sheet.append({col["usuario"]: "elena", col["países (códigos ISO)"]: "MX"})
    sheet.append({col["usuario"]: "nadie", col["países (códigos ISO)"]: "ZZ"})
    _response, job = send(client, "coordinators", saved(book), name="c.xlsx")
    job.refresh_from_db()
    assert [row["state"] for row in job.rows] == ["changed", "new", "new"]
    assert job.rows[2]["errors"] == {
        "username": ["No hay una cuenta con el usuario «nadie»."],
        "countries": ["Códigos de país que no se conocen: ZZ."],
    }
    sheet.delete_rows(4)
    _response, job = send(client, "coordinators", saved(book), name="c.xlsx")
    confirm(client, job)
    assert set(Coordinator.objects.get(user=coordinator).countries.values_list("pk", flat=True)) == {"PE", "MX"}
    assert list(Coordinator.objects.get(user=newcomer).countries.values_list("pk", flat=True)) == ["MX"]
    assert Coordinator.objects.get(user=newcomer).history.latest().history_user == admin


def test_an_ambassador_is_appointed_and_a_term_set_by_import(confirm, send, client_for, admin, ambassador, rosario):
    client = client_for(admin)
    book = _export(client, "ambassadors")
    sheet = book.active
    col = columns_of(sheet)
    sheet.cell(row=2, column=col["fin del periodo"], value="2027-02-28")
    UserFactory(username="rosa")
    sheet.append({col["usuario"]: "rosa", col["ciudad"]: rosario.pk, col["nombrado el"]: "2099-01-01"})
    _response, job = send(client, "ambassadors", saved(book), name="a.xlsx")
    job.refresh_from_db()
    assert job.rows[1]["errors"] == {
        "appointed_on": ["Registre el nombramiento el día en que empieza: hoy o una fecha pasada."]
    }
    sheet.cell(row=3, column=col["nombrado el"], value="2026-01-05")
    _response, job = send(client, "ambassadors", saved(book), name="a.xlsx")
    job.refresh_from_db()
    assert [row["state"] for row in job.rows] == ["changed", "new"] and job.can_apply
    confirm(client, job)
    assert Ambassador.objects.get(user=ambassador).term_ends_on == datetime.date(2027, 2, 28)
    assert Ambassador.objects.get(user__username="rosa", status="active").city == rosario


def test_cities_round_trip_a_population_changes_and_a_city_is_added(confirm, send, client_for, admin, lima, peru):
    client = client_for(admin)
    book = _export(client, "cities")
    sheet = book.active
    col = columns_of(sheet)
    _response, job = send(client, "cities", saved(book), name="c.xlsx")
    job.refresh_from_db()
    assert [row["state"] for row in job.rows] == ["unchanged"]
    sheet.cell(row=2, column=col["población"], value=10_000_000)
    sheet.append({col["nombre"]: "Cusco", col["país"]: "pe", col["latitud"]: -13.53, col["longitud"]: -200})
    _response, job = send(client, "cities", saved(book), name="c.xlsx")
    job.refresh_from_db()
    assert list(job.rows[1]["errors"]) == [""]  # the table's range check, for the row as a whole (as in admin)
    sheet.cell(row=3, column=col["longitud"], value=-71.97)
    _response, job = send(client, "cities", saved(book), name="c.xlsx")
    confirm(client, job)
    lima.refresh_from_db()
    assert lima.population == 10_000_000 and lima.history.latest().history_user == admin
    assert City.objects.get(name="Cusco").country_id == "PE"


def test_only_admins_import_or_export_people(client_for, ambassador, coordinator):
    for user in (ambassador, coordinator):
        client = client_for(user)
        for what in ("cities", "ambassadors", "coordinators"):
            assert client.get(reverse("imports:upload", args=[what])).status_code == 403
            assert client.get(reverse("imports:export", args=[what, "csv"])).status_code == 403
    assert client_for(ambassador).get(reverse("imports:upload", args=["paises"])).status_code == 404
