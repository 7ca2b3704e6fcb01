"""Personal API tokens: shown once, kept hashed, refused once revoked or expired, one's own only."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import services
from api.models import ApiToken, secret_hash
from api.tests.factories import ApiTokenFactory

pytestmark = pytest.mark.django_db


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_token_page_shows_the_new_secret_once_and_keeps_only_its_hash(client_for, ambassador):
    client = client_for(ambassador)

    response = client.post(reverse("api:tokens"), {"name": "Hoja de cálculo", "days": "90"})

    secret = response.context["secret"]
    assert secret.startswith("omcs_") and len(secret) > 40
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=ambassador)
    assert token.key_hash == secret_hash(secret)
    assert secret not in {token.key_hash, token.prefix, token.name}
    assert secret.startswith(token.prefix)
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    listed = client.get(reverse("api:tokens")).content.decode()
    assert "Hoja de cálculo" in listed and token.prefix in listed
    assert secret not in listed


def test_a_lifetime_beyond_a_year_is_refused(client_for, ambassador):
    response = client_for(ambassador).post(reverse("api:tokens"), {"name": "Para siempre", "days": "3650"})

    assert response.status_code == 200
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_token_reads_with_bearer_or_token_and_notes_its_last_use_at_most_once_a_minute(ambassador):
    token, secret = services.token_create(user=ambassador, name="Script", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    assert client.get("/api/v1/cities/").status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    assert bearer(secret).get("/api/v1/cities/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use  # within the minute: no write
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert bearer(secret).get("/api/v1/cities/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_a_revoked_token_answers_401(client_for, ambassador):
    token, secret = services.token_create(user=ambassador, name="Script", days=30)

    client_for(ambassador).post(reverse("api:token_revoke", args=[token.pk]))

    response = bearer(secret).get("/api/v1/actions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_expired_or_unknown_token_answers_401(ambassador):
    _token, secret = services.token_create(user=ambassador, name="Script", days=30)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert bearer(secret).get("/api/v1/actions/").status_code == 401
    assert bearer(secret + "x").get("/api/v1/actions/").status_code == 401
    assert APIClient().get("/api/v1/actions/").status_code == 401


def test_a_token_of_a_deactivated_person_answers_401(ambassador):
    _token, secret = services.token_create(user=ambassador, name="Script", days=30)
    ambassador.is_active = False
    ambassador.save(update_fields=["is_active"])

    assert bearer(secret).get("/api/v1/actions/").status_code == 401


def test_another_persons_token_cannot_be_revoked_nor_seen(client_for, ambassador, other_ambassador):
    theirs = ApiTokenFactory(user=other_ambassador, name="De Bruno")
    client = client_for(ambassador)

    assert client.post(reverse("api:token_revoke", args=[theirs.pk])).status_code == 404
    assert "De Bruno" not in client.get(reverse("api:tokens")).content.decode()
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert bearer(theirs.secret).get("/api/v1/cities/").status_code == 200


def test_the_service_refuses_to_revoke_anothers_token(ambassador, other_ambassador):
    theirs = ApiTokenFactory(user=other_ambassador)

    with pytest.raises(services.PermissionDenied):
        services.token_revoke(token=theirs, by=ambassador)


def test_a_person_past_their_rate_answers_429_whichever_token_they_use(ambassador, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/hour"},
    }
    token = ApiTokenFactory(user=ambassador)
    another = ApiTokenFactory(user=ambassador)

    codes = [bearer(token.secret).get("/api/v1/cities/").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    # One bucket per person: a new token (one form away) does not start a fresh count.
    assert bearer(another.secret).get("/api/v1/cities/").status_code == 429
    assert bearer(ApiTokenFactory().secret).get("/api/v1/cities/").status_code == 200  # someone else's


def test_the_account_menu_links_to_the_token_page(client_for, ambassador):
    assert reverse("api:tokens") in client_for(ambassador).get(reverse("commitments:actions")).content.decode()
