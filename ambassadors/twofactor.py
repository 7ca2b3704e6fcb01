"""Two-factor sign-in on django-otp: a code from a TOTP app (otp_totp) or a single-use recovery
code (otp_static) after the password.

Required for admins (superusers, staff) and coordinators, offered to ambassadors. The login works
in two steps: a good password of someone with a confirmed device only starts a *pending* sign-in
in the session (no Django login yet, so nothing of the site opens); the code step logs them in.
Someone who must have a device and has none is logged in after the password and kept on the
setup page. SecondFactorMiddleware (ambassadors/middleware.py) is the one place that enforces it:
an authenticated session that has not passed the second factor opens nothing but the sign-in and
setup pages when its user needs one (roles_of: admin, staff, coordinator, or has a device).

The lockout and rate limits of ambassadors/access.py apply to the code too: each code is counted
as a login attempt before it is checked, against the same username and address counters, and a
good password of someone with a device does not forget the earlier failures (the good code does),
so alternating passwords and codes never gets more guesses than the limits.

A session has passed the second factor when it holds django-otp's device id
(django_otp.DEVICE_ID_SESSION_KEY, set by django_otp.login): checking it costs no query.
"""

import base64
import datetime
import io
import re
import time
from dataclasses import dataclass

import django_otp
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from . import access
from .scope import roles_of

PENDING_KEY = "twofactor_pending"
SETUP_KEY = "twofactor_setup_key"
PENDING_AGE = 10 * 60  # seconds a password stays good for the code step
RECOVERY_CODES = 10
DEVICE_NAME = "app"
RECOVERY_NAME = "recovery"
# What the test client's force_login and login() put in the session (conftest.py): they skip the
# password form, and so the second factor too.
TEST_CLIENT_MARK = "test-client/force-login"


def session_verified(request):
    """Whether this session has passed the second factor (no query)."""
    return bool(request.session.get(django_otp.DEVICE_ID_SESSION_KEY))


def session_mark_verified(session, mark=TEST_CLIENT_MARK):
    """For test clients and benchmarks that log in with force_login: that login already skips
    the password, and this skips the second factor the same way."""
    session[django_otp.DEVICE_ID_SESSION_KEY] = mark


def has_device(user):
    """Whether the user has a confirmed TOTP device (the recovery codes come with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_for(user):
    """Admins, staff and coordinators must have a second factor."""
    return user.is_superuser or user.is_staff or roles_of(user).is_coordinator


def needed_by(user):
    """Whether an authenticated session of this user must pass the second factor (one query,
    shared with the page's roles): it is required, or they set one up."""
    if user.is_superuser or user.is_staff:
        return True
    roles = roles_of(user)
    return roles.is_coordinator or roles.has_second_factor


# The pending sign-in: a good password of someone with a device, before the code.


def pending_start(request, user, *, redirect_to):
    """A good password: a new session key (as a login gets), so a key planted before the
    password is worth nothing after it."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": redirect_to,
        "at": int(time.time()),
    }


def pending_user(request):
    """The user whose password was accepted in this session and who now owes a code, or None."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_AGE:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def pending_next(request):
    return (request.session.get(PENDING_KEY) or {}).get("next", "")


@dataclass(frozen=True)
class Throttled:
    """django-otp's own throttling of a device after wrong codes (1, 2, 4… seconds): a code
    sent before `until` would be refused whatever it is, so it is not checked nor counted."""

    until: datetime.datetime


def _clean(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def _devices_for(user, code):
    """The user's confirmed devices that could accept a code of this shape (cleaned)."""
    if re.fullmatch(r"\d{6}", code):
        return TOTPDevice.objects.filter(user=user, confirmed=True)
    if re.fullmatch(r"[a-z2-7]{8,16}", code):
        return StaticDevice.objects.filter(user=user, confirmed=True)
    return TOTPDevice.objects.none()


def throttled_until(user, code):
    """When the devices that could take this code stop refusing every code (django-otp's
    verify_is_allowed), or None if one of them would check it now."""
    until = None
    for device in _devices_for(user, _clean(code)):
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        locked_until = (data or {}).get("locked_until") or timezone.now() + datetime.timedelta(seconds=1)
        until = locked_until if until is None else min(until, locked_until)
    return until


def _match(user, code):
    """The device that accepts this code (a 6-digit TOTP or a recovery code, used up), or None.
    Devices are locked for the check (django_otp.verify_token), so one code passes once."""
    code = _clean(code)
    for device in _devices_for(user, code):
        found = django_otp.verify_token(user, device.persistent_id, code)
        if found is not None:
            return found
    return None


def code_check(request, user, code):
    """Check a second-factor code as a login attempt: counted first (a locked username or a
    slowed address gets its access.Refusal without a check), a wrong code stays counted and is
    kept for the admins, a good one forgets the failures as a good password does. While
    django-otp throttles the devices after wrong codes, a code is neither checked nor counted
    (it would be refused, good or not): the person is told to wait (Throttled).
    Returns (device or None, access.Refusal or Throttled or None)."""
    until = throttled_until(user, code)
    if until is not None:
        return None, Throttled(until)
    username = user.get_username()
    address = access.client_address(request)
    trusted = access.login_device_trusted(request, username=username)
    refusal = access.login_attempt_claim(username=username, ip_address=address, trusted_device=trusted)
    if refusal:
        return None, refusal
    device = _match(user, code)
    if device is None:
        access.login_failure_record(username=username, ip_address=address)
        return None, None
    access.login_succeeded(username=username, ip_address=address)
    request.login_device_username = username  # LoginDeviceMiddleware sets the device cookie
    return device, None


def sign_in(request, user, device):
    """After a good code: log the user in (the pending one, or the session's own again) and
    mark the session as having passed the second factor."""
    request.session.pop(PENDING_KEY, None)
    # Always Django's login (user_logged_in sent, last_login updated), for a session already
    # theirs with the backend it was logged in with; and always a new session key (Django's
    # login keeps it for a session already of the same user).
    backend = getattr(user, "backend", None) or request.session.get(BACKEND_SESSION_KEY)
    request.session.cycle_key()
    auth_login(request, user, backend=backend)
    django_otp.login(request, device)


# Setting one up, the recovery codes, removing it.


def setup_device(request):
    """The device being set up, not saved until confirmed: its key is kept in the session, so
    the QR code stays the same from one request to the next and nothing is stored before."""
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = default_key()
    return TOTPDevice(user=request.user, name=DEVICE_NAME, key=key, confirmed=False)


def secret_text(device):
    """The secret as TOTP apps take it typed (base32), in groups of four for reading."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The otpauth:// address as an SVG QR code, for inline use in a page."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)


@transaction.atomic
def setup_confirm(request, device, code):
    """Confirm the device being set up with a code from the app: the device counts from now on,
    the session has passed the second factor and the first recovery codes are made (returned,
    to be shown once). None if the code is wrong."""
    code = re.sub(r"\s", "", code or "")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not re.fullmatch(r"\d{6}", code) or not totp.verify(int(code), device.tolerance):
        return None
    device.last_t, device.drift, device.confirmed = totp.t(), totp.drift, True  # that code is used
    device.save()
    request.session.pop(SETUP_KEY, None)
    django_otp.login(request, device)
    return recovery_codes_renew(device.user)


@transaction.atomic
def recovery_codes_renew(user):
    """New recovery codes (the old ones stop working); returned once, stored as django-otp keeps them."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove(user):
    """Remove the user's second factor (their app and recovery codes)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def device_for_demo(user, secret):
    """The demo's accounts: a confirmed TOTP device with the documented demo secret (base32)."""
    key = base64.b32decode(secret).hex()
    TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
    TOTPDevice.objects.get_or_create(user=user, key=key, defaults={"name": DEVICE_NAME, "confirmed": True})
