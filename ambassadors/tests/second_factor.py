"""Helpers for tests of the second factor (ambassadors/twofactor.py)."""

import time

import django_otp
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def app_of(user):
    """A confirmed TOTP device for the user, as after setting up an app."""
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_of(device):
    """A code the device accepts now, as an app would show it: the current 30-second step's, or,
    when that step was used already (django-otp accepts each step once: a second login of the
    same person within the step), the next one, which the device's tolerance of one step
    accepts; past that, it waits for the step to come."""
    if device.pk:
        device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    step = max(now, device.last_t + 1)
    if step > now + device.tolerance:
        time.sleep((step - device.tolerance - now) * device.step - time.time() % device.step + 0.1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def code_for(username):
    """code_of the confirmed TOTP device of the user with this username (browser tests)."""
    return code_of(TOTPDevice.objects.get(user__username=username, confirmed=True))


def unverified(client):
    """Take away the mark the test client's force_login gives (conftest.py): the session is
    logged in but has not passed the second factor."""
    session = client.session
    session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    session.save()
    return client
