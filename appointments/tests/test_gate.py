"""Nothing of the site opens for a current ambassador before the commitments are accepted, and
everything opens after; the gate costs one query, shared with roles_of."""

import pytest
from django.urls import reverse

from ambassadors.scope import roles_of
from appointments import services
from appointments.models import Acceptance, AppointmentLetter
from commitments.models import Action, Commitment
from conftest import session_queries

pytestmark = pytest.mark.acceptance_pending

ACCEPT = reverse("appointments:accept")


def closed_pages(lima):
    commitment = Commitment.objects.order_by("pk").first()
    return [
        reverse("ambassadors:landing"),
        reverse("reports:city_progress", args=[lima.pk]),
        reverse("commitments:actions"),
        reverse("commitments:action_choose"),
        reverse("commitments:action_create", args=[commitment.pk]),
        reverse("ambassadors:cities"),
        reverse("appointments:letter"),
    ]


def test_a_new_ambassador_has_not_accepted_and_has_no_letter(ambassador):
    assert services.has_accepted(ambassador) is False
    assert not AppointmentLetter.objects.filter(appointment__user=ambassador).exists()


def test_every_page_sends_the_ambassador_to_the_acceptance_first_and_back_after(client_for, ambassador, lima):
    client = client_for(ambassador)
    for url in closed_pages(lima):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{ACCEPT}?next={url.replace('/', '%2F')}", url


def test_a_form_post_before_acceptance_changes_nothing(client_for, ambassador):
    commitment = Commitment.objects.order_by("pk").first()
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]), {"title": "Antes de aceptar"}
    )
    assert response.status_code == 302
    assert response["Location"] == ACCEPT
    assert not Action.objects.filter(title="Antes de aceptar").exists()


def test_the_api_answers_403_with_a_message_before_acceptance(client_for, ambassador):
    response = client_for(ambassador).get(reverse("api:action-list"), HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert "compromisos" in response.json()["detail"]


def test_a_json_request_to_a_page_answers_403_not_a_redirect(client_for, ambassador, lima):
    response = client_for(ambassador).get(
        reverse("reports:city_progress", args=[lima.pk]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name",
    ["home", "healthz", "public:network", "appointments:accept", "appointments:verify_form", "password_change"],
)
def test_what_anyone_may_open_stays_open(client_for, ambassador, name):
    assert client_for(ambassador).get(reverse(name)).status_code == 200


def test_logout_and_the_language_switch_stay_open(client_for, ambassador):
    client = client_for(ambassador)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_page_shows_the_commitments_word_for_word_in_the_persons_language(client_for, ambassador):
    client = client_for(ambassador)
    commitment = Commitment.objects.get(axis__number=3, number=1)
    spanish = client.get(ACCEPT).content.decode()
    assert commitment.text_es in spanish
    assert commitment.axis.name_es in spanish
    english = client.get(ACCEPT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert commitment.text_en in english
    assert commitment.text_es not in english


def test_accepting_records_who_what_version_language_and_when_issues_the_letter_and_goes_on(
    client_for, ambassador, lima
):
    client = client_for(ambassador)
    page = client.get(ACCEPT, {"next": reverse("commitments:actions")})
    form = page.context["form"]
    response = client.post(ACCEPT, {"accept": "on", "version": form["version"].value(), "next": form["next"].value()})
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:actions")
    acceptance = Acceptance.objects.get(appointment__user=ambassador)
    assert acceptance.accepted_by == ambassador
    assert acceptance.language == "es"
    assert acceptance.source == Acceptance.Source.SITE
    assert acceptance.version == services.wording_for_acceptance(language="es")[1]
    assert acceptance.wording["axes"][2]["commitments"][0]["code"] == "3.1"
    assert AppointmentLetter.objects.get(appointment__user=ambassador).acceptance == acceptance
    for url in closed_pages(lima):
        assert client.get(url).status_code in (200, 302), url
        assert not client.get(url).get("Location", "").startswith(ACCEPT), url


def test_accepting_in_english_records_the_english_wording(client_for, ambassador):
    client = client_for(ambassador)
    page = client.get(ACCEPT, HTTP_ACCEPT_LANGUAGE="en")
    client.post(ACCEPT, {"accept": "on", "version": page.context["form"]["version"].value()}, HTTP_ACCEPT_LANGUAGE="en")
    acceptance = Acceptance.objects.get(appointment__user=ambassador)
    assert acceptance.language == "en"
    assert "Integrated water" in acceptance.wording["axes"][2]["commitments"][0]["text"]
    assert client.get(reverse("commitments:actions")).status_code == 200


def test_without_the_box_ticked_nothing_is_recorded(client_for, ambassador):
    client = client_for(ambassador)
    version = client.get(ACCEPT).context["form"]["version"].value()
    response = client.post(ACCEPT, {"version": version})
    assert response.status_code == 200
    assert "Marque la casilla" in response.content.decode()
    assert not Acceptance.objects.filter(appointment__user=ambassador).exists()


def test_a_version_changed_while_reading_is_not_accepted(client_for, ambassador):
    client = client_for(ambassador)
    response = client.post(ACCEPT, {"accept": "on", "version": "0" * 64})
    assert response.status_code == 302
    assert response["Location"].startswith(ACCEPT)
    assert not Acceptance.objects.filter(appointment__user=ambassador).exists()


def test_next_elsewhere_is_not_followed(client_for, ambassador):
    client = client_for(ambassador)
    version = client.get(ACCEPT).context["form"]["version"].value()
    response = client.post(ACCEPT, {"accept": "on", "version": version, "next": "https://evil.example/"})
    assert response["Location"] == reverse("ambassadors:landing")


def test_coordinators_and_admins_are_not_stopped(client_for, coordinator, admin):
    for user in (coordinator, admin):
        assert services.has_accepted(user)
        assert client_for(user).get(reverse("reports:overview")).status_code == 200


def test_an_ambassador_who_accepted_is_not_stopped(client_for, ambassador, accept):
    accept(ambassador)
    assert client_for(ambassador).get(reverse("commitments:actions")).status_code == 200


def test_the_gate_is_one_query_that_roles_of_then_reuses(ambassador, accept, django_assert_num_queries):
    accept(ambassador)
    ambassador.__dict__.pop("_omcs_roles", None)
    with django_assert_num_queries(1):
        assert services.has_accepted(ambassador)
        assert services.has_accepted(ambassador)
        assert roles_of(ambassador).is_ambassador


def test_a_closed_page_costs_the_session_the_user_and_one_query(client_for, ambassador, django_assert_num_queries):
    client = client_for(ambassador)
    with django_assert_num_queries(session_queries() + 2):
        response = client.get(reverse("commitments:actions"))
    assert response.status_code == 302


def test_an_open_page_does_not_ask_the_gate(client_for, ambassador, monkeypatch):
    def refuse(user):
        raise AssertionError("the gate asked")

    monkeypatch.setattr("appointments.middleware.has_accepted", refuse)
    client = client_for(ambassador)
    for url in (reverse("appointments:verify_form"), reverse("home"), reverse("password_change")):
        assert client.get(url).status_code == 200


def test_after_accepting_the_page_shows_what_was_accepted_in_any_language(client_for, ambassador, accept, letter_of):
    """Accepting the current wording in Spanish, then opening the page in English, shows what was
    accepted and the letter, never the form, and a POST replaces nothing (the gate counts the
    acceptance in any language)."""
    accept(ambassador)
    letter = letter_of(ambassador)
    client = client_for(ambassador)
    page = client.get(ACCEPT, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page.context["form"] is None
    text = page.content.decode()
    assert reverse("appointments:letter") in text and 'name="accept"' not in text
    version = services.wording_for_acceptance(language="en")[1]
    posted = client.post(ACCEPT, {"accept": "on", "version": version, "next": "/acciones/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert posted.status_code == 302
    assert not Acceptance.objects.filter(appointment__user=ambassador, language="en").exists()
    assert letter_of(ambassador) == letter
    assert services.letter_state(letter.code) == services.VALID


def test_a_letter_replaced_by_a_new_acceptance_is_superseded_not_revoked(client, ambassador, accept, letter_of):
    accept(ambassador)
    first = letter_of(ambassador)
    accept(ambassador, language="en")  # e.g. a new wording accepted: a new letter
    second = letter_of(ambassador)
    assert second != first
    assert services.letter_state(first.code) == services.SUPERSEDED
    page = client.get(reverse("appointments:verify", args=[first.code])).content.decode()
    assert "Sustituida" in page and "revocó" not in page
    assert services.letter_state(second.code) == services.VALID


def test_before_accepting_the_token_page_redirects_and_the_service_worker_opens(client_for, ambassador):
    client = client_for(ambassador)
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and response["Location"].startswith(ACCEPT)
    for url in (reverse("offline:service_worker"), reverse("offline:manifest")):
        assert client.get(url).status_code == 200, url
