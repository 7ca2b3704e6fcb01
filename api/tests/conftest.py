import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from api import services
from api.throttling import AnonymousRateThrottle, TokenRateThrottle


@pytest.fixture(autouse=True)
def _fresh_throttles(monkeypatch):
    """Each test counts its own requests: the shared cache (Redis in CI) would otherwise carry
    another run's counts for the same user ids."""
    cache = LocMemCache("api-throttle-tests", {})
    cache.clear()
    for throttle in (TokenRateThrottle, AnonymousRateThrottle):
        monkeypatch.setattr(throttle, "cache", cache)


@pytest.fixture
def token_client():
    """token_client(user) -> an APIClient that sends a new personal token of `user`."""

    def make(user, **headers):
        _token, secret = services.token_create(user=user, name="Pruebas", days=30)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}", **headers)
        return client

    return make
