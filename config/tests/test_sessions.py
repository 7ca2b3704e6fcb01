"""Logging out ends the session in every process: two gunicorn servers on one database, with the
settings production uses without Redis and with it, and a session cookie replayed at the second
after logout at the first."""

import os

import pytest
from django.utils.crypto import get_random_string

from config.tests.servers import gunicorn, request, shared_database_url
from conftest import PASSWORD

LANDING = "/inicio/"  # login_required: a redirect to the city for a session, to the login without


def log_in(port, username):
    """Log in through the form (a made-up CSRF secret serves as cookie and token alike)."""
    csrf = get_random_string(32)
    response = request(
        port,
        "POST",
        "/accounts/login/",
        cookies={"csrftoken": csrf},
        form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 302 and response.headers["Location"] == LANDING, response.body[:300]
    return response.cookies  # the new session, and the CSRF secret rotated at login


def signed_in(port, cookies):
    """Whether the server treats the request as coming from a logged-in person."""
    response = request(port, "GET", LANDING, cookies=cookies)
    assert response.status_code == 302
    return not response.headers["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("cache", ["no-redis", "redis"])
@pytest.mark.django_db(transaction=True)
def test_a_session_ended_by_logout_is_refused_by_every_other_process(cache, ambassador, settings, tmp_path):
    redis_url = os.environ.get("REDIS_URL") if cache == "redis" else None
    if cache == "redis" and not redis_url:
        pytest.skip("needs REDIS_URL (CI sets it)")
    # The servers use the production hasher, so the password is stored with it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    ambassador.set_password(PASSWORD)
    ambassador.save(update_fields=["password"])
    database_url = shared_database_url(tmp_path)

    with gunicorn(database_url, count=2, redis_url=redis_url) as (first, second):
        cookies = log_in(first, "alicia")
        # The second process reads the session while it is valid (and caches it, if it caches).
        assert signed_in(second, cookies)
        logout = request(
            first, "POST", "/accounts/logout/", cookies=cookies, form={"csrfmiddlewaretoken": cookies["csrftoken"]}
        )
        assert logout.status_code == 302

        replays = [signed_in(port, cookies) for port in (second, first, second)]
    assert replays == [False, False, False]
