"""Login lockout and rate limits, counted in the database so every process sees the same counts,
with or without Redis.

A password is checked only once the attempt has been counted, by conditional UPDATEs of
AccessCounter rows, so attempts made in parallel never get more checks than the limit allows:
- five failed logins for one username from one address within fifteen minutes lock that username
  at that address; ten from any addresses lock the username everywhere. A locked username is
  refused whatever password comes next; a successful login forgets its failures.
- an address with twenty failed logins in fifteen minutes (someone trying many usernames) is
  slowed down to one attempt a minute for each username it tries. It is never locked, and the
  minute is not one slot the whole address shares: someone sending one attempt a minute would
  take it for good, and everyone behind that address (a proxy, a shared NAT) would be refused.
  A browser that has logged in as a username keeps a signed device cookie naming it (OWASP's
  "device cookie"); its attempts for that username skip the address's slowdown, not the locks.
Failed logins are also kept as AccessAttempt rows, which admins read and unlock from (action
"unlock"). Password-reset requests are limited per address and per email; report requests per
person (reports/services.py, through person_rate_claim); checks of appointment letters' codes per
address (appointments/views.py, through address_rate_claim).
"""

import datetime
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .models import AccessAttempt, AccessCounter

LOGIN_WINDOW = datetime.timedelta(minutes=15)
LOGIN_FAILURES_PER_PAIR = 5
LOGIN_FAILURES_PER_USERNAME = 10
LOGIN_FAILURES_PER_ADDRESS = 20
ADDRESS_SLOWDOWN = datetime.timedelta(minutes=1)
DEVICE_COOKIE = "login_device"
DEVICE_COOKIE_SALT = "ambassadors.access.login_device"
DEVICE_COOKIE_AGE = datetime.timedelta(days=180)
RESET_WINDOW = datetime.timedelta(hours=1)
RESETS_PER_EMAIL = 3
RESETS_PER_ADDRESS = 10

Limit = AccessCounter.Limit
LOGIN_LIMITS = (Limit.LOGIN_USERNAME, Limit.LOGIN_PAIR, Limit.LOGIN_ADDRESS)


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused before its password is checked, and from when it may try again."""

    locked: bool  # the username is locked; otherwise the address is slowed down
    until: datetime.datetime


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


def _counter(limit, *, username="", ip_address="", window, now):
    """The key's counter (a queryset of its one row), created if missing and started again if its
    window has run out."""
    key = {"limit": limit, "username": username, "ip_address": ip_address or ""}
    AccessCounter.objects.bulk_create([AccessCounter(**key, window_started_at=now)], ignore_conflicts=True)
    counter = AccessCounter.objects.filter(**key)
    # Conditional: of requests that find the window over at the same time, one starts it again.
    counter.filter(window_started_at__lte=now - window).update(window_started_at=now, count=0, next_attempt_at=None)
    return counter


def _count_one_more(counter, *, below):
    """Raise the counter if it is below `below`; whether it was. One statement, so requests in
    parallel cannot all read a count under the limit and then all pass it."""
    return counter.filter(count__lt=below).update(count=F("count") + 1) == 1


def _window_end(counter, window):
    started = counter.values_list("window_started_at", flat=True).first()
    return (started or timezone.now()) + window


def login_attempt_claim(*, username, ip_address, trusted_device=False, now=None):
    """Count a login attempt before its password is checked. None when it may be checked (a
    failure then stays counted), else the Refusal. `trusted_device`: the browser holds a device
    cookie for this username (login_device_trusted), so the address's slowdown does not apply."""
    now = now or timezone.now()
    name = _normalise(username)
    if ip_address and not trusted_device:
        address = _counter(Limit.LOGIN_ADDRESS, ip_address=ip_address, window=LOGIN_WINDOW, now=now)
        below = address.filter(count__lt=LOGIN_FAILURES_PER_ADDRESS).update(count=F("count") + 1)
        if not below:
            address.update(count=F("count") + 1)  # still counted, so one success does not end the slowdown
            # A sprayer: each username gets its own minute from this address (a LOGIN_ADDRESS row
            # keyed by both), so invented names never take a real username's turn. Conditional:
            # of attempts in parallel, the first to find the minute free takes it.
            turn = _counter(Limit.LOGIN_ADDRESS, username=name, ip_address=ip_address, window=LOGIN_WINDOW, now=now)
            free = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
            if not turn.filter(free).update(count=F("count") + 1, next_attempt_at=now + ADDRESS_SLOWDOWN):
                return Refusal(locked=False, until=turn.values_list("next_attempt_at", flat=True).first() or now)
    pair = _counter(Limit.LOGIN_PAIR, username=name, ip_address=ip_address, window=LOGIN_WINDOW, now=now)
    if not _count_one_more(pair, below=LOGIN_FAILURES_PER_PAIR):
        return Refusal(locked=True, until=_window_end(pair, LOGIN_WINDOW))
    everywhere = _counter(Limit.LOGIN_USERNAME, username=name, window=LOGIN_WINDOW, now=now)
    if not _count_one_more(everywhere, below=LOGIN_FAILURES_PER_USERNAME):
        pair.filter(count__gt=0).update(count=F("count") - 1)  # this attempt is not checked
        return Refusal(locked=True, until=_window_end(everywhere, LOGIN_WINDOW))
    return None


def login_device_trusted(request, *, username):
    """Whether the request carries a valid device cookie (signed by this site, younger than its
    age) for this username: a browser that has logged in as it before."""
    if request is None:
        return False
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_AGE.total_seconds()
    )
    return value is not None and value == _normalise(username)


def login_device_remember(response, *, username):
    """After a successful login: the browser's device cookie names this username. HttpOnly, and
    Secure whenever the session cookie is."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        _normalise(username),
        salt=DEVICE_COOKIE_SALT,
        max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def login_succeeded(*, username, ip_address):
    """A good password: the username's failures are forgotten, and the attempt does not count
    against its address."""
    login_failures_clear(username=username)
    login_address_release(ip_address=ip_address)


def login_address_release(*, ip_address):
    """A good password: the attempt does not count against its address (the username's counts
    stay when a second factor follows: ambassadors/twofactor.py)."""
    if ip_address:
        AccessCounter.objects.filter(limit=Limit.LOGIN_ADDRESS, username="", ip_address=ip_address, count__gt=0).update(
            count=F("count") - 1
        )


def login_failure_record(*, username, ip_address):
    """Keep a failed login for the admins to read (the counters have counted it already)."""
    AccessAttempt.objects.create(
        kind=AccessAttempt.Kind.LOGIN_FAILED,
        username=_normalise(username),
        ip_address=ip_address,
        attempted_at=timezone.now(),
    )


def login_failures_clear(*, username):
    """A successful login (or an admin's unlock) forgets the username's failures."""
    name = _normalise(username)
    AccessCounter.objects.filter(limit__in=[Limit.LOGIN_USERNAME, Limit.LOGIN_PAIR], username=name).delete()
    AccessAttempt.objects.filter(kind=AccessAttempt.Kind.LOGIN_FAILED, username=name).delete()


def unlock(*, usernames=(), ip_addresses=()):
    """Admins: lift the lockout of these usernames and the slowdown of these addresses now.
    Returns how many failures were forgotten."""
    names, addresses = [_normalise(name) for name in usernames], list(ip_addresses)
    AccessCounter.objects.filter(Q(username__in=names) | Q(ip_address__in=addresses), limit__in=LOGIN_LIMITS).delete()
    deleted, _counts = AccessAttempt.objects.filter(
        Q(username__in=names) | Q(ip_address__in=addresses), kind=AccessAttempt.Kind.LOGIN_FAILED
    ).delete()
    return deleted


def person_rate_claim(*, limit, user, most, window, now=None):
    """Count one more `limit` request for `user` if fewer than `most` were counted in the current
    window: None when counted, else when the window ends (when they may ask again)."""
    now = now or timezone.now()
    counter = _counter(limit, username=_normalise(user.get_username()), window=window, now=now)
    if _count_one_more(counter, below=most):
        return None
    return _window_end(counter, window)


def address_rate_claim(*, limit, ip_address, most, window, now=None):
    """Count one more `limit` request from `ip_address` (client_address; None counts with every
    address that has none) if fewer than `most` were counted in the current window: None when
    counted, else when the window ends."""
    now = now or timezone.now()
    counter = _counter(limit, ip_address=ip_address or "", window=window, now=now)
    if _count_one_more(counter, below=most):
        return None
    return _window_end(counter, window)


def _recent(kind, window, *, now):
    return AccessAttempt.objects.filter(kind=kind, attempted_at__gte=now - window)


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
    """Signal receiver (user_login_failed): keep the failure for the admins."""
    login_failure_record(username=credentials.get("username", ""), ip_address=client_address(request))


def on_logged_in(sender, request, user, **kwargs):
    """Signal receiver (user_logged_in): a good password forgets the earlier failures."""
    login_failures_clear(username=user.get_username())


def attempts_forget_old(*, now=None):
    """Daily housekeeping: attempts older than a day count for nothing, nor do counters whose
    window started that long ago (every window is shorter). Returns how many attempts went."""
    now = now or timezone.now()
    a_day_ago = now - datetime.timedelta(days=1)
    AccessCounter.objects.filter(window_started_at__lt=a_day_ago).delete()
    deleted, _counts = AccessAttempt.objects.filter(attempted_at__lt=a_day_ago).delete()
    return deleted
