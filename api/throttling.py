"""Request rates: per token (or per logged-in person) and per address for anonymous requests."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from ambassadors.access import client_address


class _RatesAtCallTime:
    def get_rate(self):
        # Read when asked, not when the class is defined: settings overrides apply.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenRateThrottle(_RatesAtCallTime, throttling.SimpleRateThrottle):
    """One bucket per token; a session (the browsable docs) gets the person's own bucket."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        auth = getattr(request, "auth", None)
        ident = f"token-{auth.pk}" if auth is not None and hasattr(auth, "key_hash") else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(_RatesAtCallTime, throttling.AnonRateThrottle):
    """One bucket per client address, counted as the login lockout counts it: DRF's own
    get_ident believes any X-Forwarded-For a client sends (NUM_PROXIES unset), so a new made-up
    address on each request would never be throttled."""

    scope = "anon"

    def get_ident(self, request):
        return client_address(request) or request.META.get("REMOTE_ADDR", "")
