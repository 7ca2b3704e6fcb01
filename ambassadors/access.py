"""Login lockout and rate limits, counted in the database (AccessAttempt).

Five failed logins for one username within fifteen minutes lock that username for the rest of
the window, whatever password comes next; twenty from one address lock that address (someone
trying many usernames). Admins unlock at once from the admin (AccessAttempt, action "unlock").
Password-reset requests are limited per address and per email.
"""

import datetime
import ipaddress

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import AccessAttempt

LOGIN_WINDOW = datetime.timedelta(minutes=15)
LOGIN_FAILURES_PER_USERNAME = 5
LOGIN_FAILURES_PER_ADDRESS = 20
RESET_WINDOW = datetime.timedelta(hours=1)
RESETS_PER_EMAIL = 3
RESETS_PER_ADDRESS = 10


def client_address(request):
    """The client's address as the limits count it. Behind the TLS proxy the settings trust
    (BEHIND_TLS_PROXY), the last X-Forwarded-For entry: the one that proxy appended (earlier
    entries are whatever the client sent). An IPv6 address counts by its /64, the block one
    client usually holds."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        address = forwarded.split(",")[-1].strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _normalise(username):
    return (username or "").strip().lower()[:254]


def _recent(kind, window, *, now):
    return AccessAttempt.objects.filter(kind=kind, attempted_at__gte=now - window)


def login_locked(*, username, ip_address, now=None):
    """Whether a login for `username` from `ip_address` is refused before the password is checked."""
    now = now or timezone.now()
    recent = _recent(AccessAttempt.Kind.LOGIN_FAILED, LOGIN_WINDOW, now=now)
    if recent.filter(username=_normalise(username)).count() >= LOGIN_FAILURES_PER_USERNAME:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= LOGIN_FAILURES_PER_ADDRESS


def login_failure_record(*, username, ip_address):
    AccessAttempt.objects.create(
        kind=AccessAttempt.Kind.LOGIN_FAILED,
        username=_normalise(username),
        ip_address=ip_address,
        attempted_at=timezone.now(),
    )


def login_failures_clear(*, username):
    """A successful login (or an admin's unlock) forgets the username's failures."""
    AccessAttempt.objects.filter(kind=AccessAttempt.Kind.LOGIN_FAILED, username=_normalise(username)).delete()


def unlock(*, usernames=(), ip_addresses=()):
    """Admins: lift the lockout of these usernames and addresses now. Returns how many failures were forgotten."""
    deleted, _counts = AccessAttempt.objects.filter(
        Q(username__in=[_normalise(name) for name in usernames]) | Q(ip_address__in=list(ip_addresses)),
        kind=AccessAttempt.Kind.LOGIN_FAILED,
    ).delete()
    return deleted


def password_reset_refusal(*, email, ip_address, now=None):
    """None when one more reset email may be asked for (the request is then counted), else what
    is over its limit: "email" or "address"."""
    now = now or timezone.now()
    recent = _recent(AccessAttempt.Kind.PASSWORD_RESET, RESET_WINDOW, now=now)
    if recent.filter(username=_normalise(email)).count() >= RESETS_PER_EMAIL:
        return "email"
    if ip_address and recent.filter(ip_address=ip_address).count() >= RESETS_PER_ADDRESS:
        return "address"
    AccessAttempt.objects.create(
        kind=AccessAttempt.Kind.PASSWORD_RESET, username=_normalise(email), ip_address=ip_address, attempted_at=now
    )
    return None


def on_login_failed(sender, credentials, request=None, **kwargs):
    """Signal receiver (user_login_failed): count the failure."""
    login_failure_record(username=credentials.get("username", ""), ip_address=client_address(request))


def on_logged_in(sender, request, user, **kwargs):
    """Signal receiver (user_logged_in): a good password forgets the earlier failures."""
    login_failures_clear(username=user.get_username())


def attempts_forget_old(*, now=None):
    """Daily housekeeping: attempts older than a day count for nothing."""
    now = now or timezone.now()
    deleted, _counts = AccessAttempt.objects.filter(attempted_at__lt=now - datetime.timedelta(days=1)).delete()
    return deleted
