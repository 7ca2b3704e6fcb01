"""Helpers for tests of the second factor (ambassadors/twofactor.py)."""

import time

import django_otp
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def app_of(user):
    """A confirmed TOTP device for the user, as after setting up an app."""
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_of(device, *, steps_ahead=0):
    """The code the app shows now (or `steps_ahead` 30-second steps later: the device accepts one
    step of drift, and refuses a step it has already accepted)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def unverified(client):
    """Take away the mark the test client's force_login gives (conftest.py): the session is
    logged in but has not passed the second factor."""
    session = client.session
    session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    session.save()
    return client
