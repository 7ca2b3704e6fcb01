"""Coordinators review the submitted actions of their scope: approve, return with a comment,
approve several at once; the ambassador is told in the app and by email after commit."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from commitments import services
from commitments.models import Action, Notification
from commitments.tests.factories import ActionFactory
from core.models import OutgoingEmail
from core.preferences import email_preferences_save
from core.tasks import send_email


@pytest.fixture
def rosario_submitted(other_ambassador):
    action = ActionFactory(by=other_ambassador, title="Huerta comunitaria en Rosario")
    return services.action_submit(action=action, by=other_ambassador)


def submit_many(ambassador, titles):
    return [services.action_submit(action=ActionFactory(by=ambassador, title=title), by=ambassador) for title in titles]


@pytest.mark.django_db
def test_the_queue_holds_the_scopes_submitted_actions_oldest_first(
    client_for, ambassador, coordinator, rosario_submitted
):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        older = submit_many(ambassador, ["Primera enviada"])[0]
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)):
        newer = submit_many(ambassador, ["Segunda enviada"])[0]
    ActionFactory(by=ambassador, title="Borrador sin enviar")
    response = client_for(coordinator).get(reverse("commitments:review_queue"))
    queue = list(response.context["page"].object_list)
    assert queue == [older, newer]  # Rosario is out of Carla's scope; drafts are not in the queue
    page = response.content.decode()
    assert "Huerta comunitaria en Rosario" not in page and "Borrador sin enviar" not in page


@pytest.mark.django_db
def test_the_queue_filters_by_country_city_axis_and_commitment(
    client_for, admin, ambassador, rosario_submitted, lima, commitment
):
    submit_many(ambassador, ["Acción de Lima"])
    client = client_for(admin)
    by_country = client.get(reverse("commitments:review_queue"), {"country": "AR"}).context["page"].object_list
    assert [action.title for action in by_country] == ["Huerta comunitaria en Rosario"]
    by_city = client.get(reverse("commitments:review_queue"), {"city": lima.pk}).context["page"].object_list
    assert [action.title for action in by_city] == ["Acción de Lima"]
    by_axis = client.get(reverse("commitments:review_queue"), {"axis": 1}).context["page"].object_list
    assert list(by_axis) == []  # both are 3.1, axis 3
    by_commitment = client.get(reverse("commitments:review_queue"), {"commitment": commitment.pk})
    assert len(by_commitment.context["page"].object_list) == 2


@pytest.mark.django_db
def test_the_review_badge_counts_what_waits_in_scope_and_past_its_cap_says_more(
    client_for, coordinator, ambassador, rosario_submitted, monkeypatch
):
    from commitments import context_processors

    monkeypatch.setattr(context_processors, "WAITING_COUNTED", 3)
    client = client_for(coordinator)

    def badge():
        page = client.get(reverse("commitments:actions")).content.decode()
        start = page.index(f'href="{reverse("commitments:review_queue")}"')
        return page[start : page.index("</a>", start)]

    assert "badge" not in badge()  # Rosario's is in another country
    ActionFactory.create_batch(2, by=ambassador, status="submitted")
    assert '<span class="badge text-bg-warning">2<span class="visually-hidden"> por revisar' in badge()
    ActionFactory(by=ambassador, status="submitted")
    assert '<span class="badge text-bg-warning">2+<span class="visually-hidden"> por revisar' in badge()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ambassador", "other_ambassador"])
def test_ambassadors_have_no_review_queue(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("commitments:review_queue")).status_code == 403


@pytest.mark.django_db
def test_a_coordinator_cannot_review_another_countrys_action(client_for, coordinator, rosario_submitted):
    response = client_for(coordinator).post(
        reverse("commitments:action_review", args=[rosario_submitted.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    rosario_submitted.refresh_from_db()
    assert rosario_submitted.status == Action.Status.SUBMITTED


@pytest.mark.django_db
def test_an_ambassador_cannot_approve_their_own_action(client_for, ambassador, submitted_action):
    response = client_for(ambassador).post(
        reverse("commitments:action_review", args=[submitted_action.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert Action.objects.get(pk=submitted_action.pk).status == Action.Status.SUBMITTED


@pytest.mark.django_db
def test_returning_without_a_comment_is_refused_and_keeps_the_page(client_for, coordinator, submitted_action):
    response = client_for(coordinator).post(
        reverse("commitments:action_review", args=[submitted_action.pk]), {"decision": "return", "comment": "   "}
    )
    assert response.status_code == 200
    assert "el comentario es obligatorio" in response.content.decode()
    assert Action.objects.get(pk=submitted_action.pk).status == Action.Status.SUBMITTED
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_returning_with_a_comment_tells_the_ambassador_in_the_app_and_by_email(
    client_for, ambassador, coordinator, submitted_action, django_capture_on_commit_callbacks
):
    ambassador.email = "alicia@example.org"
    ambassador.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("commitments:action_review", args=[submitted_action.pk]),
            {"decision": "return", "comment": "Falta la lista de asistentes."},
        )
    assert response.status_code == 302
    assert Action.objects.get(pk=submitted_action.pk).status == Action.Status.RETURNED
    [email] = mail.outbox
    assert email.to == ["alicia@example.org"]
    assert "Falta la lista de asistentes." in email.body
    assert f"/acciones/{submitted_action.pk}/" in email.body
    notification = Notification.objects.select_related("mail").get()
    assert notification.recipient == ambassador
    assert (notification.mail.key, notification.mail.state) == (f"decision:{notification.pk}", "sent")

    client = client_for(ambassador)
    home = client.get(reverse("commitments:actions")).content.decode()
    assert "sin leer" in home  # the navigation's badge
    page = client.get(reverse("commitments:action", args=[submitted_action.pk])).content.decode()
    assert page.index("Falta la lista de asistentes.") < page.index("Qué se hizo")  # the comment comes first
    assert Notification.objects.unread().count() == 0  # opening the action read it


@pytest.mark.django_db
def test_the_email_leaves_only_after_the_decision_is_committed(
    ambassador, coordinator, submitted_action, django_capture_on_commit_callbacks
):
    ambassador.email = "alicia@example.org"
    ambassador.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.action_approve(action=submitted_action, by=coordinator)
    assert mail.outbox == []  # not yet: the transaction could still roll back
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and "aprobada" in mail.outbox[0].subject.lower()
    # A second copy of the task (a redelivered message, the sweep's) sends nothing more.
    assert send_email(Notification.objects.get().mail_id) == "not claimed"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_decision_email_is_written_in_the_language_the_ambassador_chose(
    ambassador, coordinator, submitted_action, django_capture_on_commit_callbacks
):
    email_preferences_save(user=ambassador, values={"language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        services.action_approve(action=submitted_action, by=coordinator, comment="Muy bien documentada.")
    [approved] = mail.outbox
    assert approved.subject == f"Action approved: {submitted_action.title}"
    assert f"approved your action “{submitted_action.title}”. It now counts towards" in approved.body
    assert "Comment: Muy bien documentada." in approved.body
    assert "Hola" not in approved.body and "aprobó" not in approved.body

    email_preferences_save(user=ambassador, values={"language": "pt-br"})
    action = services.action_submit(action=ActionFactory(by=ambassador, title="Feira de trocas"), by=ambassador)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_return(action=action, by=coordinator, comment="Faltam as fotos.")
    returned = mail.outbox[1]
    assert returned.subject == "Ação devolvida com comentários: Feira de trocas"
    assert "Corrija-a e envie-a novamente para revisão quando estiver pronta." in returned.body
    assert OutgoingEmail.objects.get(key=f"decision:{action.status_changes.last().notification.pk}").language == "pt-br"


@pytest.mark.django_db
def test_bulk_approve_approves_exactly_the_selected_actions_in_scope(
    client_for, ambassador, coordinator, rosario_submitted
):
    first, second, _third = submit_many(ambassador, ["Uno", "Dos", "Tres"])
    response = client_for(coordinator).post(
        reverse("commitments:review_queue"), {"actions": [first.pk, second.pk, rosario_submitted.pk]}, follow=True
    )
    statuses = dict(Action.objects.values_list("title", "status"))
    assert statuses == {
        "Uno": "approved",
        "Dos": "approved",
        "Tres": "submitted",  # not selected
        "Huerta comunitaria en Rosario": "submitted",  # selected, but out of scope
    }
    page = response.content.decode()
    assert "Acciones aprobadas: 2." in page and "1 acciones no se aprobaron" in page


@pytest.mark.django_db
def test_only_approved_actions_count_on_the_city_dashboard(client_for, ambassador, coordinator, lima):
    action = submit_many(ambassador, ["Una acción"])[0]
    client = client_for(coordinator)

    def approved_count():
        response = client.get(reverse("reports:city_progress", args=[lima.pk]))
        return sum(axis.approved_count for axis in response.context["axes"])

    assert approved_count() == 0
    services.action_approve(action=action, by=coordinator)
    assert approved_count() == 1


@pytest.mark.django_db
def test_each_decision_keeps_how_long_the_action_waited(ambassador, coordinator):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        action = services.action_submit(action=ActionFactory(by=ambassador), by=ambassador)
    with time_machine.travel(datetime.datetime(2026, 11, 5, 15, 0, tzinfo=datetime.UTC), tick=False):
        services.action_return(action=action, by=coordinator, comment="Añada fotos.")
    decision = action.status_changes.get(to_status="returned")
    assert decision.review_time == datetime.timedelta(days=3, hours=6)


@pytest.mark.django_db
def test_a_reviewer_who_decides_second_is_told_someone_decided_first(client_for, coordinator, admin, submitted_action):
    services.action_approve(action=submitted_action, by=admin)
    response = client_for(coordinator).post(
        reverse("commitments:action_review", args=[submitted_action.pk]),
        {"decision": "return", "comment": "Falta la lista de asistentes."},
    )
    assert response.status_code == 200
    assert "ya no está en un estado que permita este cambio" in response.content.decode()
    assert Action.objects.get(pk=submitted_action.pk).status == Action.Status.APPROVED
