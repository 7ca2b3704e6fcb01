"""The invitation's link: signed (django.core.signing, whose checks take constant time) over the
invitation's id and its current nonce, so that a link is single-use (accepting clears the nonce),
dies when the invitation is sent again (a new nonce) or revoked, and cannot be forged or altered.

A visitor's address that opens many bad links is refused for a while, so the page cannot be used
to try links (the signature already makes that hopeless; the limit keeps the page cheap). Counted
in the cache, which every process shares when Redis is configured.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from ambassadors.access import client_address

from .models import Invitation

SALT = "invitations.link"
BAD_LINKS_PER_ADDRESS = 20
BAD_LINK_WINDOW = 15 * 60  # seconds


class Problem:
    """Why a link does not work (the page that says so in the visitor's language)."""

    INVALID = "invalid"  # tampered, truncated, or of no invitation
    REPLACED = "replaced"  # the invitation was sent again: a newer link works
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"
    CLOSED = "closed"  # the appointment can no longer be made (someone else took the post, ...)


def new_nonce():
    return secrets.token_urlsafe(24)


def token_for(invitation):
    # No timestamp in it (the invitation's expires_at says when it ends): one link per sending.
    return signing.Signer(salt=SALT).sign_object({"i": invitation.pk, "n": invitation.nonce})


def link_for(invitation):
    return settings.SITE_URL + reverse("invitations:accept", args=[token_for(invitation)])


def invitation_from_token(token):
    """(invitation, None) when the link works now, else (invitation or None, Problem)."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
        pk, nonce = int(value["i"]), str(value["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, Problem.INVALID
    invitation = (
        Invitation.objects.select_related("city__country", "invited_by", "succeeds__user")
        .prefetch_related("countries")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        return None, Problem.INVALID
    if invitation.accepted_at:
        return invitation, Problem.USED
    if invitation.revoked_at:
        return invitation, Problem.REVOKED
    if not nonce or not constant_time_compare(nonce, invitation.nonce):
        return invitation, Problem.REPLACED
    if invitation.state == Invitation.State.EXPIRED:
        return invitation, Problem.EXPIRED
    return invitation, None


def _key(request):
    return f"invitations:bad-links:{client_address(request) or 'unknown'}"


def address_refused(request):
    """Whether this address opened too many bad links lately."""
    return (cache.get(_key(request)) or 0) >= BAD_LINKS_PER_ADDRESS


def bad_link_count(request):
    """Count one bad link from the request's address (add then incr: atomic on Redis)."""
    key = _key(request)
    if not cache.add(key, 1, timeout=BAD_LINK_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=BAD_LINK_WINDOW)
