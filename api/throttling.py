"""Request rates: per token (or per logged-in person) and per address for anonymous requests."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from ambassadors.access import client_address


class _RatesAtCallTime:
    def get_rate(self):
        # Read when asked, not when the class is defined: settings overrides apply.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenRateThrottle(_RatesAtCallTime, throttling.SimpleRateThrottle):
    """One bucket per person, whichever of their tokens (or their session) they call with: a
    token costs one form to make, so a bucket per token would let anyone multiply their rate."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"user-{request.user.pk}"}


class AnonymousRateThrottle(_RatesAtCallTime, throttling.AnonRateThrottle):
    """One bucket per client address, counted as the login lockout counts it: DRF's own
    get_ident believes any X-Forwarded-For a client sends (NUM_PROXIES unset), so a new made-up
    address on each request would never be throttled."""

    scope = "anon"

    def get_ident(self, request):
        return client_address(request) or request.META.get("REMOTE_ADDR", "")
