"""Two-factor sign-in: the login's two steps, the lockout applied to codes, recovery codes,
setting up an app (required for admins and coordinators, offered to ambassadors), the admin."""

import re
from datetime import UTC, datetime

import django_otp
import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ambassadors import twofactor
from ambassadors.models import AccessAttempt
from ambassadors.tests.second_factor import app_of, code_of, unverified
from conftest import PASSWORD

ADDRESS = "203.0.113.7"
LOCKED = "Demasiados intentos fallidos"
INVALID = "El código no es válido o ya se usó"


def password_step(client, username, password=PASSWORD, *, next_url="", address=ADDRESS):
    data = {"username": username, "password": password, "next": next_url}
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def code_step(client, code, *, address=ADDRESS, query=""):
    return client.post(reverse("login_code") + query, {"code": code}, REMOTE_ADDR=address)


def signed_in(client):
    return SESSION_KEY in client.session and django_otp.DEVICE_ID_SESSION_KEY in client.session


@pytest.mark.django_db
def test_a_good_password_of_someone_with_an_app_asks_for_the_code_before_anything_opens(client, ambassador):
    device = app_of(ambassador)
    response = password_step(client, "alicia", next_url="/ciudades/")
    assert response.status_code == 302 and response.url == reverse("login_code")
    assert SESSION_KEY not in client.session  # not logged in yet
    assert client.get(reverse("ambassadors:cities")).url.startswith(reverse("login"))
    page = client.get(reverse("login_code")).content.decode()
    assert 'autocomplete="one-time-code"' in page
    response = code_step(client, code_of(device))
    assert response.status_code == 302 and response.url == "/ciudades/"
    assert signed_in(client)
    assert client.get(reverse("ambassadors:cities")).status_code == 200
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_someone_without_an_app_or_a_role_that_needs_one_signs_in_with_the_password(client, ambassador):
    response = password_step(client, "alicia")
    assert response.status_code == 302 and response.url == reverse("ambassadors:landing")
    assert client.get(reverse("ambassadors:cities")).status_code == 200


@pytest.mark.django_db
def test_the_code_step_without_a_good_password_goes_back_to_the_login(client, ambassador):
    app_of(ambassador)
    assert client.get(reverse("login_code")).url == reverse("login")
    password_step(client, "alicia", "not-the-password")
    assert code_step(client, "123456").url == reverse("login")


@pytest.mark.django_db
def test_a_code_is_accepted_once(client, ambassador):
    device = app_of(ambassador)
    code = code_of(device)
    password_step(client, "alicia")
    code_step(client, code)
    client.post(reverse("logout"))
    password_step(client, "alicia")
    response = code_step(client, code)
    assert response.status_code == 200 and INVALID in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_wrong_codes_count_with_the_password_and_lock_the_username_like_wrong_passwords(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own wait after a wrong code: tested below
    device = app_of(coordinator)
    password_step(client, "carla")  # counted, and not forgotten until a good code
    for _ in range(4):
        response = code_step(client, "000000")
        assert response.status_code == 200 and INVALID in response.content.decode()
    assert AccessAttempt.objects.filter(username="carla").count() == 4  # kept for the admins
    response = code_step(client, code_of(device))  # the right code, too late
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert SESSION_KEY not in client.session
    response = password_step(client, "carla")  # and a new password does not start again
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_passwords_and_codes_in_turn_get_no_more_guesses_than_the_limit(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = app_of(coordinator)
    for _ in range(2):
        assert password_step(client, "carla").url == reverse("login_code")
        assert INVALID in code_step(client, "000000").content.decode()
    assert password_step(client, "carla").url == reverse("login_code")  # the fifth attempt
    assert LOCKED in code_step(client, code_of(device)).content.decode()
    assert LOCKED in password_step(client, "carla").content.decode()


@pytest.mark.django_db
def test_a_code_during_django_otps_wait_is_not_checked_nor_counted_and_says_how_long(client, ambassador):
    device = app_of(ambassador)
    password_step(client, "alicia")
    assert INVALID in code_step(client, "000000").content.decode()
    assert AccessAttempt.objects.filter(username="alicia").count() == 1
    for code in ("000000", code_of(device)):  # within the wait: even the right code would fail
        page = code_step(client, code).content.decode()
        assert "Espere" in page and "segundo" in page and INVALID not in page
    assert AccessAttempt.objects.filter(username="alicia").count() == 1  # the wait cost nothing
    assert SESSION_KEY not in client.session
    TOTPDevice.objects.filter(pk=device.pk).update(  # the wait is over
        throttling_failure_timestamp=datetime(2000, 1, 1, tzinfo=UTC)
    )
    code_step(client, code_of(device))
    assert signed_in(client)


@pytest.mark.django_db
def test_the_password_step_gives_a_new_session_key_and_the_code_step_logs_in_as_django_does(client, ambassador):
    device = app_of(ambassador)
    client.get(reverse("login"))
    client.session.save()
    planted = client.session.session_key
    password_step(client, "alicia")
    after_password = client.session.session_key
    assert after_password != planted
    logins = []
    user_logged_in.connect(
        lambda sender, user, **kwargs: logins.append(user), dispatch_uid="test-code-step", weak=False
    )
    try:
        code_step(client, code_of(device))
    finally:
        user_logged_in.disconnect(dispatch_uid="test-code-step")
    assert signed_in(client) and client.session.session_key != after_password
    assert logins == [ambassador]
    ambassador.refresh_from_db()
    assert ambassador.last_login is not None


@pytest.mark.django_db
def test_a_logged_in_session_passing_the_code_is_logged_in_again(client_for, ambassador):
    device = app_of(ambassador)
    client = unverified(client_for(ambassador))
    get_user_model().objects.filter(pk=ambassador.pk).update(last_login=None)
    before = client.session.session_key
    code_step(client, code_of(device))
    assert signed_in(client) and client.session.session_key != before
    ambassador.refresh_from_db()
    assert ambassador.last_login is not None


@pytest.mark.django_db
def test_a_username_locked_elsewhere_is_refused_at_the_code_step(client, ambassador):
    device = app_of(ambassador)
    password_step(client, "alicia")
    for address in ("198.51.100.1", "198.51.100.2"):  # ten failures from any addresses
        for _ in range(5):
            password_step(client.__class__(), "alicia", "not-the-password", address=address)
    response = code_step(client, code_of(device))
    assert LOCKED in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_good_code_forgets_the_failures(client, ambassador):
    device = app_of(ambassador)
    password_step(client, "alicia", "not-the-password")
    password_step(client, "alicia")
    code_step(client, code_of(device))
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username="alicia").exists()


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client, ambassador):
    app_of(ambassador)
    codes = twofactor.recovery_codes_renew(ambassador)
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
    password_step(client, "alicia")
    assert code_step(client, codes[0].upper()).status_code == 302  # as typed, whatever the case
    assert signed_in(client)
    client.post(reverse("logout"))
    password_step(client, "alicia")
    assert INVALID in code_step(client, codes[0]).content.decode()
    assert StaticToken.objects.count() == 9


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client_for, ambassador):
    app_of(ambassador)
    old = twofactor.recovery_codes_renew(ambassador)
    response = client_for(ambassador).post(reverse("twofactor_recovery_codes"))
    new = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.count() == 10


@pytest.mark.django_db
def test_a_coordinator_without_an_app_is_kept_on_the_setup_page_until_one_is_confirmed(client, coordinator):
    response = password_step(client, "carla", next_url="/ciudades/")
    assert response.status_code == 302
    for url in ("/ciudades/", reverse("ambassadors:landing"), reverse("twofactor")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("twofactor_setup"))
    page = client.get(reverse("twofactor_setup")).content.decode()
    device = TOTPDevice(user=coordinator, key=client.session[twofactor.SETUP_KEY])
    again = client.get(reverse("twofactor_setup")).content.decode()
    assert twofactor.secret_text(device) in again  # the same secret until confirmed
    assert twofactor.secret_text(device) in page and "<svg" in page and "requiere la verificación" in page
    assert not TOTPDevice.objects.exists()  # nothing stored before it is confirmed
    response = client.post(reverse("twofactor_setup") + "?next=/ciudades/", {"code": "000000"})
    assert "El código no es válido" in response.content.decode()
    response = client.post(reverse("twofactor_setup") + "?next=/ciudades/", {"code": code_of(device)})
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())
    assert len(codes) == 10 and 'href="/ciudades/"' in response.content.decode()
    assert client.get("/ciudades/").status_code == 200
    client.post(reverse("logout"))
    assert password_step(client, "carla").url == reverse("login_code")  # from now on, two steps


@pytest.mark.django_db
def test_a_session_without_the_second_factor_of_someone_with_an_app_is_sent_to_the_code(client_for, ambassador):
    device = app_of(ambassador)
    client = unverified(client_for(ambassador))
    response = client.get("/ciudades/")
    assert response.status_code == 302 and response.url == reverse("login_code") + "?next=/ciudades/"
    response = code_step(client, code_of(device), query="?next=/ciudades/")
    assert response.url == "/ciudades/"
    assert client.get("/ciudades/").status_code == 200


@pytest.mark.django_db
def test_an_ambassador_opts_in_and_then_needs_the_code_and_may_opt_out(client_for, client, ambassador):
    page = client_for(ambassador).get(reverse("twofactor")).content.decode()
    assert reverse("twofactor_setup") in page
    client.get(reverse("twofactor_setup"))
    device = TOTPDevice(user=ambassador, key=client.session[twofactor.SETUP_KEY])
    assert client.post(reverse("twofactor_setup"), {"code": code_of(device)}).status_code == 200
    device = TOTPDevice.objects.get(user=ambassador, confirmed=True)
    assert twofactor.has_device(ambassador) and StaticToken.objects.count() == 10
    client.post(reverse("logout"))
    assert password_step(client, "alicia").url == reverse("login_code")
    code_step(client, code_of(device))
    assert signed_in(client)
    assert "Le quedan 10 códigos" in client.get(reverse("twofactor")).content.decode()
    assert client.post(reverse("twofactor_remove")).status_code == 302
    assert not twofactor.has_device(ambassador) and not StaticToken.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_cannot_turn_the_second_factor_off(client_for, coordinator):
    app_of(coordinator)
    assert client_for(coordinator).post(reverse("twofactor_remove")).status_code == 403
    assert twofactor.has_device(coordinator)


@pytest.mark.django_db
def test_the_admin_logs_in_through_the_sites_two_steps(client, admin):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302 and response.url == reverse("login") + "?next=/admin/"
    device = app_of(admin)
    password_step(client, "admin", next_url="/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    response = code_step(client, code_of(device))
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_admin_needs_a_session_that_passed_the_second_factor(client_for, admin):
    client = unverified(client_for(admin))
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor_setup"))
    request = type("Request", (), {"user": admin, "session": client.session})()
    from ambassadors.twofactor_views import admin_has_permission

    assert not admin_has_permission(request)


@pytest.mark.django_db
def test_a_demo_account_signs_in_with_the_documented_secret(client, settings):
    from django.core.management import call_command
    from django_otp.oath import TOTP

    from ambassadors.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo

    load_demo()
    import base64
    import time

    totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
    totp.time = time.time()
    assert password_step(client, "coord.sur", DEMO_PASSWORD).url == reverse("login_code")
    assert code_step(client, f"{totp.token():06d}").status_code == 302
    assert signed_in(client)
    assert not TOTPDevice.objects.filter(user__username__startswith="emb.").exists()
    del call_command
