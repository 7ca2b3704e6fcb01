import pytest

from commitments.models import Commitment
from commitments.tests.factories import ActionFactory


@pytest.fixture
def commitment(db):
    """3.1, integrated water management: it has focus areas and indicators of every kind."""
    return Commitment.objects.with_axis().get(axis__number=3, number=1)


@pytest.fixture
def submitted_action(ambassador):
    return ActionFactory(by=ambassador, status="submitted")


@pytest.fixture
def draft(ambassador):
    """A draft of the ambassador's, ready to take evidence."""
    return ActionFactory(by=ambassador)
