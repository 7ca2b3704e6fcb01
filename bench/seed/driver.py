"""All of it: `seed_database` checks the database may be filled (or flushes it), then seeds
the places and people, exchange rates, funders, actions with their funding opportunities,
targets and transition plans in one transaction, rebuilds the tallies in it, and counts what the
tables hold."""

import datetime
import random
import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from ambassadors.models import Ambassador, City, Coordinator, Country
from commitments import tallies
from commitments.models import (
    Action,
    ActionStatusChange,
    ExchangeRate,
    IndicatorTally,
    IndicatorValue,
    MonthlyTally,
    Target,
)
from funding.models import (
    Disbursement,
    Funder,
    Milestone,
    Opportunity,
    OpportunityStageChange,
    PlanStatusChange,
    TransitionPlan,
)

from . import SeedRefused
from .actions import generate_actions, running_totals
from .catalogue import active_commitments
from .moments import Calendar
from .money import exchange_rates, funders
from .people import USERNAME_PREFIX, create_people, ensure_cities
from .pipeline import pipeline_models
from .plans import create_plans, plan_models
from .tables import create_indexes, drop_indexes, restore_triggers_and_check, skip_foreign_key_triggers
from .targets import create_targets

# Flushing --------------------------------------------------------------------------------


def _models_to_flush():
    """Everything the seeder writes or that hangs on people and actions, children first; then
    the history of those. The catalogue, countries, cities and funders stay."""
    live = [
        "funding.Disbursement",
        "funding.OpportunityStageChange",
        "funding.Document",
        Opportunity.actions.through,
        Opportunity.milestones.through,
        "funding.Opportunity",
        Milestone.commitments.through,
        Milestone.targets.through,
        "funding.Milestone",
        "funding.PlanStatusChange",
        TransitionPlan.commitments.through,
        "funding.TransitionPlan",
        "commitments.Notification",
        "commitments.ActionStatusChange",
        "commitments.IndicatorValue",
        "commitments.Evidence",
        Action.focus_areas.through,
        Action.cities_involved.through,
        "commitments.MonthlyTally",
        "commitments.IndicatorTally",
        "commitments.Action",
        "commitments.Target",
        "commitments.ExchangeRate",
        "reports.Digest_reports",
        "reports.Digest",
        "core.OutgoingEmail",
        "core.EmailPreferences",
        "reports.ProgressReport",
        "appointments.AppointmentLetter",
        "appointments.Acceptance",
        "ambassadors.Ambassador",
        Coordinator.countries.through,
        "ambassadors.Coordinator",
        "ambassadors.AccessAttempt",
        "sessions.Session",
    ]
    found = [apps.get_model(entry) if isinstance(entry, str) else entry for entry in live]
    flushed = set(found)
    history = [
        model
        for model in apps.get_models(include_auto_created=True)
        if getattr(model, "instance_type", None) in flushed
    ]
    return found + sorted(history, key=lambda model: model._meta.db_table)


def existing_data():
    """What would stop a seed without --flush: {what: how many}, only the non-zero ones."""
    counts = {
        "actions": Action.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "transition plans": TransitionPlan.objects.count(),
        "ambassadors": Ambassador.objects.count(),
        "coordinators": Coordinator.objects.count(),
        "scale users": get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).count(),
    }
    return {what: count for what, count in counts.items() if count}


def flush():
    """Delete everything but the catalogue, countries, cities and superusers. Returns the tables emptied."""
    flushed = _models_to_flush()
    tables = [model._meta.db_table for model in flushed]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks still pending (rows written
            # earlier in the same transaction, as in a test): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - a name from _meta
    # Few rows, many relations (history kept for the catalogue and cities points at users): the ORM.
    get_user_model().objects.filter(is_superuser=False).delete()
    return len(tables)


def seed_database(
    *, cities=1000, actions=10000, seed=1, years=4, flush_first=False, today=None, log=lambda message: None
):
    """Fill the database; returns {table: rows} of what it holds afterwards.

    Raises SeedRefused when the database already holds people or actions and `flush_first` is
    False, and when asked for more cities than GeoNames has.
    """
    if cities < 1 or actions < 0 or years < 1:
        raise SeedRefused("--cities and --years must be at least 1, --actions at least 0.")
    started = time.monotonic()

    def step(message):
        log(f"{time.monotonic() - started:7.1f} s  {message}")

    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not secrets
    today = today or timezone.localdate()
    window_start = today - datetime.timedelta(days=365 * years)
    with transaction.atomic():
        existing = existing_data()
        if existing and not flush_first:
            found = ", ".join(f"{count} {what}" for what, count in existing.items())
            raise SeedRefused(
                f"The database already holds {found}. The seeder fills a dedicated benchmark database: "
                "pass --flush to delete everything but the catalogue, countries and cities first."
            )
        if flush_first:
            step(f"flushed {flush()} tables")
        city_list, created = ensure_cities(cities)
        step(f"cities: {len(city_list):,} ({created:,} created)")
        ambassador_ids, ambassador_users, coordinator_of, all_coordinator = create_people(
            rng, city_list, window_start=window_start, today=today
        )
        step(f"people: {len(ambassador_ids):,} ambassadors, {len(coordinator_of) + 1} coordinators")
        calendar = Calendar(window_start, today)
        rates, rate_count = exchange_rates(rng, first_day=calendar.first_day, today=today)
        step(f"exchange rates: {rate_count:,}")
        funder_ids = funders()
        step(f"funders: {len(funder_ids)}")
        commitments = active_commitments(rng)
        ctx = {
            "approved": actions,
            "calendar": calendar,
            "cities": city_list,
            "baseline_year": min(window_start.year, today.year - 1),
            "commitments": commitments,
            "commitment_weights": running_totals([0.5 + rng.random() for _ in commitments]),
            "ambassador_ids": ambassador_ids,
            "ambassador_users": ambassador_users,
            "coordinator_of": coordinator_of,
            "all_coordinator": all_coordinator,
            "rates": rates,
            "funder_ids": funder_ids,
        }
        bulk = [Action, ActionStatusChange, Action.focus_areas.through, IndicatorValue, *pipeline_models()]
        unchecked = skip_foreign_key_triggers([*bulk, Target, *plan_models()])
        dropped = drop_indexes(bulk)
        written, sums, to_milestones = generate_actions(rng, ctx, step)
        step("written: " + ", ".join(f"{count:,} {name}" for name, count in written.items()))
        if dropped:
            create_indexes(dropped)
            step(f"{len(dropped)} indexes built")
        target_count, target_of = create_targets(rng, ctx, sums)
        step(f"targets: {target_count:,}")
        plans = create_plans(rng, ctx, target_of, to_milestones)
        step("plans: " + ", ".join(f"{count:,} {name}" for name, count in plans.items()))
        if unchecked:
            restore_triggers_and_check(unchecked)
            step("foreign keys checked")
        # In the same transaction: the summary tables never disagree with committed actions.
        step(f"tallies rebuilt ({tallies.rebuild()} rows)")
    step("committed")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        step("analyzed")
    return table_counts()


def table_counts():
    User = get_user_model()
    counted = [
        Country,
        City,
        User,
        Ambassador,
        Coordinator,
        Action,
        ActionStatusChange,
        Action.focus_areas.through,
        IndicatorValue,
        Target,
        ExchangeRate,
        MonthlyTally,
        IndicatorTally,
        Funder,
        Opportunity,
        OpportunityStageChange,
        Opportunity.actions.through,
        Disbursement,
        TransitionPlan,
        PlanStatusChange,
        Milestone,
        Opportunity.milestones.through,
    ]
    return {model._meta.db_table: model.objects.count() for model in counted}
