"""Approvals at the same moment, in the same tally cells: each is counted once, none is lost."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from commitments import services, tallies
from commitments.models import IndicatorTally, MonthlyTally
from commitments.tests.factories import ActionFactory
from core.tests.threads import at_once

APPROVALS = 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_in_one_cell_are_all_counted(seeded_catalogue, ambassador, admin, commitment):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on it)")
    indicator = commitment.indicators.first()
    actions = []
    for n in range(APPROVALS):
        action = ActionFactory(by=ambassador, started_on=datetime.date(2025, 6, 1 + n), people_reached=10 + n)
        services.action_update(action=action, by=ambassador, data={}, indicator_values={indicator.pk: Decimal(n + 1)})
        actions.append(services.action_submit(action=action, by=ambassador))
    # The first one alone: the others then all find the cells there and add to them at once.
    services.action_approve(action=actions.pop(0), by=admin)
    outcomes = at_once(lambda action: services.action_approve(action=action, by=admin), actions)

    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == []
    cell = MonthlyTally.objects.get()
    assert (cell.actions, cell.people_reached) == (APPROVALS, sum(10 + n for n in range(APPROVALS)))
    values = IndicatorTally.objects.get()
    assert (values.value_count, values.total) == (APPROVALS, sum(range(1, APPROVALS + 1)))
    # The one that started last is the latest, whatever order the approvals committed in.
    assert (values.latest_started_on, values.latest_value) == (datetime.date(2025, 6, APPROVALS), APPROVALS)
    assert sorted(tallies.rows()) == sorted(tallies.recount())
    assert sorted(tallies.value_rows()) == sorted(tallies.value_recount())
