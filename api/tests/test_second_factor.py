"""The API and the second factor (api/permissions.py, api/signals.py): a token of an admin or a
coordinator who has no second factor opens nothing, approvals included; a session opens the API
only once it has passed the second factor; removing the device revokes the person's tokens."""

import pytest
from django.urls import reverse

from ambassadors import twofactor
from ambassadors.tests.second_factor import app_of, unverified
from api import services
from api.models import ApiToken
from commitments.tests.factories import ActionFactory


def _bearer(user):
    _token, secret = services.token_create(user=user, name="Script", days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_coordinators_token_without_a_second_factor_cannot_approve(client, ambassador, coordinator):
    submitted = ActionFactory(by=ambassador, status="submitted")
    refused = client.post(
        f"/api/v1/actions/{submitted.pk}/approve/", "{}", content_type="application/json", **_bearer(coordinator)
    )
    assert refused.status_code == 403
    assert "dos pasos" in refused.json()["detail"]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert client.get(reverse("api:action-list"), **_bearer(coordinator)).status_code == 403


def test_an_admins_token_without_a_second_factor_reads_nothing(client, admin):
    assert client.get(reverse("api:action-list"), **_bearer(admin)).status_code == 403


def test_a_coordinators_token_works_with_a_second_factor(client, ambassador, coordinator):
    app_of(coordinator)
    submitted = ActionFactory(by=ambassador, status="submitted")
    approved = client.post(
        f"/api/v1/actions/{submitted.pk}/approve/", "{}", content_type="application/json", **_bearer(coordinator)
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"


def test_an_ambassadors_token_needs_no_second_factor(client, ambassador):
    assert client.get(reverse("api:action-list"), **_bearer(ambassador)).status_code == 200


def test_removing_the_device_revokes_the_persons_tokens(client, coordinator, ambassador):
    app_of(coordinator)
    auth = _bearer(coordinator)
    theirs = _bearer(ambassador)
    assert client.get(reverse("api:action-list"), **auth).status_code == 200
    twofactor.remove(coordinator)
    assert not ApiToken.objects.usable().filter(user=coordinator).exists()
    assert client.get(reverse("api:action-list"), **auth).status_code == 401
    app_of(coordinator)  # a new device does not bring the old tokens back
    assert client.get(reverse("api:action-list"), **auth).status_code == 401
    assert client.get(reverse("api:action-list"), **theirs).status_code == 200


@pytest.mark.parametrize("has_app", [False, True])
def test_only_a_verified_session_makes_tokens_for_a_coordinator(client, coordinator, has_app):
    if has_app:
        app_of(coordinator)
    client.force_login(coordinator)
    unverified(client)
    response = client.post(reverse("api:tokens"), {"name": "Script", "days": 30})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=coordinator).exists()


def test_a_session_that_has_not_passed_the_second_factor_gets_json(client, coordinator):
    app_of(coordinator)
    client.force_login(coordinator)
    unverified(client)
    response = client.get(reverse("api:action-list"))
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_the_service_worker_and_manifest_open_before_the_second_factor(client, coordinator):
    app_of(coordinator)
    client.force_login(coordinator)
    unverified(client)
    for url in (reverse("offline:service_worker"), reverse("offline:manifest")):
        assert client.get(url).status_code == 200, url
