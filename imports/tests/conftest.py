import functools

import pytest
from django.urls import reverse

from .helpers import upload


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """upload() with the check run as the worker would, once the upload's transaction commits."""
    return functools.partial(upload, capture=django_capture_on_commit_callbacks)


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """POST "Confirmar e importar" as the person would; the apply it queues runs as the worker
    would (eagerly), once the request's transaction commits. Returns the response."""

    def post(client, job, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("imports:job_apply", args=[job.pk]), **kwargs)

    return post
