"""The invitations' pages: who reaches them, what each may invite, the list's queries."""

import pytest
from django.core import mail
from django.urls import reverse

from ambassadors.tests.factories import CityFactory
from invitations.models import Invitation

pytestmark = pytest.mark.django_db

LIST, CREATE = "/invitaciones/", "/invitaciones/nueva/"


def _form(city, **changes):
    return {
        "full_name": "Nora Nueva",
        "email": "nueva@example.org",
        "language": "es",
        "role": "ambassador",
        "city": city.pk if city else "",
        **changes,
    }


@pytest.mark.parametrize("url", [LIST, CREATE])
def test_an_ambassador_cannot_reach_the_pages(client_for, ambassador, url):
    assert client_for(ambassador).get(url).status_code == 403
    assert client_for(ambassador).post(url, {}).status_code in (403, 405)


def test_an_ambassador_cannot_resend_nor_revoke(client_for, ambassador, callao_invitation):
    client = client_for(ambassador)
    for name in ("invitations:resend", "invitations:revoke"):
        assert client.post(reverse(name, args=[callao_invitation.pk])).status_code == 403
    callao_invitation.refresh_from_db()
    assert (callao_invitation.times_sent, callao_invitation.state) == (1, "pending")


def test_the_menu_shows_invitations_to_coordinators_and_admins_only(client_for, coordinator, ambassador):
    assert f'href="{LIST}"' in client_for(coordinator).get(LIST).content.decode()
    assert f'href="{LIST}"' not in client_for(ambassador).get("/acciones/").content.decode()


def test_a_coordinator_invites_an_ambassador_for_a_city_of_their_countries(
    client_for, coordinator, callao, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(CREATE, _form(callao))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.city, invitation.invited_by, invitation.state) == (callao, coordinator, "pending")
    assert len(mail.outbox) == 1


def test_a_coordinator_cannot_invite_outside_their_countries(client_for, coordinator, rosario):
    response = client_for(coordinator).post(CREATE, _form(rosario))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Elija una ciudad de los países que usted coordina." in page
    assert 'value="Nora Nueva"' in page  # what was typed stays
    assert not Invitation.objects.exists()


def test_a_coordinator_cannot_invite_a_coordinator(client_for, coordinator, peru):
    response = client_for(coordinator).post(CREATE, _form(None, role="coordinator", countries=[peru.pk]))
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_the_service_refuses_a_coordinator_inviting_a_coordinator(coordinator, peru):
    from django.core.exceptions import ValidationError

    from invitations import services

    with pytest.raises(ValidationError) as refused:
        services.invitation_create(
            by=coordinator, email="x@example.org", full_name="X", role="coordinator", countries=[peru]
        )
    assert "Solo un administrador puede invitar a coordinadores." in refused.value.messages


def test_an_admin_invites_a_coordinator(client_for, admin, peru, mexico):
    response = client_for(admin).post(CREATE, _form(None, role="coordinator", countries=[peru.pk, mexico.pk]))
    assert response.status_code == 302
    assert set(Invitation.objects.get().countries.values_list("code", flat=True)) == {"PE", "MX"}


def test_a_city_with_an_ambassador_needs_the_successor_box(client_for, coordinator, lima, ambassador):
    client = client_for(coordinator)
    refused = client.post(CREATE, _form(lima))
    assert "ya tiene embajador en funciones" in refused.content.decode()
    assert client.post(CREATE, _form(lima, succeeds_current="on")).status_code == 302
    assert Invitation.objects.get().succeeds.user == ambassador


def test_an_email_that_holds_a_post_is_refused(client_for, coordinator, callao, ambassador):
    response = client_for(coordinator).post(CREATE, _form(callao, email=ambassador.email))
    assert "Esa persona ya es embajadora de Lima" in response.content.decode()


def test_an_email_with_a_pending_invitation_is_refused(client_for, coordinator, callao_invitation, peru):
    other = CityFactory(country=peru, name="Cusco")
    response = client_for(coordinator).post(CREATE, _form(other))
    assert "Ya hay una invitación pendiente para este correo" in response.content.decode()


def test_a_coordinator_sees_the_invitations_of_their_scope_only(
    client_for, coordinator, coordinator_elsewhere, callao_invitation, invite, admin, mexico
):
    mexican = invite(admin, email="otra@example.org", city=CityFactory(country=mexico, name="Puebla"))
    page = client_for(coordinator).get(LIST).content.decode()
    assert "nueva@example.org" in page and "otra@example.org" not in page
    page = client_for(coordinator_elsewhere).get(LIST).content.decode()
    assert "otra@example.org" in page and "nueva@example.org" not in page
    assert (
        client_for(coordinator_elsewhere).post(reverse("invitations:revoke", args=[callao_invitation.pk])).status_code
        == 404
    )
    assert mexican.state == "pending"


def test_resend_and_revoke_from_the_list(
    client_for, coordinator, callao_invitation, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("invitations:resend", args=[callao_invitation.pk])).status_code == 302
    assert len(mail.outbox) == 1
    assert client.post(reverse("invitations:revoke", args=[callao_invitation.pk])).status_code == 302
    callao_invitation.refresh_from_db()
    assert (callao_invitation.times_sent, callao_invitation.state) == (2, "revoked")
    assert callao_invitation.revoked_by == coordinator
    entry = callao_invitation.history.latest("history_id")
    assert entry.revoked_at is not None and entry.history_user == coordinator
    assert client.post(reverse("invitations:resend", args=[callao_invitation.pk])).status_code == 302
    callao_invitation.refresh_from_db()
    assert callao_invitation.times_sent == 2  # a revoked invitation is not sent again


def test_the_list_costs_the_same_queries_with_more_rows(
    client_for, admin, invite, peru, mexico, django_assert_max_num_queries
):
    client = client_for(admin)
    invite(admin, email="a@example.org", city=CityFactory(country=peru))
    invite(admin, email="b@example.org", role="coordinator", countries=[peru])
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for number in range(8):
        invite(admin, email=f"c{number}@example.org", city=CityFactory(country=mexico))
        invite(admin, email=f"d{number}@example.org", role="coordinator", countries=[peru, mexico])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.content.decode().count("<tr>") == 1 + 18
