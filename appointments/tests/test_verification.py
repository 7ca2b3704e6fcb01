"""The public verification of a letter says its state and nothing else."""

import datetime

import pytest
from django.urls import reverse

from ambassadors import services as ambassador_services
from appointments import services, views


def page(client, code):
    return client.get(reverse("appointments:verify", args=[code]))


def assert_reveals_nothing(response, ambassador):
    content = response.content.decode()
    for secret in ("Lima", "Alicia", ambassador.username, ambassador.email, "Perú", "Peru"):
        assert secret not in content
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in content


def test_a_letter_in_force_is_valid(client, ambassador, letter_of):
    response = page(client, letter_of(ambassador).code)
    assert response.status_code == 200
    assert response.context["state"] == services.VALID
    assert "Válida." in response.content.decode()
    assert_reveals_nothing(response, ambassador)


def test_the_code_may_be_typed_in_lower_case_with_dashes_from_the_form(client, ambassador, letter_of):
    letter = letter_of(ambassador)
    response = client.get(reverse("appointments:verify_form"), {"code": f" {letter.code_display.lower()} "})
    assert response["Location"] == reverse("appointments:verify", args=[letter.code])
    assert page(client, letter.code_display.lower()).context["state"] == services.VALID


def test_a_revoked_letter_says_revoked(client, ambassador, admin, letter_of):
    letter = letter_of(ambassador)
    services.letter_revoke(letter=letter, by=admin)
    response = page(client, letter.code)
    assert response.context["state"] == services.REVOKED
    assert_reveals_nothing(response, ambassador)


def test_an_ended_appointment_or_a_past_term_says_expired(
    client, ambassador, other_ambassador, letter_of, appointment_of
):
    letter = letter_of(ambassador)
    ambassador_services.ambassador_set_term(
        ambassador=appointment_of(ambassador), term_ends_on=datetime.date(2025, 12, 31)
    )
    response = page(client, letter.code)
    assert response.context["state"] == services.EXPIRED
    assert_reveals_nothing(response, ambassador)
    other = letter_of(other_ambassador)
    ambassador_services.ambassador_end(ambassador=appointment_of(other_ambassador), ended_on=datetime.date(2026, 1, 1))
    assert page(client, other.code).context["state"] == services.EXPIRED


@pytest.mark.parametrize("code", ["ABCDEFGHJKMN", "not-a-code", "0000", "A" * 40])
def test_an_unknown_code_says_unknown(client, ambassador, code):
    response = page(client, code)
    assert response.status_code == 200
    assert response.context["state"] == services.UNKNOWN
    assert_reveals_nothing(response, ambassador)


def test_the_state_costs_one_query_whatever_the_code(ambassador, letter_of, django_assert_num_queries):
    for code in (letter_of(ambassador).code, "ABCDEFGHJKMN", "x"):
        with django_assert_num_queries(1):
            services.letter_state(code)


def test_checks_are_limited_per_address(client, ambassador, letter_of, monkeypatch):
    monkeypatch.setattr(views, "VERIFICATIONS_PER_ADDRESS", 3)
    code = letter_of(ambassador).code
    for _ in range(3):
        assert page(client, code).status_code == 200
    refused = page(client, code)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "state" not in refused.context
    other_address = client.get(reverse("appointments:verify", args=[code]), REMOTE_ADDR="203.0.113.7")
    assert other_address.status_code == 200


def test_the_form_page_is_public_and_not_indexed(client):
    response = client.get(reverse("appointments:verify_form"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
