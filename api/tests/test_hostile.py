"""Requests a hostile client sends: crafted cursors, made-up forwarding headers."""

import base64

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def crafted(position):
    return base64.b64encode(f"p={position}".encode()).decode()


@pytest.mark.parametrize("resource", ["actions", "axes", "commitments", "cities", "targets", "practices"])
@pytest.mark.parametrize("position", ["abc", "1.5", "99999999999999999999999"])
def test_a_cursor_whose_position_is_not_an_id_is_a_404_never_a_500(ambassador, token_client, resource, position):
    client = token_client(ambassador)
    client.raise_request_exception = False

    response = client.get(f"/api/v1/{resource}/", {"cursor": crafted(position)})

    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Cursor inválido"}


def test_a_real_cursor_still_pages(lima_world, ambassador, token_client):
    client = token_client(ambassador)

    first = client.get("/api/v1/actions/?page_size=1").json()

    assert client.get(first["next"]).status_code == 200


def test_a_made_up_forwarded_address_does_not_escape_the_anonymous_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000/hour", "anon": "2/hour"},
    }

    codes = [
        APIClient().get("/api/schema/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]

    assert codes == [200, 200, 429, 429]


def test_behind_the_trusted_proxy_the_address_it_appended_is_counted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000/hour", "anon": "2/hour"},
    }

    def get(client_sent, appended):
        forwarded = f"{client_sent}, {appended}"
        return APIClient().get("/api/schema/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [get(f"192.0.2.{n}", "203.0.113.50") for n in range(3)] == [200, 200, 429]
    assert get("192.0.2.1", "203.0.113.51") == 200


@pytest.mark.parametrize(
    "field, items",
    [
        ("focus_areas", list(range(300_000))),
        ("cities_involved", list(range(300_000))),
        ("indicator_values", [{"indicator": n, "value": 1} for n in range(20_000)]),
        ("links", [{"url": "https://example.org/acta"}] * 20_000),
    ],
)
def test_a_list_longer_than_any_form_offers_is_refused_before_its_items_are_checked(
    lima_world, ambassador, token_client, django_assert_max_num_queries, field, items
):
    """2.5 MB of ids (under the body limit) took seconds and, on SQLite, answered 500 (too many
    SQL variables)."""
    client = token_client(ambassador)
    client.raise_request_exception = False

    with django_assert_max_num_queries(12):
        response = client.patch(f"/api/v1/actions/{lima_world['draft'].pk}/", {field: items}, format="json")

    assert response.status_code == 400, response.content[:300]
    assert list(response.json()) == [field]
    assert "1000" in str(response.json()[field])


def test_a_body_past_the_upload_limit_answers_413_in_json(lima_world, ambassador, token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = token_client(ambassador)
    client.raise_request_exception = False

    response = client.patch(f"/api/v1/actions/{lima_world['draft'].pk}/", {"description": "x" * 2000}, format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": "El cuerpo de la solicitud es demasiado grande."}
