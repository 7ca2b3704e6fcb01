"""commitments 0020 gives every action a kind: the actions written before it are general and go
on working as they did (edited, sent, approved, counted), and the seeded commitments offer the
kinds the organisation's document describes (1.2 trainings, 1.3 participation, 2.1 policies,
3.1 hazard responses, 1.1 exchanges)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ambassadors.tests.factories import AmbassadorFactory, UserFactory
from commitments import services
from commitments.models import Action, Commitment, MonthlyTally

BEFORE = ("commitments", "0019_funds_moved_to_funding")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _old_actions(appointment, count):
    """Actions written as the app did before kinds existed, through the old models."""
    apps = MigrationExecutor(connection).loader.project_state([BEFORE]).apps
    OldAction = apps.get_model("commitments", "Action")
    water = apps.get_model("commitments", "Commitment").objects.get(axis__number=3, number=1)
    actions = [
        OldAction.objects.create(
            ambassador_id=appointment.pk,
            city_id=appointment.city_id,
            commitment=water,
            title=f"Limpieza {number}",
            description="Con vecinos.",
            started_on=datetime.date(2026, 9, 1 + number),
            people_reached=40,
            women_reached=20,
            youth_reached=10,
        )
        for number in range(count)
    ]
    area = water.focus_areas.first()
    for action in actions:
        action.focus_areas.add(area)
    return [action.pk for action in actions]


@pytest.mark.django_db(transaction=True)
def test_actions_written_before_kinds_are_general_and_keep_working(seeded_catalogue, lima):
    appointment = AmbassadorFactory(city=lima)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate([BEFORE])
        pks = _old_actions(appointment, 3)
        _migrate(leaves)

        actions = Action.objects.filter(pk__in=pks).order_by("pk")
        assert [action.kind for action in actions] == ["general"] * 3
        assert [(a.people_reached, a.women_reached, a.youth_reached) for a in actions] == [(40, 20, 10)] * 3
        assert [a.disability_reached for a in actions] == [None] * 3

        # Edited, sent and approved as before; the approval is counted.
        action = services.action_update(action=actions[0], by=appointment.user, data={"title": "Limpieza del río"})
        assert action.kind == "general"
        action = services.action_submit(action=action, by=appointment.user)
        services.action_approve(action=action, by=UserFactory(is_staff=True, is_superuser=True))
        assert Action.objects.get(pk=pks[0]).status == Action.Status.APPROVED
        assert MonthlyTally.objects.filter(city=lima).values_list("actions", "people_reached").get() == (1, 40)

        offered = {c.code: c.offered_kinds for c in Commitment.objects.with_axis()}
        assert offered == {
            "1.1": ["general", "exchange"],
            "1.2": ["general", "training"],
            "1.3": ["general", "participation"],
            "1.4": ["general"],
            "2.1": ["general", "policy"],
            "3.1": ["general", "hazard_response"],
        }
    finally:
        _migrate(leaves)
