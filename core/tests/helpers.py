"""Hypothesis profiles: a few examples while developing, the full count in CI.

HYPOTHESIS_PROFILE=ci (set by .ci/run) runs every test's full count; without it the dev profile
runs a fifth of it. A test that sets its own count asks examples(count) for it: the count is
CI's, the dev profile takes the same share of it."""

import os

from hypothesis import settings

CI_EXAMPLES = 100  # Hypothesis's own default
PROFILES = {"ci": CI_EXAMPLES, "dev": 20}


def load_profile():
    """Register both profiles and load the one HYPOTHESIS_PROFILE names (dev by default)."""
    for name, count in PROFILES.items():
        settings.register_profile(name, max_examples=count)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def examples(count, **options):
    """settings() with `count` examples in CI, and the loaded profile's share of them otherwise."""
    share = settings.default.max_examples / CI_EXAMPLES
    return settings(max_examples=max(1, round(count * share)), **options)


def page_queries(client, pages):
    """{name: queries of one GET of its path}, each page asked twice first (caches and sessions
    warm; a first visit's redirect followed), for tests that hold a page's query count flat as
    the data grows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in pages.items():
        for _warm_up in range(2):
            assert client.get(path, follow=True).status_code == 200, name
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, name
        counts[name] = len(captured)
    return counts
