"""A coordinator whose session has not passed the second factor decides nothing: the approval is
refused (sent to set up the app, or to the code) until it has (ambassadors/twofactor.py)."""

import pytest
from django.urls import reverse

from ambassadors.tests.second_factor import app_of, code_of, unverified
from commitments.models import Action


@pytest.mark.django_db
def test_a_coordinator_without_the_second_factor_cannot_approve(client_for, coordinator, submitted_action):
    client = unverified(client_for(coordinator))
    url = reverse("commitments:action_review", args=[submitted_action.pk])
    for response in (client.post(url, {"decision": "approve"}), client.get(reverse("commitments:review_queue"))):
        assert response.status_code == 302 and response.url.startswith(reverse("twofactor_setup"))
    assert Action.objects.get(pk=submitted_action.pk).status == Action.Status.SUBMITTED


@pytest.mark.django_db
def test_a_coordinator_with_an_app_approves_once_the_session_passed_the_code(client_for, coordinator, submitted_action):
    device = app_of(coordinator)
    client = unverified(client_for(coordinator))
    url = reverse("commitments:action_review", args=[submitted_action.pk])
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302 and response.url.startswith(reverse("login_code"))
    assert Action.objects.get(pk=submitted_action.pk).status == Action.Status.SUBMITTED
    client.post(reverse("login_code"), {"code": code_of(device)})
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert Action.objects.get(pk=submitted_action.pk).status == Action.Status.APPROVED
