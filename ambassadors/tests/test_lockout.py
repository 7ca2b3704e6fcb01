"""Login abuse: a username is locked after five failures in fifteen minutes, on the site and in
admin, with a clear message and an admin way to unlock; password-reset requests are limited."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import AccessAttempt
from conftest import PASSWORD

LOCKED = "Demasiados intentos fallidos"


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
def test_the_admin_login_locks_too(client, admin):
    fail(client, "admin", 5, url="/admin/login/")
    response = log_in(client, "admin", PASSWORD, url="/admin/login/")
    assert response.status_code == 200 and LOCKED in response.content.decode()


@pytest.mark.django_db
def test_many_usernames_from_one_address_lock_the_address(client, ambassador):
    for number in range(20):
        log_in(client, f"guess-{number}", "x")
    assert LOCKED in log_in(client, "alicia", PASSWORD).content.decode()
    assert log_in(client, "alicia", PASSWORD, address="198.51.100.4").status_code == 302


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
    for number in range(20):
        log_in(client, f"guess-{number}", "x", address=f"2001:db8:1:2::{number + 1:x}")
    assert LOCKED in log_in(client, "alicia", PASSWORD, address="2001:db8:1:2:ffff::1").content.decode()
    assert log_in(client, "alicia", PASSWORD, address="2001:db8:1:3::1").status_code == 302


@pytest.mark.django_db
def test_behind_the_trusted_proxy_the_address_it_appended_counts(client, ambassador, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for number in range(20):  # the client forges the first entry each time; the proxy appends the real one
        client.post(
            "/accounts/login/",
            {"username": f"guess-{number}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.50",
        )
    locked = {"username": "alicia", "password": PASSWORD}
    assert (
        LOCKED
        in client.post(
            "/accounts/login/", locked, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50"
        ).content.decode()
    )
    assert (
        client.post("/accounts/login/", locked, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51").status_code
        == 302
    )
