"""funding 0002 turns every fund row of an action into an opportunity and loses nothing: the
same totals per city, stage and currency before and after, on a copy of the demo's fund rows
and on rows drawn the way the benchmark's seed drew them; each keeps its action, its history
(who moved it, when) and its USD day; and undoing it gives the fund rows back."""

import datetime
import json
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory
from commitments.tests.factories import ActionFactory
from funding.models import Disbursement, Opportunity, OpportunityStageChange

BEFORE = ("funding", "0001_funding")
DEMO_FUNDS = json.loads((Path(__file__).parent / "data" / "demo_funds.json").read_text())
STAGES = ["identified", "applied", "awarded", "disbursed"]
CURRENCIES = ["USD", "PEN", "ARS", "MXN", "BRL"]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _old_apps():
    return MigrationExecutor(connection).loader.project_state([BEFORE]).apps


def _old_totals(apps):
    """Per (city, stage, currency): the sum and the count of the fund rows."""
    totals = Counter()
    for fund in apps.get_model("commitments", "Fund").objects.select_related("action"):
        key = (fund.action.city_id, fund.stage, fund.currency)
        totals[(*key, "amount")] += fund.amount
        totals[(*key, "count")] += 1
    return totals


def _new_totals():
    """The same, read from the pipeline: submitted is the old "applied"; an awarded opportunity
    is the old "awarded" unless money came, which made it "disbursed"."""
    totals = Counter()
    for opportunity in Opportunity.objects.prefetch_related("disbursements"):
        received = sum((d.amount for d in opportunity.disbursements.all()), Decimal(0))
        stage = {"identified": "identified", "submitted": "applied"}.get(opportunity.stage)
        if opportunity.stage == "awarded":
            assert opportunity.amount_awarded == opportunity.amount
            stage = "disbursed" if received else "awarded"
            assert received in (0, opportunity.amount)
        key = (opportunity.city_id, stage, opportunity.currency)
        totals[(*key, "amount")] += opportunity.amount
        totals[(*key, "count")] += 1
    return totals


def _fund_specs(cities):
    """The demo's 16 fund rows (spread over our cities) and 300 drawn like the seed's: the city,
    the action's start and the fund's fields of each."""
    rng = random.Random(21)  # noqa: S311 (test data, not secrets)
    specs = []
    for number, row in enumerate(DEMO_FUNDS):
        started = datetime.date.fromisoformat(row["started_on"])
        specs.append({"city": cities[number % len(cities)], "started_on": started,
                      "amount": Decimal(row["amount"]), "currency": row["currency"], "funder": row["funder"],
                      "stage": row["stage"]})  # fmt: skip
    for _ in range(300):
        city = rng.choice(cities)
        started = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(1400))
        specs.append({"city": city, "started_on": started if rng.random() > 0.1 else None,
                      "amount": Decimal(rng.randrange(100, 10**9)) / 100, "currency": rng.choice(CURRENCIES),
                      "funder": rng.choice(["BID", "CAF", "Gobierno nacional", "Fundación local"]),
                      "stage": rng.choices(STAGES, weights=[30, 30, 25, 15])[0]})  # fmt: skip
    return specs


def _actions(specs, users):
    """One action per fund row, written with today's models before the database goes back to
    funding 0001 (the actions table then loses what came after, and keeps its rows)."""
    return [ActionFactory(by=users[spec["city"]], started_on=spec["started_on"]).pk for spec in specs]


def _demo_and_seed_like_funds(apps, specs, action_ids, cities, users):
    """The fund rows of `specs` on their actions, a third of them with a history of stage
    changes by their ambassador."""
    Fund = apps.get_model("commitments", "Fund")
    HistoricalFund = apps.get_model("commitments", "HistoricalFund")
    histories = []
    funds = [
        Fund(action_id=action_id, amount=spec["amount"], currency=spec["currency"], funder=spec["funder"],
             stage=spec["stage"])
        for spec, action_id in zip(specs, action_ids, strict=True)
    ]  # fmt: skip
    Fund.objects.bulk_create(funds)
    moment = timezone.now() - datetime.timedelta(days=30)
    for fund in funds[::3]:
        user = users[next(city for city in cities if city.pk == fund.action.city_id)]
        steps = STAGES[: STAGES.index(fund.stage) + 1]
        for number, stage in enumerate(steps):
            histories.append(
                HistoricalFund(id=fund.pk, action_id=fund.action_id, amount=fund.amount, currency=fund.currency,
                               funder=fund.funder, stage=stage, history_type="+" if number == 0 else "~",
                               history_date=moment + datetime.timedelta(days=number), history_user_id=user.pk)
            )  # fmt: skip
    HistoricalFund.objects.bulk_create(histories)
    return funds


@pytest.mark.django_db(transaction=True)
def test_every_fund_row_becomes_an_opportunity_with_the_same_totals_and_back(seeded_catalogue, lima, rosario):
    ambassadors = [AmbassadorFactory(city=lima), AmbassadorFactory(city=rosario), AmbassadorFactory()]
    cities = [appointment.city for appointment in ambassadors]
    users = {appointment.city: appointment.user for appointment in ambassadors}
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        specs = _fund_specs(cities)
        action_ids = _actions(specs, users)
        _migrate([BEFORE])
        apps = _old_apps()
        funds = _demo_and_seed_like_funds(apps, specs, action_ids, cities, users)
        before = _old_totals(apps)
        _migrate(leaves)
        after = _new_totals()
        assert after == before
        assert Opportunity.objects.count() == len(funds) == 316
        stages = Counter(Opportunity.objects.values_list("stage", flat=True))
        assert set(stages) == {"identified", "submitted", "awarded"}

        sample = Opportunity.objects.prefetch_related("actions", "stage_changes").order_by("pk")
        for fund, opportunity in zip(funds, sample, strict=True):
            (action,) = opportunity.actions.all()
            assert action.pk == fund.action_id and opportunity.city_id == action.city_id
            assert opportunity.identified_on == (action.started_on or action.created_at.date()), "its USD day"
            assert opportunity.funder_name == fund.funder and opportunity.funder is None
            changes = list(opportunity.stage_changes.all())
            assert changes[0].from_stage == "" and changes[-1].to_stage == opportunity.stage
            assert all(change.by_id == users[action.city].pk for change in changes)
            assert action.title in changes[0].comment
        with_history = Opportunity.objects.get(actions=funds[3].action_id)
        path = {"identified": ["identified"], "applied": ["identified", "submitted"]}
        expected = path.get(funds[3].stage, ["identified", "submitted", "awarded"])  # disbursed stays awarded
        assert [change.to_stage for change in with_history.stage_changes.all()] == expected
        assert with_history.history.count() == STAGES.index(funds[3].stage) + 1
        assert Disbursement.objects.count() == sum(fund.stage == "disbursed" for fund in funds)
        assert OpportunityStageChange.objects.filter(by=None).count() == 0

        _migrate([BEFORE])
        assert _old_totals(_old_apps()) == before, "undone, the fund rows come back as they were"
    finally:
        _migrate(leaves)
