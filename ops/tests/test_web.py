"""The checks' browser (ops/web.py) against the app's real login: its form parser sends what a
browser sends (the CSRF token included) and its TOTP codes pass the second factor."""

import django_otp
import pytest
from django.test import Client

from ambassadors.demo import DEMO_TOTP_SECRET
from ambassadors.tests.factories import UserFactory
from ambassadors.twofactor import device_for_demo
from conftest import PASSWORD
from ops.web import form_on, totp


def _send_form(client, path, *, having, values):
    action, fields = form_on(client.get(path).content.decode(), having=having)
    return client.post(action or path, {**fields, **values})


@pytest.mark.django_db
def test_the_login_form_and_a_code_of_the_demo_secret_sign_in_with_the_second_factor():
    user = UserFactory()
    device_for_demo(user, DEMO_TOTP_SECRET)
    client = Client(enforce_csrf_checks=True)
    answer = _send_form(
        client, "/accounts/login/", having="username", values={"username": user.username, "password": PASSWORD}
    )
    assert answer.status_code == 302 and "/codigo/" in answer["Location"]
    assert django_otp.DEVICE_ID_SESSION_KEY not in client.session
    answer = _send_form(client, answer["Location"], having="code", values={"code": totp(DEMO_TOTP_SECRET)})
    assert answer.status_code == 302 and "/codigo/" not in answer["Location"]
    assert client.session[django_otp.DEVICE_ID_SESSION_KEY]
