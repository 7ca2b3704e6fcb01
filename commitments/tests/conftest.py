import datetime

import pytest

from commitments import services
from commitments.models import Commitment


@pytest.fixture
def commitment(db):
    """3.1, integrated water management: it has focus areas and indicators of every kind."""
    return Commitment.objects.with_axis().get(axis__number=3, number=1)


@pytest.fixture
def make_action(commitment):
    """A draft by `by` (an ambassador), complete enough to be submitted unless told otherwise."""

    def make(by, *, complete=True, **data):
        fields = {"title": "Jornada de limpieza del río"}
        if complete:
            fields.update(started_on=datetime.date(2026, 10, 5), description="Limpieza con 40 vecinos.")
        fields.update(data)
        focus_areas = list(commitment.focus_areas.all()[:1]) if complete else []
        return services.action_create(by=by, commitment=commitment, data=fields, focus_areas=focus_areas)

    return make


@pytest.fixture
def submitted_action(ambassador, make_action):
    action = make_action(ambassador)
    return services.action_submit(action=action, by=ambassador)


@pytest.fixture
def draft(ambassador, make_action):
    """A draft of the ambassador's, ready to take evidence."""
    return make_action(ambassador)
