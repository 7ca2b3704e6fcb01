"""The action's timeline tells every change of a training (its fields and its sessions), a
participation mechanism and a policy, made through the action's form: by who made it, in the
same entry as the action's own change of the same save; leaving a kind tells the details'
removal; and the action's page runs the same queries however long a training's history."""

import datetime

import pytest
from django.urls import reverse

from commitments import services as commitment_services
from commitments.models import Action
from commitments.tests.factories import EMPTY_FORMSETS, seeded_commitment
from kinds.models import ParticipationMechanism, PublicPolicy, Training, TrainingSession
from kinds.timeline import PARTICIPATION_NAMES, POLICY_NAMES, TRAINING_NAMES

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 12, 14, tzinfo=datetime.UTC)
TITLE = "Escuela de Gobernanza Emocional, cohorte 3"
LEAVE_KIND = {"confirm_kind_change": "on"}  # the form asks before removing the saved details
ACTION = {
    "title": TITLE,
    "description": "Tres módulos para servidores públicos.",
    "started_on": "2026-10-01",
    "ended_on": "2026-10-31",
    "people_reached": "40",
}


def post(client, commitment, data, *, action=None):
    """The action's form posted with `data` (the whole form: what is left out is emptied), in the
    commitment's first focus area."""
    area = seeded_commitment(commitment).focus_areas.order_by("pk").first()
    data = {"focus_areas": [area.pk], **data}
    if action is None:
        url = reverse("commitments:action_create", args=[seeded_commitment(commitment).pk])
    else:
        url = reverse("commitments:action_edit", args=[action.pk])
        data = {"commitment": action.commitment_id, **data}
    sessions = {"training-sessions-TOTAL_FORMS": "0", "training-sessions-INITIAL_FORMS": "0"}
    response = client.post(url, {**EMPTY_FORMSETS, **sessions, "save": "", **data})
    assert response.status_code == 302, response.context and [
        form.errors for form in (response.context["form"], *response.context["kind_forms"].values())
    ]
    return response


def training(sessions=(("2026-10-05", "3", ""), ("2026-10-12", "2.5", "")), *, initial=0, **fields):
    """A training's form: its sessions (day, hours, topic[, "DELETE"]), the first `initial` of them
    the saved ones as the edit page draws them."""
    data = {
        **ACTION,
        "kind": "training",
        "training-format": "course",
        "training-modality": "hybrid",
        "training-facilitators": "Ana Ruiz\r\nLuis Paz",
        "training-satisfaction": "4.6",
        "training-sessions-TOTAL_FORMS": str(len(sessions)),
        "training-sessions-INITIAL_FORMS": str(initial),
    }
    for index, (day, hours, topic, *delete) in enumerate(sessions):
        prefix = f"training-sessions-{index}"
        data.update({f"{prefix}-held_on": day, f"{prefix}-hours": hours, f"{prefix}-topic": topic})
        if delete:
            data[f"{prefix}-DELETE"] = "on"
    return {**data, **fields}


def timeline_of(client, action):
    response = client.get(reverse("commitments:action", args=[action.pk]))
    return [(entry.who, entry.changes) for entry in response.context["timeline"]]


def test_the_timeline_tells_a_trainings_fields_and_sessions_by_who_changed_them(
    client_for, ambassador, coordinator, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client = client_for(ambassador)
    post(client, "1.2", training())
    action = Action.objects.get()
    time_machine.shift(datetime.timedelta(hours=1))
    # A session in between: the service rewrites the rows in date order, the timeline tells the days.
    sessions = [("2026-10-05", "3", ""), ("2026-10-12", "4", ""), ("2026-10-08", "2", "")]
    edited = training(sessions, initial=2, title="Escuela de Gobernanza Emocional, cohorte 4")
    post(client, "1.2", {**edited, "training-modality": "online", "training-satisfaction": "4.75"}, action=action)
    time_machine.shift(datetime.timedelta(minutes=5))
    commitment_services.action_submit(action=action, by=ambassador)
    time_machine.shift(datetime.timedelta(days=1))
    commitment_services.action_return(action=action, by=coordinator, comment="¿Y el tema de cada sesión?")
    time_machine.shift(datetime.timedelta(days=1))
    sessions = [
        ("2026-10-05", "3", "Emociones en el trabajo"),
        ("2026-10-08", "2", "", "DELETE"),
        ("2026-10-12", "4", ""),
    ]
    edited = training(sessions, initial=3, title=edited["title"])
    changes = {"training-modality": "online", "training-satisfaction": "4.75", "training-facilitators": ""}
    post(client, "1.2", {**edited, **changes}, action=action)
    time_machine.shift(datetime.timedelta(seconds=10))
    commitment_services.action_submit(action=action, by=ambassador)  # the same minute: the same entry

    area = seeded_commitment("1.2").focus_areas.order_by("pk").first()
    assert timeline_of(client_for(coordinator), action) == [
        (
            "Alicia",
            [
                "creó la acción",
                f"añadió el área de enfoque «{area}»",
                "añadió los datos de «Formación»",
                "añadió la sesión del 05/10/2026 (3 h)",
                "añadió la sesión del 12/10/2026 (2,5 h)",
            ],
        ),
        (
            "Alicia",
            [
                f"cambió el título de «{TITLE}» a «Escuela de Gobernanza Emocional, cohorte 4»",
                "cambió la modalidad de «Híbrida» a «En línea»",
                "cambió la satisfacción media de «4,6» a «4,75»",
                "añadió la sesión del 08/10/2026 (2 h)",
                "cambió la sesión del 12/10/2026 de «2,5 h» a «4 h»",
            ],
        ),
        ("Alicia", ["envió a revisión"]),
        ("Carla", ["devolvió con el comentario «¿Y el tema de cada sesión?»"]),
        (
            "Alicia",
            [
                "borró los facilitadores («Ana Ruiz / Luis Paz»)",
                "cambió la sesión del 05/10/2026 de «3 h» a «3 h: Emociones en el trabajo»",
                "quitó la sesión del 08/10/2026 (2 h)",
                "envió a revisión",
            ],
        ),
    ]
    page = client_for(coordinator).get(reverse("commitments:action", args=[action.pk])).content.decode()
    assert "cambió la modalidad de «Híbrida» a «En línea»" in page


def test_leaving_a_kind_tells_the_details_removed_and_taking_one_tells_them_added(client_for, ambassador, time_machine):
    commitment = seeded_commitment("1.2")
    commitment.kinds = ["training", "policy"]
    commitment.save()
    time_machine.move_to(NOW, tick=False)
    client = client_for(ambassador)
    post(client, "1.2", training())
    action = Action.objects.get()
    policy = {
        **ACTION,
        "kind": "policy",
        "policy-instrument": "programme",
        "policy-stage": "drafting",
    }
    time_machine.shift(datetime.timedelta(hours=1))
    post(client, "1.2", {**policy, **LEAVE_KIND}, action=action)
    time_machine.shift(datetime.timedelta(hours=1))
    post(client, "1.2", {**training(sessions=[("2026-10-20", "1.5", "")]), **LEAVE_KIND}, action=action)
    time_machine.shift(datetime.timedelta(hours=1))
    post(client, "1.2", {**ACTION, **LEAVE_KIND, "kind": "general"}, action=action)

    assert not Training.objects.exists() and not PublicPolicy.objects.exists()
    assert timeline_of(client, action)[1:] == [
        (
            "Alicia",
            [
                "cambió el tipo de acción de «Formación» a «Política pública»",
                "quitó los datos de «Formación»",
                "añadió los datos de «Política pública»",
            ],
        ),
        (
            "Alicia",
            [
                "cambió el tipo de acción de «Política pública» a «Formación»",
                "quitó los datos de «Política pública»",
                "añadió los datos de «Formación»",
                "añadió la sesión del 20/10/2026 (1,5 h)",
            ],
        ),
        ("Alicia", ["cambió el tipo de acción de «Formación» a «General»", "quitó los datos de «Formación»"]),
    ]


def test_the_timeline_tells_a_mechanisms_accessibility_measures_and_a_policys_stage(
    client_for, ambassador, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client = client_for(ambassador)
    mechanism = {
        "kind": "participation",
        "title": "Presupuesto participativo 2026",
        "participation-mechanism": "budgeting",
        "participation-sign_language": "on",
    }
    post(client, "1.3", mechanism)
    policy = {
        "kind": "policy",
        "title": "Ordenanza de gestión de riesgos",
        "policy-instrument": "ordinance",
        "policy-stage": "drafting",
        "policy-population_covered": "90000",
    }
    post(client, "2.1", policy)
    participation, adopted = Action.objects.get(kind="participation"), Action.objects.get(kind="policy")
    time_machine.shift(datetime.timedelta(hours=1))
    del mechanism["participation-sign_language"]
    changes = {"participation-mechanism": "open_council", "participation-easy_read": "on"}
    post(client, "1.3", {**mechanism, **changes}, action=participation)
    changes = {
        "policy-stage": "adopted",
        "policy-adopted_on": "2026-06-30",
        "policy-population_covered": "95000",
        "policy-disaster_risk_strategy": "on",
    }
    post(client, "2.1", {**policy, **changes}, action=adopted)

    assert ParticipationMechanism.objects.get().easy_read and PublicPolicy.objects.get().disaster_risk_strategy
    assert timeline_of(client, participation)[1:] == [
        (
            "Alicia",
            [
                "cambió el mecanismo de «Presupuesto participativo» a «Cabildo abierto»",
                "quitó la medida de accesibilidad «lengua de señas»",
                "añadió la medida de accesibilidad «lectura fácil»",
            ],
        )
    ]
    assert timeline_of(client, adopted)[1:] == [
        (
            "Alicia",
            [
                "cambió la etapa de «En elaboración» a «Adoptada»",
                "puso la fecha de adopción: «30/06/2026»",
                "cambió la población cubierta de «90\xa0000» a «95\xa0000»",
                "la marcó como «estrategia local de reducción del riesgo de desastres»",
            ],
        )
    ]


def test_every_field_a_person_edits_has_its_name_in_the_timeline():
    for model, names in ((Training, TRAINING_NAMES), (ParticipationMechanism, PARTICIPATION_NAMES)):
        edited = {field.name for field in model._meta.concrete_fields if field.editable} - {"action"}
        assert set(names) == edited, model
    edited = {field.name for field in PublicPolicy._meta.concrete_fields} - {"action"}
    assert set(POLICY_NAMES) == edited


def test_the_action_page_runs_the_same_few_queries_however_long_a_trainings_history(
    client_for, ambassador, coordinator, django_assert_max_num_queries, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client = client_for(ambassador)
    post(client, "1.2", training(title="Corta"))
    post(client, "1.2", training(title="Larga"))
    short, long = Action.objects.get(title="Corta"), Action.objects.get(title="Larga")
    for n in range(1, 7):
        time_machine.shift(datetime.timedelta(hours=1))
        modality = ("online", "hybrid")[n % 2]
        # Each round changes every saved session's hours and topic, and adds one.
        sessions = [(f"2026-10-{day:02}", str(n), f"Tema {n}") for day in range(1, n + 2)]
        edited = training(sessions, initial=2 if n == 1 else n, title="Larga", **{"training-modality": modality})
        post(client, "1.2", edited, action=long)
        time_machine.shift(datetime.timedelta(seconds=5))
        commitment_services.action_submit(action=long, by=ambassador)
        time_machine.shift(datetime.timedelta(hours=1))
        commitment_services.action_return(action=long, by=coordinator, comment=f"Ronda {n}")
    time_machine.shift(datetime.timedelta(hours=1))
    post(client, "1.2", {**ACTION, **LEAVE_KIND, "kind": "general", "title": "Larga"}, action=long)  # leaves the kind…
    time_machine.shift(datetime.timedelta(hours=1))
    post(client, "1.2", training(title="Larga"), action=long)  # …and takes it again

    reader = client_for(coordinator)
    with django_assert_max_num_queries(22) as short_page:
        reader.get(reverse("commitments:action", args=[short.pk]))
    with django_assert_max_num_queries(22) as long_page:
        response = reader.get(reverse("commitments:action", args=[long.pk]))
    timeline = response.context["timeline"]
    assert len(timeline) == 1 + 6 * 2 + 2
    assert sum(len(entry.changes) for entry in timeline) > 50
    assert len(long_page.captured_queries) == len(short_page.captured_queries)


def test_the_sessions_that_went_with_their_training_are_not_told_one_by_one(client_for, ambassador):
    """Deleting the training deletes its sessions by cascade, each audited at the moment it ran
    (not the save's): the training's removal tells them. The clock runs here."""
    client = client_for(ambassador)
    post(client, "1.2", training())
    action = Action.objects.get()
    post(client, "1.2", {**ACTION, **LEAVE_KIND, "kind": "general"}, action=action)
    assert TrainingSession.history.filter(history_type="-").count() == 2
    (who, changes), *_ = timeline_of(client, action)  # all within the minute: one entry
    assert who == "Alicia" and not [change for change in changes if "quitó la sesión" in change]
    assert changes[-2:] == ["cambió el tipo de acción de «Formación» a «General»", "quitó los datos de «Formación»"]
