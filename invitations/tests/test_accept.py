"""Following the link: the account, the appointment, the groups, the login, the history, the signal."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from ambassadors.models import AMBASSADORS_GROUP, COORDINATORS_GROUP, Ambassador, Coordinator
from ambassadors.tests.factories import UserFactory
from conftest import PASSWORD
from core.models import OutgoingEmail
from invitations import services
from invitations.models import Invitation
from invitations.signals import appointment_started
from invitations.tests.conftest import link_path

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "Nora",
    "last_name": "Nueva",
    "password1": "una-clave-larga-2026",
    "password2": "una-clave-larga-2026",
}


@pytest.fixture
def started():
    """The appointment_started signals sent during the test."""
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    appointment_started.connect(receiver)
    yield received
    appointment_started.disconnect(receiver)


def test_the_page_says_who_invited_whom_to_what(client, callao_invitation):
    page = client.get(link_path(callao_invitation)).content.decode()
    assert "Hola, Nora Nueva" in page
    assert "Carla le invita a ser embajadora o embajador de la OMCS en Callao (Perú)" in page


def test_accepting_creates_the_account_the_appointment_and_the_groups_and_logs_in(
    client, callao_invitation, callao, django_capture_on_commit_callbacks, started
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_path(callao_invitation), NEW_PERSON)

    assert response.status_code == 302
    assert response["Location"] == reverse("ambassadors:landing")
    nora = get_user_model().objects.get(email="nueva@example.org")
    assert (nora.username, nora.first_name, nora.last_name) == ("nueva@example.org", "Nora", "Nueva")
    assert nora.check_password("una-clave-larga-2026")
    appointment = Ambassador.objects.current().get(user=nora)
    assert appointment.city == callao
    assert list(nora.groups.values_list("name", flat=True)) == [AMBASSADORS_GROUP]
    assert client.session["_auth_user_id"] == str(nora.pk)
    callao_invitation.refresh_from_db()
    assert callao_invitation.state == Invitation.State.ACCEPTED
    assert callao_invitation.user == nora
    assert callao_invitation.nonce == ""
    history = list(callao_invitation.history.order_by("history_id"))
    assert [entry.history_type for entry in history] == ["+", "~"]
    assert history[-1].accepted_at is not None
    assert history[-1].history_user == nora
    assert started == [
        {"signal": appointment_started, "invitation": callao_invitation, "ambassador": appointment, "outgoing": None}
    ]


def test_a_weak_password_is_refused_and_nothing_is_made(client, callao_invitation):
    response = client.post(link_path(callao_invitation), {**NEW_PERSON, "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="nueva@example.org").exists()
    callao_invitation.refresh_from_db()
    assert callao_invitation.state == Invitation.State.PENDING


def test_two_acceptances_of_one_link_make_one_appointment(callao_invitation, callao):
    callao_invitation.refresh_from_db()
    nonce = callao_invitation.nonce
    services.invitation_accept(invitation=callao_invitation, nonce=nonce, first_name="Nora", password="x-2026-larga")
    with pytest.raises(services.InvitationUnusable) as second:
        services.invitation_accept(
            invitation=callao_invitation, nonce=nonce, first_name="Otra", password="x-2026-larga"
        )
    assert second.value.problem == "used"
    assert Ambassador.objects.filter(city=callao).count() == 1
    assert get_user_model().objects.filter(email="nueva@example.org").count() == 1


def test_a_person_with_an_account_logs_in_to_accept_it(client, invite, coordinator, callao):
    existing = UserFactory(username="nora", email="nueva@example.org", password=PASSWORD)
    invitation = invite(coordinator, city=callao)
    path = link_path(invitation)

    page = client.get(path).content.decode()
    assert "Ya existe una cuenta con el correo nueva@example.org" in page
    client.post(path, NEW_PERSON)  # no password is set through the link
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert not Ambassador.objects.filter(user=existing).exists()

    client.force_login(existing)
    response = client.post(path)
    assert response.status_code == 302
    assert Ambassador.objects.current().get(user=existing).city == callao
    assert get_user_model().objects.filter(email="nueva@example.org").count() == 1


def test_someone_logged_in_as_another_person_cannot_accept(client, callao_invitation, ambassador):
    client.force_login(ambassador)
    response = client.post(link_path(callao_invitation), NEW_PERSON)
    assert response.status_code == 200
    assert "esta invitación es para nueva@example.org" in response.content.decode()
    callao_invitation.refresh_from_db()
    assert callao_invitation.state == Invitation.State.PENDING


def test_a_successor_ends_the_outgoing_appointment_and_the_signal_names_both(
    client, invite, coordinator, ambassador, lima, django_capture_on_commit_callbacks, started
):
    outgoing = Ambassador.objects.current().get(user=ambassador)
    invitation = invite(coordinator, city=lima, succeeds=outgoing, term_ends_on=datetime.date(2030, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link_path(invitation), NEW_PERSON).status_code == 302

    outgoing.refresh_from_db()
    assert outgoing.status == Ambassador.Status.ENDED
    new = Ambassador.objects.current().get(city=lima)
    assert new.user.email == "nueva@example.org"
    assert new.term_ends_on == datetime.date(2030, 12, 31)
    assert not ambassador.groups.filter(name=AMBASSADORS_GROUP).exists()
    assert started[0]["ambassador"] == new
    assert started[0]["outgoing"] == outgoing


def test_a_coordinators_invitation_makes_a_coordinator_of_those_countries(client, invite, admin, peru, mexico):
    invitation = invite(admin, role=Invitation.Role.COORDINATOR, countries=[peru, mexico])
    assert client.post(link_path(invitation), NEW_PERSON).status_code == 302
    coordinator = Coordinator.objects.get(user__email="nueva@example.org")
    assert set(coordinator.countries.values_list("code", flat=True)) == {"PE", "MX"}
    assert coordinator.user.groups.filter(name=COORDINATORS_GROUP).exists()


def test_the_email_goes_through_the_task_and_carries_the_link(invite, coordinator, callao):
    mail.outbox.clear()
    invitation = invite(coordinator, city=callao)
    (message,) = mail.outbox
    assert message.to == ["nueva@example.org"]
    assert message.subject == "Invitación: embajada de la OMCS en Callao"
    assert "http://127.0.0.1:8000" + link_path(invitation) in message.body
    assert "Carla le invita a ser embajadora o embajador" in message.body
    sent = OutgoingEmail.objects.get(key=f"invitation:{invitation.pk}:{invitation.nonce}")
    assert (sent.state, sent.language, sent.recipient) == ("sent", "es", None)


def test_the_email_is_written_in_the_language_the_inviter_chose(invite, coordinator, callao):
    invitation = invite(coordinator, city=callao, language="pt-br")
    assert OutgoingEmail.objects.get(key=f"invitation:{invitation.pk}:{invitation.nonce}").language == "pt-br"


def test_sending_again_sends_a_second_email_with_the_new_link(
    invite, coordinator, callao, django_capture_on_commit_callbacks
):
    invitation = invite(coordinator, city=callao)
    first = link_path(invitation)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, by=coordinator)
    (message,) = mail.outbox
    assert link_path(invitation) in message.body
    assert first not in message.body
