"""A training, a participation mechanism and a policy are logged through the action's own form:
their details are saved with the action, refused at their field when they contradict it, kept
as typed when refused, and dropped when the action changes kind."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commitments import services as action_services
from commitments.models import Action
from commitments.tests.factories import EMPTY_FORMSETS, ActionFactory, seeded_commitment
from kinds import services
from kinds.models import ParticipationMechanism, PublicPolicy, Training

SESSIONS = {"training-sessions-TOTAL_FORMS": "0", "training-sessions-INITIAL_FORMS": "0"}


def _post(client, commitment, data, *, action=None):
    url = (
        reverse("commitments:action_edit", args=[action.pk])
        if action
        else reverse("commitments:action_create", args=[seeded_commitment(commitment).pk])
    )
    if action:
        data = {"commitment": action.commitment_id, **data}
    return client.post(url, {**EMPTY_FORMSETS, **SESSIONS, "save": "", **data})


def _training(**fields):
    sessions = fields.pop("sessions", [("2026-10-05", "3"), ("2026-10-12", "2.5")])
    data = {
        "kind": "training",
        "title": "Escuela de Gobernanza Emocional, cohorte 3",
        "started_on": "2026-10-01",
        "ended_on": "2026-10-31",
        "people_reached": "40",
        "women_reached": "25",
        "indigenous_reached": "6",
        "training-format": "course",
        "training-modality": "hybrid",
        "training-facilitators": "Ana Ruiz\nLuis Paz",
        "training-public_servants": "30",
        "training-certificates_issued": "35",
        "training-satisfaction": "4.6",
        "training-score_before": "52",
        "training-score_after": "78",
        "training-sessions-TOTAL_FORMS": str(len(sessions)),
        "training-sessions-INITIAL_FORMS": "0",
    }
    for index, (day, hours) in enumerate(sessions):
        data[f"training-sessions-{index}-held_on"] = day
        data[f"training-sessions-{index}-hours"] = hours
    return {**data, **fields}


@pytest.mark.django_db
def test_a_training_is_saved_with_its_sessions_and_groups(client_for, ambassador):
    response = _post(client_for(ambassador), "1.2", _training())
    action = Action.objects.get(title__startswith="Escuela")
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert action.kind == "training" and (action.people_reached, action.indigenous_reached) == (40, 6)
    training = action.training
    assert (training.format, training.modality, training.public_servants) == ("course", "hybrid", 30)
    assert training.satisfaction == Decimal("4.6")
    assert [(str(s.held_on), s.hours) for s in training.sessions.all()] == [
        ("2026-10-05", Decimal("3")),
        ("2026-10-12", Decimal("2.5")),
    ]
    page = client_for(ambassador).get(reverse("commitments:action", args=[action.pk])).content.decode()
    assert "Escuela de Gobernanza Emocional" in page and "2 sesiones" in page


@pytest.mark.django_db
def test_public_servants_above_the_people_reached_are_refused_at_their_field(client_for, ambassador):
    response = _post(client_for(ambassador), "1.2", _training(**{"training-public_servants": "41"}))
    assert response.status_code == 200
    form = response.context["kind_forms"]["training"]
    assert "No puede ser más que las personas alcanzadas por la acción (40)." in form.errors["public_servants"]
    assert 'value="Escuela de Gobernanza Emocional, cohorte 3"' in response.content.decode(), "kept as typed"
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_a_group_above_the_total_is_refused_at_its_field(client_for, ambassador):
    response = _post(client_for(ambassador), "1.2", _training(indigenous_reached="41"))
    assert response.status_code == 200
    assert response.context["form"].errors["indigenous_reached"] == [
        "No puede ser más que el total de personas alcanzadas."
    ]


@pytest.mark.django_db
def test_a_session_outside_the_actions_dates_is_refused_at_its_date(client_for, ambassador):
    response = _post(client_for(ambassador), "1.2", _training(sessions=[("2026-10-05", "3"), ("2026-11-02", "2")]))
    assert response.status_code == 200
    sessions = response.context["kind_forms"]["training"].sessions
    assert sessions.forms[0].errors == {}
    assert sessions.forms[1].errors["held_on"] == [
        "La sesión debe caer entre el inicio y el fin de la acción (del 01/10/2026 al 31/10/2026)."
    ]
    assert 'value="2026-11-02"' in response.content.decode()
    assert not Training.objects.exists()


@pytest.mark.django_db
def test_a_session_of_more_than_a_day_is_refused(client_for, ambassador):
    response = _post(client_for(ambassador), "1.2", _training(sessions=[("2026-10-05", "25")]))
    sessions = response.context["kind_forms"]["training"].sessions
    assert sessions.forms[0].errors["hours"] == ["Una sesión dura más de 0 y hasta 24 horas."]


@pytest.mark.django_db
def test_a_training_needs_a_session_to_be_sent(client_for, ambassador):
    data = _training(sessions=[], description="Primer módulo.")
    response = _post(client_for(ambassador), "1.2", {**data, "submit": ""})
    action = Action.objects.get()
    assert action.status == "draft" and response.url.endswith("?enviar=1")
    page = client_for(ambassador).get(response.url).content.decode()
    assert "Añada al menos una sesión de la formación, con su fecha y sus horas." in page


@pytest.mark.django_db
def test_changing_the_kind_drops_the_old_details(client_for, ambassador):
    _post(client_for(ambassador), "1.2", _training())
    action = Action.objects.get()
    data = {"kind": "general", "title": action.title, "confirm_kind_change": "on"}
    response = _post(client_for(ambassador), "1.2", data, action=action)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.kind == "general" and not Training.objects.exists()
    assert Training.history.filter(history_type="-").count() == 1, "the removal is in the audit trail"


@pytest.mark.django_db
def test_a_participation_mechanism_keeps_its_accessibility_measures(client_for, ambassador):
    data = {
        "kind": "participation",
        "title": "Presupuesto participativo 2026",
        "participation-mechanism": "budgeting",
        "participation-sign_language": "on",
        "participation-childcare": "on",
        "participation-decisions_changed": "Se priorizó el parque del barrio Norte",
    }
    assert _post(client_for(ambassador), "1.3", data).status_code == 302
    mechanism = ParticipationMechanism.objects.get()
    assert [str(measure) for measure in mechanism.measures] == ["lengua de señas", "cuidado infantil"]


@pytest.mark.django_db
def test_an_adopted_policy_needs_its_date_and_not_a_future_one(client_for, ambassador):
    data = {
        "kind": "policy",
        "title": "Ordenanza de gestión de riesgos",
        "policy-instrument": "ordinance",
        "policy-stage": "adopted",
        "policy-population_covered": "90000",
    }
    response = _post(client_for(ambassador), "2.1", data)
    assert response.context["kind_forms"]["policy"].errors["adopted_on"] == [
        "Indique la fecha de adopción de una política adoptada."
    ]
    response = _post(client_for(ambassador), "2.1", {**data, "policy-adopted_on": "2099-01-01"})
    assert response.context["kind_forms"]["policy"].errors["adopted_on"] == [
        "La fecha de adopción no puede estar en el futuro."
    ]
    response = _post(client_for(ambassador), "2.1", {**data, "policy-population_covered": "100001"})
    assert response.context["kind_forms"]["policy"].errors["population_covered"] == [
        "Es más que la población de Lima (100\xa0000)."
    ]
    assert _post(client_for(ambassador), "2.1", {**data, "policy-adopted_on": "2026-06-30"}).status_code == 302
    assert PublicPolicy.objects.get().population_covered == 90_000


@pytest.mark.django_db
def test_the_details_of_a_kind_not_chosen_are_not_checked_nor_saved(client_for, ambassador):
    data = _training(kind="general", **{"training-public_servants": "999"})
    assert _post(client_for(ambassador), "1.2", data).status_code == 302
    assert Action.objects.get().kind == "general" and not Training.objects.exists()


@pytest.mark.django_db
def test_the_action_list_filters_by_kind_and_names_it(client_for, ambassador):
    _post(client_for(ambassador), "1.2", _training())
    _post(client_for(ambassador), "1.2", {"kind": "general", "title": "Reunión de equipo"})
    url = reverse("commitments:actions")
    page = client_for(ambassador).get(url, {"kind": "training"}).content.decode()
    assert "Escuela de Gobernanza Emocional" in page and "Reunión de equipo" not in page
    assert "· Formación" in page
    page = client_for(ambassador).get(url).content.decode()
    assert "Reunión de equipo" in page


@pytest.mark.django_db
def test_the_services_refuse_what_the_forms_refuse(ambassador):
    """An import or the API writes without the form: the same rules hold."""
    action = ActionFactory(
        by=ambassador,
        commitment="1.2",
        kind="training",
        started_on=datetime.date(2026, 10, 1),
        ended_on=datetime.date(2026, 10, 31),
        people_reached=40,
    )
    data = {"format": "course", "modality": "online", "public_servants": 41}
    with pytest.raises(ValidationError) as refused:
        services.training_save(
            action=action,
            data=data,
            sessions=[{"held_on": datetime.date(2026, 11, 2), "hours": Decimal(2), "topic": ""}],
            by=ambassador,
            at=timezone.now(),
        )
    assert set(refused.value.message_dict) == {"public_servants", "sessions"}
    assert not Training.objects.exists()
    policy = {"instrument": "plan", "stage": "adopted", "adopted_on": None, "population_covered": 5}
    with pytest.raises(ValidationError) as refused:
        services.policy_save(action=action, data=policy, by=ambassador, at=timezone.now())
    assert refused.value.message_dict == {"adopted_on": ["Indique la fecha de adopción de una política adoptada."]}


@pytest.mark.django_db
def test_changing_the_kind_of_an_action_with_details_asks_first(client_for, ambassador):
    _post(client_for(ambassador), "1.2", _training())
    action = Action.objects.get()
    response = _post(client_for(ambassador), "1.2", {"kind": "general", "title": "Otro título"}, action=action)
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        "Al cambiar el tipo de acción se quitarán los datos de «Formación» ya guardados. Si es lo que quiere, "
        "marque «Quitar esos datos» y guarde de nuevo."
    ]
    assert 'name="confirm_kind_change"' in response.content.decode()
    action.refresh_from_db()
    assert action.kind == "training" and action.title.startswith("Escuela") and Training.objects.exists()


@pytest.mark.django_db
def test_a_kind_no_longer_offered_stays_editable_on_its_actions(client_for, ambassador):
    _post(client_for(ambassador), "1.2", _training())
    action = Action.objects.get()
    Commitment = type(action.commitment)
    Commitment.objects.filter(pk=action.commitment_id).update(kinds=[])
    page = client_for(ambassador).get(reverse("commitments:action_edit", args=[action.pk])).content.decode()
    assert 'name="training-format"' in page and 'value="training"' in page
    response = _post(client_for(ambassador), "1.2", _training(**{"training-public_servants": "20"}), action=action)
    assert response.status_code == 302
    assert Training.objects.get().public_servants == 20


@pytest.mark.django_db
def test_sending_checks_the_saved_details_against_the_action_as_it_is_now(client_for, ambassador):
    _post(client_for(ambassador), "1.2", _training(description="Primer módulo."))
    action = Action.objects.get()
    # The people reached change without the training's form (an import, the API).
    data = {"people_reached": 10, "women_reached": 5, "indigenous_reached": 2}
    action = action_services.action_update(action=action, by=ambassador, data=data)
    with pytest.raises(ValidationError) as refused:
        action_services.action_submit(action=action, by=ambassador)
    assert refused.value.message_dict["public_servants"] == [
        "No puede ser más que las personas alcanzadas por la acción (10)."
    ]


@pytest.mark.django_db
def test_a_session_the_table_would_refuse_is_refused_by_the_service(ambassador):
    action = ActionFactory(by=ambassador, commitment="1.2", kind="training", started_on=datetime.date(2026, 10, 1))
    with pytest.raises(ValidationError) as refused:
        services.training_save(
            action=action,
            data={"format": "course", "modality": "online"},
            sessions=[{"held_on": datetime.date(2026, 10, 2), "hours": Decimal(0), "topic": ""}],
            by=ambassador,
            at=timezone.now(),
        )
    assert "sessions" in refused.value.message_dict
