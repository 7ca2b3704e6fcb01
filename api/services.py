"""Writes on personal API tokens: create (the secret is returned once), revoke one or all, note a use."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SECRET_PREFIX, VISIBLE_CHARS, ApiToken, secret_hash

# The lifetimes a person may choose, in days; a token never lives longer than a year.
LIFETIMES = (30, 90, 365)
# How stale last_used_at may get: a token used many times a minute writes once a minute.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def token_create(*, user, name, days):
    """A new token of `user`, valid `days` days. Returns (token, secret): the secret is never
    stored, only its hash and its first characters, so this is the one time anyone sees it."""
    if days not in LIFETIMES:
        raise ValueError(f"days must be one of {LIFETIMES}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:VISIBLE_CHARS],
        key_hash=secret_hash(secret),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return token, secret


def token_revoke(*, token, by):
    """Revoke one of `by`'s own tokens; revoking it again changes nothing."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("Este token no es suyo."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_revoke_all(*, user_id):
    """Revoke every token of a person still in use (their second factor was removed: a token made
    under it must not outlive it). Returns how many."""
    return ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_used(*, token, now=None):
    """Note that `token` was used: a conditional UPDATE that writes at most once a minute, so
    busy clients do not turn every read into a write."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gte=now - LAST_USED_PRECISION).update(last_used_at=now)
