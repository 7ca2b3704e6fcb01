import datetime
from decimal import Decimal

import pytest

from commitments import services
from commitments.models import Commitment, ExchangeRate


@pytest.fixture
def log_action(db):
    """log_action(ambassador, reviewer=None, status="approved", commitment="3.1", **fields)."""
    commitments = {c.code: c for c in Commitment.objects.with_axis()}

    def log(ambassador, *, reviewer=None, status="approved", commitment="3.1", funds=None, **fields):
        chosen = commitments[commitment]
        data = {"title": "Acción", "description": "Hecho.", "started_on": datetime.date(2026, 3, 10), **fields}
        action = services.action_create(
            by=ambassador,
            commitment=chosen,
            data=data,
            focus_areas=list(chosen.focus_areas.all()[:1]),
            funds=funds,
        )
        if status != "draft":
            services.action_submit(action=action, by=ambassador)
        if status == "approved":
            services.action_approve(action=action, by=reviewer)
        elif status == "returned":
            services.action_return(action=action, by=reviewer, comment="Corrija.")
        return action

    return log


@pytest.fixture
def pen_rate(db):
    return ExchangeRate.objects.create(
        currency="PEN", usd_per_unit=Decimal("0.25"), effective_on=datetime.date(2025, 1, 1)
    )
