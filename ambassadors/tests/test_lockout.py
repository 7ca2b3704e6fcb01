"""Login abuse: a username is locked after five failures from one address (ten from any) in fifteen
minutes, on the site and in admin (whose login is the site's; the second factor's codes count too:
test_twofactor.py), with a clear message and an admin way to unlock; an address
trying many usernames is slowed down, never locked; password-reset requests are limited."""

import datetime
import threading

import pytest
import time_machine
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import AccessAttempt, AccessCounter
from ambassadors.tasks import forget_old_access_attempts
from conftest import PASSWORD
from core.tests.threads import at_once

LOCKED = "Demasiados intentos fallidos"
SLOWED = "Se intentó entrar demasiadas veces desde esta conexión"


def log_in(client, username, password, *, url="/accounts/login/", address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, **kwargs):
    for _ in range(times):
        response = log_in(client, username, "not-the-password", **kwargs)
        assert response.status_code == 200 and LOCKED not in response.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_username_even_for_the_right_password(client, ambassador):
    fail(client, "alicia", 5)
    response = log_in(client, "Alicia", PASSWORD)  # the name is matched whatever its case
    page = response.content.decode()
    assert response.status_code == 200
    assert LOCKED in page and "15 minutos" in page and "administrador" in page
    assert 'value="Alicia"' in page  # what was typed is kept
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_lifts_after_fifteen_minutes_and_a_login_forgets_the_failures(client, ambassador):
    fail(client, "alicia", 5)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert log_in(client, "alicia", PASSWORD).status_code == 302
        assert not AccessAttempt.objects.filter(username="alicia").exists()


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, ambassador):
    fail(client, "alicia", 4)
    assert log_in(client, "alicia", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_the_sites_and_locks_too(client, admin):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/admin/"
    fail(client, "admin", 5)
    response = log_in(client, "admin", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()


@pytest.mark.django_db
def test_invented_usernames_from_one_address_do_not_stop_another_accounts_login(client, admin):
    for number in range(20):
        assert LOCKED not in log_in(client, f"guess-{number}", "x").content.decode()
    assert log_in(client, "admin", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_address_trying_many_usernames_is_slowed_down_to_one_attempt_a_minute_per_username(client, ambassador):
    for number in range(21):  # twenty failures, then the first attempt of the slowed-down address
        assert SLOWED not in log_in(client, f"guess-{number}", "x").content.decode()
    checked = AccessAttempt.objects.count()
    page = log_in(client, "guess-20", "y").content.decode()  # that username's minute is taken
    assert SLOWED in page and "60 segundos" in page and LOCKED not in page
    assert 'value="guess-20"' in page
    assert AccessAttempt.objects.count() == checked  # refused before any password was checked
    assert log_in(client, "alicia", PASSWORD).status_code == 302  # another username: its own minute
    page = log_in(Client(), "alicia", "wrong").content.decode()  # a browser without her device cookie
    assert SLOWED in page and 'value="alicia"' in page
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert log_in(Client(), "alicia", PASSWORD).status_code == 302
    assert log_in(Client(), "alicia", PASSWORD, address="198.51.100.4").status_code == 302  # other addresses: no wait


def log_out_keeping_the_device_cookie(client):
    """Log out as a browser does: the test client's logout drops every cookie, a browser's keeps
    the device cookie (only the session ends)."""
    device = client.cookies.get("login_device")
    client.logout()
    assert device is not None
    client.cookies["login_device"] = device.value


def spray(count, *, address="203.0.113.7"):
    """An attacker at `address` trying `count` invented usernames, each once."""
    attacker = Client()
    for number in range(count):
        log_in(attacker, f"guess-{number}", "x", address=address)
    return attacker


@pytest.mark.django_db
def test_an_attacker_keeping_the_address_slowed_down_does_not_keep_a_real_user_out(client, admin):
    attacker = spray(25)
    assert SLOWED in log_in(attacker, "guess-24", "x").content.decode()  # still going, a second ago
    assert log_in(client, "admin", PASSWORD).status_code == 302  # same address, never tried by the attacker


@pytest.mark.django_db
def test_the_device_cookie_of_an_earlier_login_spares_the_address_slowdown(client, admin, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = log_in(client, "admin", PASSWORD)
    cookie = response.cookies["login_device"]
    assert cookie["httponly"] and cookie["secure"] and cookie["max-age"] == 180 * 24 * 3600
    log_out_keeping_the_device_cookie(client)
    attacker = spray(25)
    assert SLOWED not in log_in(attacker, "admin", "guess").content.decode()  # the attacker takes admin's minute
    assert SLOWED in log_in(attacker, "admin", "guess").content.decode()
    assert SLOWED in log_in(Client(), "admin", PASSWORD).content.decode()  # a new browser waits its turn
    assert log_in(client, "admin", PASSWORD).status_code == 302  # the browser that logged in before does not


@pytest.mark.django_db
def test_a_device_cookie_counts_only_for_its_username_when_signed_by_the_site(client, ambassador, admin):
    assert log_in(client, "admin", PASSWORD).status_code == 302
    log_out_keeping_the_device_cookie(client)
    attacker = spray(21)
    log_in(attacker, "alicia", "x")
    assert SLOWED in log_in(client, "alicia", PASSWORD).content.decode()  # the cookie names admin
    forged = Client()
    forged.cookies["login_device"] = "alicia"
    assert SLOWED in log_in(forged, "alicia", PASSWORD).content.decode()


@pytest.mark.django_db
def test_a_device_cookie_does_not_lift_the_username_lock(client, ambassador):
    assert log_in(client, "alicia", PASSWORD).status_code == 302
    log_out_keeping_the_device_cookie(client)
    fail(client, "alicia", 5)
    assert LOCKED in log_in(client, "alicia", PASSWORD).content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_username_at_that_address_and_ten_from_anywhere_lock_it_everywhere(client, ambassador):
    fail(client, "alicia", 5, address="203.0.113.7")
    assert LOCKED in log_in(client, "alicia", PASSWORD, address="203.0.113.7").content.decode()
    assert log_in(client, "alicia", PASSWORD, address="198.51.100.4").status_code == 302  # and forgets them
    client.logout()
    assert log_in(client, "alicia", PASSWORD, address="203.0.113.7").status_code == 302
    client.logout()
    for number in range(10):
        fail(client, "alicia", 1, address=f"192.0.2.{number + 1}")
    response = log_in(client, "alicia", PASSWORD, address="198.51.100.200")
    assert response.status_code == 200 and LOCKED in response.content.decode()


@pytest.mark.django_db
def test_the_lock_says_so_in_the_users_language(client, ambassador):
    fail(client, "alicia", 5)
    response = client.post(
        "/accounts/login/",
        {"username": "alicia", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Too many failed attempts" in response.content.decode()


class CountingBackend(ModelBackend):
    """Django's backend, counting how many times a password is checked."""

    checks = 0
    lock = threading.Lock()

    def authenticate(self, request, username=None, password=None, **kwargs):
        with self.lock:
            CountingBackend.checks += 1
        return super().authenticate(request, username=username, password=password, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_twelve_wrong_passwords_at_once_get_exactly_five_checks(ambassador, settings):
    if connection.vendor != "postgresql":
        pytest.skip("parallel requests need a database that takes them at once (CI: PostgreSQL)")
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.CountingBackend"]
    CountingBackend.checks = 0
    outcomes = at_once(lambda number: log_in(Client(), "alicia", f"wrong-{number}"), list(range(12)))
    pages = [outcome.content.decode() for outcome in outcomes]
    assert CountingBackend.checks == 5
    assert sum(LOCKED in page for page in pages) == 7
    assert AccessAttempt.objects.filter(username="alicia").count() == 5


@pytest.mark.django_db
def test_an_admin_unlocks_a_locked_person_at_once(client, ambassador, admin):
    fail(client, "alicia", 5)
    client.force_login(admin)
    changelist = reverse("admin:ambassadors_accessattempt_changelist")
    assert "alicia" in client.get(changelist).content.decode()
    selected = AccessAttempt.objects.filter(username="alicia").values_list("pk", flat=True)[:1]
    response = client.post(changelist, {"action": "unlock", "_selected_action": list(selected)}, follow=True)
    assert "Desbloqueado: se olvidaron 5 intentos fallidos." in response.content.decode()
    client.logout()
    assert log_in(client, "alicia", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_email(client, ambassador, mailoutbox):
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": ambassador.email}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": ambassador.email})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Inténtelo de nuevo en una hora" in page and ambassador.email in page
    assert len(mailoutbox) == 3
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert client.post(reverse("password_reset"), {"email": ambassador.email}).status_code == 302
    assert len(mailoutbox) == 4


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_address(client, mailoutbox):
    statuses = [
        client.post(reverse("password_reset"), {"email": f"p{n}@example.org"}, REMOTE_ADDR="192.0.2.9").status_code
        for n in range(11)
    ]
    assert statuses == [302] * 10 + [200]
    assert (
        "desde esta conexión"
        in client.post(
            reverse("password_reset"), {"email": "p99@example.org"}, REMOTE_ADDR="192.0.2.9"
        ).content.decode()
    )


@pytest.mark.django_db
def test_an_ipv6_client_counts_by_its_64_block(client, ambassador):
    for number in range(21):
        log_in(client, f"guess-{number}", "x", address=f"2001:db8:1:2::{number + 1:x}")
    assert SLOWED in log_in(client, "guess-20", "y", address="2001:db8:1:2:ffff::1").content.decode()
    assert SLOWED not in log_in(client, "guess-20", "y", address="2001:db8:1:3::1").content.decode()


@pytest.mark.django_db
def test_behind_the_trusted_proxy_the_address_it_appended_counts(client, ambassador, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for number in range(21):  # the client forges the first entry each time; the proxy appends the real one
        client.post(
            "/accounts/login/",
            {"username": f"guess-{number}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.50",
        )
    attempt = {"username": "guess-20", "password": "y"}
    assert (
        SLOWED
        in client.post(
            "/accounts/login/", attempt, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50"
        ).content.decode()
    )
    assert (
        SLOWED
        not in client.post(
            "/accounts/login/", attempt, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51"
        ).content.decode()
    )


@pytest.mark.django_db
def test_old_attempts_and_counters_are_forgotten_daily(client, ambassador):
    fail(client, "alicia", 5)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        assert forget_old_access_attempts() == 5
    assert not AccessAttempt.objects.exists() and not AccessCounter.objects.exists()


@pytest.mark.django_db
def test_the_admins_login_checks_no_password_of_its_own(client, coordinator):
    for _ in range(6):
        response = log_in(client, "carla", "not-the-password", url=reverse("admin:login"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))  # the site's login
    assert not AccessAttempt.objects.exists() and not AccessCounter.objects.exists()
    assert log_in(client, "carla", PASSWORD).status_code == 302
