import uuid

import pytest

from public import cache


@pytest.fixture(autouse=True)
def _own_public_cache(monkeypatch):
    """Each test reads and writes public pages' content of its own: the rows of the next test take
    the same primary keys (and so the same cache keys) again."""
    monkeypatch.setattr(cache, "SALT", uuid.uuid4().hex[:8])
