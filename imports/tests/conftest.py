import functools

import pytest

from .helpers import upload


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """upload() with the check run as the worker would, once the upload's transaction commits."""
    return functools.partial(upload, capture=django_capture_on_commit_callbacks)
