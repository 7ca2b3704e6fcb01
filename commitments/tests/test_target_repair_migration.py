"""0017 repairs the targets Django admin saved due in their baseline year (it used to refuse to
run, halfway through a deploy): the baseline year becomes the year before the due date, the
repair is in the target's history, and the database then refuses such targets."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from commitments import services
from commitments.models import Indicator, Target

BEFORE = ("commitments", "0016_retire_typed_funds_indicator")
REPAIR = ("commitments", "0017_target_due_after_baseline_year")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_a_target_due_in_its_baseline_year_is_repaired_and_then_refused(seeded_catalogue, ambassador, lima, capsys):
    water = Indicator.objects.get(code="3.1-b")
    target = services.target_save(
        by=ambassador, city=lima, indicator=water, horizon="long", baseline=Decimal(61), baseline_year=2025,
        target_value=Decimal(95), due_on=datetime.date(2027, 6, 30),
    )  # fmt: skip
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(BEFORE)
        old_target = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("commitments", "Target")
        old_target.objects.filter(pk=target.pk).update(baseline_year=2027)  # as admin could save it
        entries = Target.history.filter(id=target.pk).count()

        migrate(REPAIR)
    finally:
        MigrationExecutor(connection).migrate(leaves)

    target.refresh_from_db()
    assert (target.baseline_year, target.due_on, target.baseline, target.target_value) == (
        2026, datetime.date(2027, 6, 30), Decimal(61), Decimal(95),
    )  # fmt: skip
    repair = Target.history.filter(id=target.pk).latest("history_date", "history_id")
    assert Target.history.filter(id=target.pk).count() == entries + 1
    assert (repair.history_type, repair.history_user, repair.baseline_year) == ("~", None, 2026)
    assert "0017" in repair.history_change_reason
    assert f"Target #{target.pk} repaired" in capsys.readouterr().out
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(baseline_year=2027)
