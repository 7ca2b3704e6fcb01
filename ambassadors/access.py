"""Login lockout and rate limits, counted in the database (AccessAttempt).

Five failed logins for one username within fifteen minutes lock that username for the rest of
the window, whatever password comes next; twenty from one address lock that address (someone
trying many usernames). Admins unlock at once from the admin (AccessAttempt, action "unlock").
Password-reset requests are limited per address and per email.
"""

import datetime

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
    """The client's IP as the server saw it. Behind a proxy, configure the proxy to set
    REMOTE_ADDR (e.g. gunicorn's --forwarded-allow-ips): a header a client can forge is not read."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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


def password_reset_allowed(*, email, ip_address, now=None):
    """Whether one more reset email may be asked for; if so the request is counted."""
    now = now or timezone.now()
    recent = _recent(AccessAttempt.Kind.PASSWORD_RESET, RESET_WINDOW, now=now)
    if recent.filter(username=_normalise(email)).count() >= RESETS_PER_EMAIL:
        return False
    if ip_address and recent.filter(ip_address=ip_address).count() >= RESETS_PER_ADDRESS:
        return False
    AccessAttempt.objects.create(
        kind=AccessAttempt.Kind.PASSWORD_RESET, username=_normalise(email), ip_address=ip_address, attempted_at=now
    )
    return True


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
