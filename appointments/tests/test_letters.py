"""The appointment letter: a PDF in the person's language naming the person, the city, the term,
the commitments accepted and the verification code; its own ambassador's, or in a reviewer's scope."""

import datetime
import subprocess

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from ambassadors import services as ambassador_services
from appointments import services
from appointments.admin import AppointmentLetterAdmin
from appointments.models import AppointmentLetter
from appointments.services import CODE_ALPHABET, CODE_LENGTH


def pdf_text(content):
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_every_appointment_has_a_letter_in_force_with_an_unguessable_code(ambassador, letter_of):
    letter = letter_of(ambassador)
    assert len(letter.code) == CODE_LENGTH
    assert set(letter.code) <= set(CODE_ALPHABET)
    assert letter.code_display.count("-") == 2


def test_the_letter_names_the_person_the_city_the_term_the_commitments_and_the_code(
    client_for, ambassador, appointment_of, letter_of
):
    ambassador.last_name = "Ramírez"
    ambassador.save()
    ambassador_services.ambassador_set_term(
        ambassador=appointment_of(ambassador), term_ends_on=datetime.date(2028, 2, 29)
    )
    response = client_for(ambassador).get(reverse("appointments:letter"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(pdf_text(response.content).split())
    letter = letter_of(ambassador)
    assert "Alicia Ramírez" in text
    assert "Lima" in text
    assert "1 de marzo de 2025" in text
    assert "29 de febrero de 2028" in text
    assert letter.code_display in text
    assert f"/verificar/{letter.code}/" in text.replace(" ", "")
    assert "3.1 Gestión integrada de recursos hídricos" in text


@pytest.mark.acceptance_pending
def test_the_letter_is_in_the_language_the_commitments_were_accepted_in(client_for, ambassador, accept):
    accept(ambassador, language="en")
    text = " ".join(pdf_text(client_for(ambassador).get(reverse("appointments:letter")).content).split())
    assert "Appointment letter" in text or "Integrated water" in text
    assert "Integrated water" in text


def test_another_ambassador_cannot_download_someone_elses_letter(
    client_for, ambassador, other_ambassador, appointment_of
):
    client = client_for(other_ambassador)
    assert client.get(reverse("appointments:letter_of", args=[appointment_of(ambassador).pk])).status_code == 404
    own = " ".join(pdf_text(client.get(reverse("appointments:letter")).content).split())
    assert "Rosario" in own
    assert "Lima" not in own


def test_a_coordinator_in_scope_and_an_admin_download_it_one_out_of_scope_does_not(
    client_for, ambassador, coordinator, coordinator_elsewhere, admin, appointment_of
):
    url = reverse("appointments:letter_of", args=[appointment_of(ambassador).pk])
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(admin).get(url).status_code == 200
    assert client_for(coordinator_elsewhere).get(url).status_code == 404
    assert client_for(coordinator).get(reverse("appointments:letter")).status_code == 404  # has none of her own


def test_an_ended_appointment_has_no_letter_to_download(client_for, ambassador, appointment_of):
    ambassador_services.ambassador_end(ambassador=appointment_of(ambassador), ended_on=datetime.date(2026, 1, 1))
    assert client_for(ambassador).get(reverse("appointments:letter")).status_code == 404


def test_an_admin_revokes_a_letter_and_issues_a_new_one(ambassador, admin, letter_of, appointment_of):
    first = letter_of(ambassador)
    model_admin = AppointmentLetterAdmin(AppointmentLetter, site)
    request = RequestFactory().post("/")
    request.user = admin
    model_admin.message_user = lambda *args, **kwargs: None
    model_admin.revoke(request, AppointmentLetter.objects.filter(pk=first.pk))
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_by == admin
    assert services.letter_state(first.code) == services.REVOKED
    model_admin.issue_new(request, AppointmentLetter.objects.filter(pk=first.pk))
    second = letter_of(ambassador)
    assert second.code != first.code
    assert second.issued_by == admin
    assert services.letter_state(second.code) == services.VALID
    assert (
        AppointmentLetter.objects.filter(appointment=appointment_of(ambassador), revoked_at__isnull=True).count() == 1
    )


def test_a_new_letter_revokes_the_one_in_force(ambassador, appointment_of, letter_of):
    first = letter_of(ambassador)
    second = services.letter_issue(appointment=appointment_of(ambassador))
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert letter_of(ambassador) == second
