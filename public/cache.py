"""The public pages' rendered content in Django's cache (Redis in production, shared by every
process), per city, language and page of actions, under version keys that a write bumps.

A key holds a random token, not a counter: a version key evicted and made again never names
content cached under an earlier one. A bump runs once the write's transaction commits (a bump
before the commit would let a request in between cache the old rows under the new version), and
it bumps the network page's version too, which adds up every public city. The day is in the
key: a target's expected progress moves with it.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation

# How long a rendered page is kept at most; a bump makes it unreachable at once.
TIMEOUT = 60 * 60
NETWORK = "network"
# Whatever every page shows (the catalogue's names, exchange rates, cities' names).
EVERYTHING = "all"
# Tests set it to keep one test's content from the next (their rows take the same keys again).
SALT = ""


def _prefix():
    """The keys of one database: one cache (Redis) may serve several, as the test processes'."""
    database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12]
    return f"public:{database}{SALT}"


def _version_key(scope):
    return f"{_prefix()}:version:{scope}"


def versions(*scopes):
    """The current token of each scope (one cache round trip), made for those that have none."""
    keys = [_version_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
    return [found.get(key) or missing[key] for key in keys]


def _bump_now(*scopes):
    cache.set_many({_version_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)


def bump_city(city_id):
    """What city `city_id`'s page shows changed: its page and the network's are rendered again."""
    transaction.on_commit(lambda: _bump_now(f"city:{city_id}", NETWORK))


def bump_everything():
    transaction.on_commit(lambda: _bump_now(EVERYTHING))


def content_key(scope, *parts):
    """The cache key of a page's content: its scope's version and the whole site's, the language,
    the day and the `parts` that select what it shows (the page of actions)."""
    own, everything = versions(scope, EVERYTHING)
    language = translation.get_language() or "es"
    day = timezone.localdate().isoformat()
    return ":".join([_prefix(), "content", scope, own, everything, language, day, *map(str, parts)])


def cached(key, render):
    """The content under `key`, rendered by `render()` and stored when missing."""
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, timeout=TIMEOUT)
    return content
