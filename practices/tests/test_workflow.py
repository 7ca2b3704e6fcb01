"""Publishing a practice through its pages: written from the city's approved actions, saved as a
draft, sent for review, published or returned by a coordinator of its country, with history.
What reaches the form from elsewhere (another city's action or evidence) is refused at its field."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from ambassadors import services as people
from ambassadors.models import Ambassador
from ambassadors.tests.factories import UserFactory
from commitments.models import Action
from commitments.tests.factories import ActionFactory, EvidenceFactory
from commitments.tests.helpers import page_messages
from core.models import OutgoingEmail
from practices.models import Practice, PracticeStatusChange
from practices.tests.factories import PRACTICE_TEXT, PracticeFactory

CREATE = reverse("practices:create")


def edit_url(practice):
    return reverse("practices:edit", args=[practice.pk])


def review_url(practice):
    return reverse("practices:review", args=[practice.pk])


@pytest.fixture
def approved_action(ambassador):
    """An approved action of Lima, Alicia's city."""
    return ActionFactory(by=ambassador, status=Action.Status.APPROVED, title="Escuela de escucha")


@pytest.fixture
def rosario_action(other_ambassador):
    return ActionFactory(by=other_ambassador, status=Action.Status.APPROVED, title="Huertas de Rosario")


def form_data(actions, **fields):
    """What the practice form posts: the practice's text complete enough to be sent, the actions."""
    return {
        "title": "Escuela de Gobernanza Emocional",
        **PRACTICE_TEXT,
        "actions": [action.pk for action in actions],
        "save": "",
        **fields,
    }


def change_steps(practice):
    return list(practice.status_changes.values_list("from_status", "to_status", "by__username", "comment"))


@pytest.mark.django_db
def test_the_form_starts_from_the_action_it_is_opened_from(client_for, ambassador, approved_action):
    ActionFactory(by=ambassador, status="approved", title="Otra", started_on=datetime.date(2026, 1, 5))
    response = client_for(ambassador).get(f"{CREATE}?accion={approved_action.pk}")
    assert response.status_code == 200
    assert response.templates[0].name == "practices/practice_form.html"
    form = response.context["form"]
    assert form["actions"].value() == [approved_action.pk]
    assert (form["title"].value(), form["what_was_done"].value()) == ("Escuela de escucha", "Limpieza con 40 vecinos.")
    # The city's approved actions, newest first, with their date and commitment code.
    choices = [str(label) for _value, label in form.fields["actions"].choices]
    assert choices == ["Escuela de escucha · 05/10/2026 · 3.1", "Otra · 05/01/2026 · 3.1"]


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["draft", "other_city", "nonsense", "huge"])
def test_an_action_the_form_may_not_start_from_is_ignored(
    client_for, ambassador, other_ambassador, approved_action, which
):
    pk = {
        "draft": lambda: ActionFactory(by=ambassador).pk,
        "other_city": lambda: ActionFactory(by=other_ambassador, status="approved").pk,
        "nonsense": lambda: "x1",
        "huge": lambda: 10**30,
    }[which]()
    response = client_for(ambassador).get(f"{CREATE}?accion={pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["actions"].value(), form["title"].value()) == (None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "admin", "former", "paused", "nobody"])
def test_only_an_ambassador_in_office_opens_the_form(request, client_for, ambassador, who):
    if who == "former":
        user = ambassador
        people.ambassador_end(ambassador=Ambassador.objects.get(user=user), ended_on=datetime.date(2026, 1, 1))
    elif who == "paused":
        user = ambassador
        people.ambassador_set_paused(ambassador=Ambassador.objects.get(user=user), paused=True)
    elif who == "nobody":
        user = UserFactory()
    else:
        user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"title": "x"}).status_code == 403
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_a_draft_is_saved_with_a_title_and_an_action_and_its_history_starts(client_for, ambassador, approved_action):
    response = client_for(ambassador).post(
        f"{CREATE}?accion={approved_action.pk}",
        {
            "title": "Escuela de Gobernanza Emocional",
            "actions": [approved_action.pk],
            "goals": ["11", "16"],
            "save": "",
        },
        follow=True,
    )
    practice = Practice.objects.get()
    assert response.redirect_chain == [(reverse("practices:practice", args=[practice.pk]), 302)]
    assert page_messages(response) == ["Borrador guardado. Puede seguir escribiéndolo y enviarlo cuando esté listo."]
    assert (practice.status, practice.city.name, practice.author.user) == ("draft", "Lima", ambassador)
    assert list(practice.actions.all()) == [approved_action]
    assert list(practice.commitments.all()) == [approved_action.commitment]  # the action's own by default
    assert list(practice.goals.values_list("goal", flat=True)) == [11, 16]
    assert change_steps(practice) == [("", "draft", "alicia", "")]
    assert practice.history.count() == 1
    assert practice.history.get().history_user == ambassador


@pytest.mark.django_db
def test_sending_an_incomplete_practice_keeps_it_as_a_draft_and_shows_what_is_missing(
    client_for, ambassador, approved_action
):
    client = client_for(ambassador)
    response = client.post(CREATE, {"title": "Idea", "actions": [approved_action.pk], "submit": ""}, follow=True)
    practice = Practice.objects.get()
    assert response.redirect_chain == [(f"{edit_url(practice)}?enviar=1", 302)]
    assert practice.status == "draft"
    assert page_messages(response) == [
        "La práctica está guardada como borrador, pero faltan datos para enviarla a revisión."
    ]
    errors = response.context["form"].errors
    assert set(errors) == {"summary_es", "problem", "what_was_done", "results", "how_to_replicate"}
    assert escape("Cuente cómo otra ciudad puede replicarla.") in response.content.decode()
    assert response.context["form"]["title"].value() == "Idea"


@pytest.mark.django_db
def test_the_submit_button_of_the_practice_page_says_what_is_missing_too(client_for, ambassador, approved_action):
    practice = PracticeFactory(by=ambassador, actions=[approved_action], problem="")
    client = client_for(ambassador)
    url = reverse("practices:submit", args=[practice.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.url == f"{edit_url(practice)}?enviar=1"
    assert set(client.get(response.url).context["form"].errors) == {"problem"}
    practice.refresh_from_db()
    assert practice.status == "draft"


@pytest.mark.django_db
def test_the_whole_review_from_the_draft_to_the_library(client_for, ambassador, coordinator, approved_action):
    client = client_for(ambassador)
    client.post(CREATE, form_data([approved_action], title="Primera versión"), follow=True)
    practice = Practice.objects.get()
    response = client.post(edit_url(practice), form_data([approved_action], submit="", goals=["11"]), follow=True)
    assert page_messages(response) == [
        "Práctica enviada a revisión: un coordinador de su país la leerá antes de publicarla."
    ]
    practice.refresh_from_db()
    assert (practice.status, practice.title) == ("submitted", "Escuela de Gobernanza Emocional")
    assert practice.submitted_at is not None
    assert client.get(edit_url(practice)).status_code == 403  # no edits while waiting

    response = client_for(coordinator).post(review_url(practice), {"decision": "approve", "comment": ""}, follow=True)
    assert page_messages(response) == [
        "Práctica publicada: «Escuela de Gobernanza Emocional». Toda la red ya puede leerla."
    ]
    practice.refresh_from_db()
    assert practice.status == "published"
    assert practice.published_at is not None
    assert change_steps(practice) == [
        ("", "draft", "alicia", ""),
        ("draft", "submitted", "alicia", ""),
        ("submitted", "published", "carla", ""),
    ]
    change = practice.status_changes.get(to_status="published")
    email = OutgoingEmail.objects.get(key=f"practice-decision:{change.pk}")
    assert (email.recipient, email.to) == (ambassador, ambassador.email)
    # Each write of the practice is an entry of its history, by whoever made it.
    assert [entry.history_user.username for entry in practice.history.order_by("history_id")] == [
        "alicia",
        "alicia",
        "alicia",
        "carla",
    ]


@pytest.mark.django_db
def test_returning_a_practice_needs_a_comment_and_it_can_be_fixed_and_sent_again(
    client_for, ambassador, coordinator, approved_action
):
    practice = PracticeFactory(by=ambassador, actions=[approved_action], status="submitted")
    client = client_for(coordinator)
    response = client.post(review_url(practice), {"decision": "return", "comment": "  "})
    assert response.status_code == 200
    assert response.context["review_form"].errors["comment"] == [
        "Explique qué debe corregirse: el comentario es obligatorio."
    ]
    assert "Explique qué debe corregirse" in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == "submitted"

    client.post(review_url(practice), {"decision": "return", "comment": "Falta el costo."})
    practice.refresh_from_db()
    assert practice.status == "returned"
    change = practice.status_changes.get(to_status="returned")
    assert (change.by, change.comment) == (coordinator, "Falta el costo.")
    assert OutgoingEmail.objects.filter(key=f"practice-decision:{change.pk}", recipient=ambassador).exists()

    ambassador_client = client_for(ambassador)
    assert "Falta el costo." in ambassador_client.get(edit_url(practice)).content.decode()
    ambassador_client.post(
        edit_url(practice), form_data([approved_action], cost="1500.50", cost_currency="PEN", submit="")
    )
    practice.refresh_from_db()
    assert (practice.status, str(practice.cost), practice.cost_currency) == ("submitted", "1500.50", "PEN")


@pytest.mark.django_db
def test_a_coordinator_of_another_country_does_not_find_a_practice_waiting_for_review(
    client_for, ambassador, coordinator_elsewhere, approved_action
):
    practice = PracticeFactory(by=ambassador, actions=[approved_action], status="submitted")
    client = client_for(coordinator_elsewhere)
    assert client.post(review_url(practice), {"decision": "approve"}).status_code == 404
    assert client.get(edit_url(practice)).status_code == 404
    practice.refresh_from_db()
    assert practice.status == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ambassador", "coordinator_elsewhere"])
def test_who_may_read_a_practice_but_not_decide_on_it_is_refused(request, client_for, ambassador, approved_action, who):
    """Its own ambassador (a submitted practice) and, once published, a coordinator of another country."""
    status = "submitted" if who == "ambassador" else "published"
    practice = PracticeFactory(by=ambassador, actions=[approved_action], status=status)
    response = client_for(request.getfixturevalue(who)).post(
        review_url(practice), {"decision": "return", "comment": "x"}
    )
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.status == status


@pytest.mark.django_db
def test_a_coordinator_who_is_the_author_cannot_review_their_own_practice(client_for, peru, lima, approved_action):
    """An ambassador who also coordinates their country sees their practice but never decides on it."""
    author = approved_action.ambassador.user
    people.coordinator_set_scope(user=author, countries=[peru])
    practice = PracticeFactory(by=author, actions=[approved_action], status="submitted")
    assert client_for(author).post(review_url(practice), {"decision": "approve"}).status_code == 403


@pytest.mark.django_db
def test_a_second_approval_is_refused_cleanly(client_for, ambassador, coordinator, admin, approved_action):
    practice = PracticeFactory(by=ambassador, actions=[approved_action], status="submitted")
    client_for(coordinator).post(review_url(practice), {"decision": "approve"}, follow=True)
    response = client_for(admin).post(review_url(practice), {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    assert page_messages(response) == [
        "La práctica ya no está en un estado que permita este cambio. Recargue la página."
    ]
    assert practice.status_changes.filter(to_status="published").count() == 1
    assert OutgoingEmail.objects.filter(key__startswith="practice-decision:").count() == 1


@pytest.mark.django_db
def test_review_takes_only_posts_and_known_decisions(client_for, ambassador, coordinator, approved_action):
    practice = PracticeFactory(by=ambassador, actions=[approved_action], status="submitted")
    client = client_for(coordinator)
    assert client.get(review_url(practice)).status_code == 405
    response = client.post(review_url(practice), {"decision": "delete", "comment": "Borrar"})
    assert response.status_code == 200
    assert response.context["review_form"].errors["decision"]
    assert "Borrar" in response.content.decode()  # the comment is kept, as typed
    practice.refresh_from_db()
    assert practice.status == "submitted"


@pytest.mark.django_db
def test_the_edit_page_is_hidden_outside_the_city_and_closed_to_those_who_only_read(
    client_for, ambassador, other_ambassador, coordinator, approved_action
):
    practice = PracticeFactory(by=ambassador, actions=[approved_action])
    assert client_for(other_ambassador).get(edit_url(practice)).status_code == 404
    assert client_for(coordinator).get(edit_url(practice)).status_code == 403
    assert client_for(coordinator).post(edit_url(practice), form_data([approved_action])).status_code == 403
    assert client_for(ambassador).get(edit_url(practice)).status_code == 200


@pytest.mark.django_db
def test_a_successor_carries_on_their_predecessors_draft(client_for, ambassador, lima, approved_action):
    practice = PracticeFactory(by=ambassador, actions=[approved_action])
    people.ambassador_end(ambassador=Ambassador.objects.get(user=ambassador), ended_on=datetime.date(2026, 1, 1))
    successor = UserFactory(username="sofia")
    people.ambassador_appoint(city=lima, user=successor, appointed_on=datetime.date(2026, 1, 2))
    client_for(successor).post(edit_url(practice), form_data([approved_action], title="Segunda mano"))
    practice.refresh_from_db()
    assert practice.title == "Segunda mano"


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["other_city", "not_approved"])
def test_an_action_that_is_not_an_approved_one_of_the_city_is_refused_at_its_field(
    client_for, ambassador, approved_action, rosario_action, which
):
    foreign = rosario_action if which == "other_city" else ActionFactory(by=ambassador, status="submitted")
    response = client_for(ambassador).post(CREATE, form_data([approved_action, foreign]))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["actions"]
    assert form["problem"].value() == PRACTICE_TEXT["problem"]
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_evidence_of_another_city_is_refused_at_its_field(client_for, ambassador, approved_action, rosario_action):
    theirs = EvidenceFactory(action=rosario_action)
    response = client_for(ambassador).post(CREATE, form_data([approved_action], evidence=[theirs.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["evidence"]
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_what_the_service_refuses_shows_at_the_field_and_nothing_is_saved(client_for, ambassador, approved_action):
    """Evidence of an approved action of the city that the practice does not come from."""
    other = ActionFactory(by=ambassador, status="approved", title="Otra acción")
    evidence = EvidenceFactory(action=other, title="Acta de otra acción")
    response = client_for(ambassador).post(CREATE, form_data([approved_action], evidence=[evidence.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"evidence": ["Solo puede compartir evidencias de las acciones elegidas."]}
    assert form["evidence"].value() == [str(evidence.pk)]
    assert not Practice.objects.exists()
    labels = [str(label) for _value, label in form.fields["evidence"].choices]
    assert "Acta de otra acción (de «Otra acción»)" in labels


@pytest.mark.django_db
def test_the_shared_evidence_and_focus_areas_are_saved(client_for, ambassador, approved_action):
    evidence = EvidenceFactory(action=approved_action)
    area = approved_action.focus_areas.get()
    client_for(ambassador).post(
        CREATE, form_data([approved_action], evidence=[evidence.pk], focus_areas=[area.pk], contact_consent="on")
    )
    practice = Practice.objects.get()
    assert (list(practice.evidence.all()), list(practice.focus_areas.all())) == ([evidence], [area])
    assert practice.contact == ambassador


@pytest.mark.django_db
def test_a_focus_area_of_a_commitment_the_practice_does_not_take_is_refused(client_for, ambassador, approved_action):
    other = ActionFactory(by=ambassador, status="approved", commitment="2.1")
    area = other.commitment.focus_areas.first()
    response = client_for(ambassador).post(CREATE, form_data([approved_action], focus_areas=[area.pk]))
    assert response.context["form"].errors == {
        "focus_areas": ["Cada área de enfoque debe ser de uno de los compromisos elegidos."]
    }
    assert not Practice.objects.exists()


HUGE = "x" * 10_001
ONE_LINE = "Escriba este texto en una sola línea, sin saltos de línea."


def control(code):
    return f"El texto tiene un carácter de control invisible ({code}) que no se admite: bórrelo."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": "t" * 201}, {"title": ["Asegúrese de que este valor tenga menos de 200 caracteres (tiene 201)."]}),
        (
            {"summary_es": "s" * 1501},
            {"summary_es": ["Asegúrese de que este valor tenga menos de 1500 caracteres (tiene 1501)."]},
        ),
        (
            {"lessons": HUGE},
            {"lessons": ["Asegúrese de que este valor tenga menos de 10000 caracteres (tiene 10001)."]},
        ),
        ({"title": "Escuela\nde escucha"}, {"title": [ONE_LINE]}),
        (
            {"problem": "Quejas\x0bde la gente", "partners": "Uni\x1b"},
            {"problem": [control("U+000B")], "partners": [control("U+001B")]},
        ),
        ({"cost": "-1", "cost_currency": "PEN"}, {"cost": ["El costo no puede ser negativo."]}),
        ({"cost": "1500"}, {"cost_currency": ["Indique la moneda del costo."]}),
        ({"cost": "mucho", "cost_currency": "PEN"}, {"cost": ["Introduzca un número."]}),
        (
            {"cost": "1234567890123.45", "cost_currency": "PEN"},
            {"cost": ["Asegúrese de que no haya más de 14 dígitos en total."]},
        ),
        (
            {"cost_currency": "XXX"},
            {"cost_currency": ["Escoja una opción válida. XXX no es una de las opciones disponibles."]},
        ),
        ({"goals": ["18"]}, {"goals": ["Escoja una opción válida. 18 no es una de las opciones disponibles."]}),
    ],
)
def test_hostile_input_is_refused_at_its_field_keeping_what_was_typed(
    client_for, ambassador, approved_action, fields, errors
):
    response = client_for(ambassador).post(CREATE, form_data([approved_action], **fields))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == errors
    assert not Practice.objects.exists()
    page = response.content.decode()
    for messages in errors.values():
        assert escape(messages[0]) in page
    assert escape(PRACTICE_TEXT["how_to_replicate"]) in page


@pytest.mark.django_db
def test_the_form_page_runs_the_same_queries_however_many_actions_and_evidence(
    client_for, ambassador, approved_action, django_assert_max_num_queries
):
    client = client_for(ambassador)
    with django_assert_max_num_queries(20) as few:
        client.get(CREATE)
    for n in range(4):
        action = ActionFactory(by=ambassador, status="approved", title=f"Acción {n}", commitment="2.1")
        EvidenceFactory(action=action)
        EvidenceFactory(action=action, url=f"https://example.org/{n}", title="")
    with django_assert_max_num_queries(20) as many:
        response = client.get(CREATE)
    assert len(response.context["form"].fields["evidence"].choices) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_an_approved_action_offers_its_ambassador_to_publish_it(
    client_for, ambassador, coordinator, other_ambassador, approved_action
):
    link = f"{CREATE}?accion={approved_action.pk}"
    page = client_for(ambassador).get(reverse("commitments:action", args=[approved_action.pk])).content.decode()
    assert "Publicar como buena práctica" in page
    assert escape(link) in page
    page = client_for(coordinator).get(reverse("commitments:action", args=[approved_action.pk])).content.decode()
    assert "Publicar como buena práctica" not in page
    draft = ActionFactory(by=ambassador)
    page = client_for(ambassador).get(reverse("commitments:action", args=[draft.pk])).content.decode()
    assert "Publicar como buena práctica" not in page
    people.ambassador_set_paused(ambassador=Ambassador.objects.get(user=ambassador), paused=True)
    page = client_for(ambassador).get(reverse("commitments:action", args=[approved_action.pk])).content.decode()
    assert "Publicar como buena práctica" not in page


@pytest.mark.django_db
def test_status_changes_are_kept_for_each_step(ambassador, coordinator, approved_action):
    practice = PracticeFactory(by=ambassador, actions=[approved_action], status="returned", reviewer=coordinator)
    assert PracticeStatusChange.objects.filter(practice=practice).count() == 3


@pytest.mark.django_db
def test_the_error_summary_links_to_each_field_in_error(client_for, ambassador, approved_action):
    """On a phone the fields in error sit far below the summary: each is a link to its field."""
    response = client_for(ambassador).post(CREATE, form_data([], title=""))
    page = response.content.decode()
    anchors = re.findall(r'href="#(div_id_[a-z_]+)"', page)
    assert {"div_id_title", "div_id_actions"} <= set(anchors)
    assert all(f'id="{anchor}"' in page for anchor in anchors)
