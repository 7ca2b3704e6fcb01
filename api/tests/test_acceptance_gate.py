"""A token's ambassador who has not accepted the commitments reads and writes nothing through
the API (appointments.permissions, among the default permissions)."""

import pytest
from django.urls import reverse

from ambassadors.models import Ambassador
from api.tests.factories import ApiTokenFactory
from appointments import services


@pytest.mark.acceptance_pending
def test_a_token_answers_403_until_the_commitments_are_accepted(client, ambassador):
    token = ApiTokenFactory(user=ambassador)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token.secret}"}
    refused = client.get(reverse("api:action-list"), **auth)
    assert refused.status_code == 403
    assert "compromisos" in refused.json()["detail"]
    appointment = Ambassador.objects.current().get(user=ambassador)
    services.acceptance_record(appointment=appointment, by=ambassador, language="es")
    assert client.get(reverse("api:action-list"), **auth).status_code == 200
