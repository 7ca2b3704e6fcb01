"""Which pages a phone may keep (offline.rules, marked by the middleware), and the logout that
forgets them all."""

import datetime

import pytest
from django.urls import reverse

from ambassadors import services
from ambassadors.models import Ambassador
from commitments.tests.factories import ActionFactory
from offline.middleware import SIGNED_OUT_COOKIE
from offline.rules import FORGET_HEADER, HEADER


@pytest.mark.django_db
def test_the_ambassadors_own_pages_may_be_kept(client_for, ambassador, lima):
    action = ActionFactory(by=ambassador)
    client = client_for(ambassador)
    for url in (
        reverse("home"),
        reverse("commitments:actions"),
        reverse("commitments:action", args=[action.pk]),
        reverse("commitments:action_edit", args=[action.pk]),
        reverse("commitments:action_choose"),
        reverse("commitments:action_create", args=[action.commitment_id]),
        reverse("reports:city_progress", args=[lima.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get(HEADER) == "1", url


@pytest.mark.django_db
def test_no_other_page_is_marked(client_for, ambassador, rosario):
    client = client_for(ambassador)
    assert HEADER not in client.get(reverse("reports:reports"))
    assert HEADER not in client.get(reverse("commitments:notifications"))
    other_city = client.get(reverse("reports:city_progress", args=[rosario.pk]))
    assert HEADER not in other_city


@pytest.mark.django_db
def test_a_coordinators_pages_are_not_kept(client_for, ambassador, coordinator):
    action = ActionFactory(by=ambassador)
    response = client_for(coordinator).get(reverse("commitments:action", args=[action.pk]))
    assert response.status_code == 200
    assert HEADER not in response


@pytest.mark.django_db
def test_anonymous_pages_and_posts_are_not_kept(client, client_for, ambassador):
    commitment = ActionFactory(by=ambassador).commitment
    assert HEADER not in client.get(reverse("home"))
    response = client_for(ambassador).post(reverse("commitments:action_create", args=[commitment.pk]), {"title": ""})
    assert response.status_code == 200
    assert HEADER not in response


@pytest.mark.django_db
def test_another_citys_ambassador_gets_nothing_to_keep_from_an_action_not_theirs(
    client_for, ambassador, other_ambassador
):
    action = ActionFactory(by=ambassador)
    response = client_for(other_ambassador).get(reverse("commitments:action", args=[action.pk]))
    assert response.status_code == 404
    assert HEADER not in response


@pytest.mark.django_db
def test_logout_tells_the_browser_to_forget_every_kept_page_and_draft(client_for, ambassador):
    client = client_for(ambassador)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert response.cookies[SIGNED_OUT_COOKIE].value == "1"
    assert not response.cookies[SIGNED_OUT_COOKIE]["httponly"]


@pytest.mark.django_db
def test_other_requests_do_not_clear_anything(client_for, ambassador):
    response = client_for(ambassador).get(reverse("commitments:actions"))
    assert "Clear-Site-Data" not in response
    assert SIGNED_OUT_COOKIE not in response.cookies


@pytest.mark.django_db
def test_kept_pages_are_private_and_not_stored_by_the_browser_or_a_shared_cache(client_for, ambassador):
    response = client_for(ambassador).get(reverse("commitments:actions"))
    assert response.get(HEADER) == "1"
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert FORGET_HEADER not in response


@pytest.mark.django_db
def test_an_ambassador_whose_appointment_ended_is_told_to_forget_the_kept_pages(client_for, ambassador):
    client = client_for(ambassador)
    appointment = Ambassador.objects.get(user=ambassador)
    services.ambassador_end(ambassador=appointment, ended_on=datetime.date.today())
    for url in (reverse("home"), reverse("commitments:actions")):
        response = client.get(url)
        assert HEADER not in response, url
        assert response.get(FORGET_HEADER) == "1", url


@pytest.mark.django_db
def test_another_citys_page_is_not_kept_but_forgets_nothing(client_for, ambassador, rosario):
    response = client_for(ambassador).get(reverse("reports:city_progress", args=[rosario.pk]))
    assert HEADER not in response and FORGET_HEADER not in response
    assert FORGET_HEADER not in client_for(ambassador).get(reverse("reports:reports"))


@pytest.mark.django_db
def test_the_service_worker_knows_the_forget_header(client):
    assert f'"forget": "{FORGET_HEADER}"' in client.get("/sw.js").content.decode()
