"""After an appointment ends, its person reads their own past work for 30 days, then nothing:
never a change, never another city's data, never the rest of their former city's."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ambassadors.models import Ambassador
from ambassadors.services import ambassador_end
from commitments import services as commitment_services
from commitments.models import Action
from commitments.sample_files import pdf_bytes, upload
from commitments.tests.factories import ActionFactory, TargetFactory
from terms import services

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_work(ambassador, other_ambassador, coordinator, alicia_term, newcomer):
    """Alicia's approved action with a file, her draft, and Rosario's action; then Nora succeeds her
    and logs an action of her own."""
    approved = ActionFactory(by=ambassador, title="Aprobada de Alicia")
    evidence = commitment_services.evidence_add_file(
        action=approved, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes())
    )
    commitment_services.action_submit(action=approved, by=ambassador)
    commitment_services.action_approve(action=approved, by=coordinator)
    draft = ActionFactory(by=ambassador, title="Borrador de Alicia")
    submitted = ActionFactory(by=ambassador, status="submitted", title="Enviada por Alicia")
    rosario = ActionFactory(by=other_ambassador, title="Acción de Rosario")
    services.successor_appoint(outgoing=alicia_term, user=newcomer, by=coordinator)
    nora = ActionFactory(by=newcomer, title="Acción de Nora")
    return {
        "approved": approved,
        "evidence": evidence,
        "draft": draft,
        "submitted": submitted,
        "rosario": rosario,
        "nora": nora,
        "lima": alicia_term.city,
    }


def test_within_30_days_the_outgoing_person_reads_their_own_actions_and_evidence(client_for, ambassador, past_work):
    client = client_for(ambassador)
    for action in ("approved", "draft", "submitted"):
        assert client.get(reverse("commitments:action", args=[past_work[action].pk])).status_code == 200
    assert client.get(reverse("commitments:evidence_download", args=[past_work["evidence"].pk])).status_code == 200
    listed = client.get(reverse("commitments:actions")).content.decode()
    assert "Aprobada de Alicia" in listed and "Borrador de Alicia" in listed


def test_within_30_days_they_change_nothing(client_for, ambassador, past_work):
    client = client_for(ambassador)
    draft, submitted, evidence = past_work["draft"], past_work["submitted"], past_work["evidence"]
    assert client.get(reverse("commitments:action_edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("commitments:action_submit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("commitments:action_delete", args=[draft.pk])).status_code == 403
    assert client.post(reverse("commitments:evidence_delete", args=[evidence.pk])).status_code == 403
    assert client.post(reverse("commitments:action_withdraw", args=[submitted.pk])).status_code == 403
    # As the views load them: with the appointment as it is now (ended).
    draft, submitted = (Action.objects.select_related("ambassador").get(pk=a.pk) for a in (draft, submitted))
    evidence.refresh_from_db()
    for refused in (
        lambda: commitment_services.action_withdraw(action=submitted, by=ambassador),
        lambda: commitment_services.action_delete(action=draft, by=ambassador),
        lambda: commitment_services.evidence_delete(evidence=evidence, by=ambassador),
        lambda: commitment_services.action_update(action=draft, by=ambassador, data={"title": "Otro"}),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    assert Action.objects.get(pk=submitted.pk).status == "submitted"
    assert Action.objects.get(pk=draft.pk).title == "Borrador de Alicia"
    assert client.get(reverse("commitments:action_choose")).status_code == 403


def test_they_read_nothing_of_other_cities_nor_the_rest_of_their_former_city(client_for, ambassador, past_work):
    client = client_for(ambassador)
    assert client.get(reverse("commitments:action", args=[past_work["rosario"].pk])).status_code == 404
    # The successor's work and the city's pages are the city's, not the person's.
    assert client.get(reverse("commitments:action", args=[past_work["nora"].pk])).status_code == 404
    assert client.get(reverse("reports:city_progress", args=[past_work["lima"].pk])).status_code == 404
    target = TargetFactory(city=past_work["lima"])
    assert client.get(reverse("commitments:target_edit", args=[target.pk])).status_code == 404
    listed = set(Action.objects.visible_to(ambassador).values_list("title", flat=True))
    assert listed == {"Aprobada de Alicia", "Borrador de Alicia", "Enviada por Alicia"}


def test_a_draft_taken_over_by_the_successor_is_no_longer_theirs(ambassador, newcomer, past_work):
    services.draft_take_over(action=past_work["draft"], by=newcomer)
    assert not Action.objects.visible_to(ambassador).filter(pk=past_work["draft"].pk).exists()


def test_after_30_days_nothing(client_for, ambassador, past_work):
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert Action.objects.visible_to(ambassador).count() == 3  # the 30th day still reads
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        client = client_for(ambassador)
        assert client.get(reverse("commitments:action", args=[past_work["approved"].pk])).status_code == 404
        download = reverse("commitments:evidence_download", args=[past_work["evidence"].pk])
        assert client.get(download).status_code == 404
        assert not Action.objects.visible_to(ambassador).exists()


def test_any_end_gives_the_same_window(ambassador, alicia_term):
    action = ActionFactory(by=ambassador)
    ambassador_end(ambassador=alicia_term, ended_on=alicia_term.term_ends_on - datetime.timedelta(days=60))
    assert Ambassador.objects.get(pk=alicia_term.pk).status == "ended"
    assert Action.objects.visible_to(ambassador).filter(pk=action.pk).exists()


def test_admins_still_see_everything(admin, past_work):
    assert Action.objects.visible_to(admin).count() == Action.objects.count()


def test_the_outgoing_person_lands_on_their_actions_with_the_date_their_reading_ends(client_for, ambassador, past_work):
    response = client_for(ambassador).get(reverse("ambassadors:landing"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("commitments:actions")
    page = response.content.decode()
    assert "Hasta el 24 de diciembre de 2026 puede consultar, sin cambiarlas, sus acciones." in page
    assert "Aprobada de Alicia" in page
