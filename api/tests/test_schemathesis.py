"""Schemathesis against the live schema, as an ambassador (with a token) and as a coordinator:
no request makes a server error, and every answer is one the schema documents, in its shape.

Bounded for `make test`: a few derandomized examples per operation, half of them on real ids of
Lima's work so that the answers are not only 404s."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ambassadors.tests.second_factor import app_of
from api import services

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 10
RESOURCE = re.compile(r"^/api/v1/([a-z]+)/")


def _real_ids(world, lima):
    return {
        "actions": [world["draft"].pk, world["submitted"].pk, world["valued"].pk],
        "targets": [world["target"].pk],
        "reports": [world["report"].pk],
        "practices": [world["practice"].pk],
        "plans": [world["plan"].pk],
        "opportunities": [world["opportunity"].pk],
        "cities": [lima.pk],
        "axes": [1],
        "commitments": [world["draft"].commitment_id],
        "indicators": [world["target"].indicator_id],
    }


def _strategy(operation, real_ids):
    strategy = operation.as_strategy()
    valid = {  # a valid body too, so that a 201 is checked
        "POST /api/v1/actions/": {"commitment": real_ids["commitments"][0], "title": "Schemathesis"},
        "POST /api/v1/targets/": {
            "city": real_ids["cities"][0],
            "indicator": real_ids["indicators"][0],
            "horizon": "long",
            "baseline": 0,
            "baseline_year": 2025,
            "target_value": 1000,
            "due_on": "2030-12-31",
        },
    }
    if operation.label in valid:
        body = valid[operation.label]
        return st.one_of(strategy, operation.as_strategy(body=body, media_type="application/json"))
    match = RESOURCE.match(operation.path)
    if "{id}" in operation.path and match:
        real = [operation.as_strategy(path_parameters={"id": pk}) for pk in real_ids[match.group(1)]]
        strategy = st.one_of(strategy, *real)
    return strategy


def _exercise(operation, strategy, headers, failures):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Exception as error:  # collected, reported together below
        failures.append(f"{operation.label}: {error}")


@pytest.fixture
def _connection_kept():
    """The WSGI application closes the database connection after each request as a server does;
    inside the test's transaction (autocommit off) that would close it for good, on PostgreSQL.
    Django's test client does the same: it disconnects close_old_connections for its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_connection_kept")
@pytest.mark.parametrize("role", ["ambassador", "coordinator"])
def test_every_operation_answers_as_its_schema_says(role, request, lima_world, lima, record_property):
    user = request.getfixturevalue(role)
    if role == "coordinator":
        app_of(user)  # a coordinator's token works only with a second factor (api/permissions.py)
    _token, secret = services.token_create(user=user, name="Schemathesis", days=30)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    real_ids = _real_ids(lima_world, lima)
    headers = {"Authorization": f"Bearer {secret}"}
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        _exercise(operation, _strategy(operation, real_ids), headers, failures)

    record_property(
        "terminal_summary",
        f"Schemathesis: {len(operations)} operations, {EXAMPLES} examples each, as ambassador and coordinator",
    )
    assert not failures, "\n\n".join(failures)
