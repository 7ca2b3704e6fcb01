"""The monthly tally of approved actions (MonthlyTally): kept current, rebuilt, and read.

Dashboards and reports add up tally rows instead of actions, so their cost follows cities and
months, not the number of actions. An action only counts while approved, and the workflow
(services._move) is the one place an action's status changes: it calls `count` in the same
transaction, with the action's row locked, so the tally never disagrees with the actions it
sums. Bulk loads (seed_scale, migrations) call `rebuild`.
"""

import calendar
import datetime

from django.db import connection, transaction
from django.db.models import Count, F, Max, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from .models import Action, MonthlyTally

PEOPLE = ["people_reached", "women_reached", "men_reached", "other_reached", "youth_reached"]
COLUMNS = ["city_id", "commitment_id", "month", "actions", *PEOPLE, "last_started_on"]


def count(action_id, sign):
    """Add (sign 1) or take away (sign -1) one approved action from its month's tally."""
    row = Action.objects.filter(pk=action_id).values_list("city_id", "commitment_id", "started_on", *PEOPLE).first()
    if row is None or row[2] is None:
        return
    city_id, commitment_id, started_on, *people = row
    month = started_on.replace(day=1)
    if sign > 0:
        _add(city_id, commitment_id, month, started_on, people)
        return
    # Taken away: the cell exists. Its latest start is found again among what is left.
    cell = MonthlyTally.objects.filter(city_id=city_id, commitment_id=commitment_id, month=month)
    cell.update(
        actions=F("actions") - 1, **{field: F(field) - (n or 0) for field, n in zip(PEOPLE, people, strict=True)}
    )
    cell.filter(actions=0).delete()
    latest = (
        Action.objects.approved()
        .filter(city_id=city_id, commitment_id=commitment_id, started_on__range=(month, _month_end(month)))
        .aggregate(latest=Max("started_on"))["latest"]
    )
    cell.update(last_started_on=latest)


def _add(city_id, commitment_id, month, started_on, people):
    """One statement, so two approvals in the same cell at once both count: the second waits for
    the first's row lock and then adds to what it wrote."""
    table = connection.ops.quote_name(MonthlyTally._meta.db_table)
    added = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in ["actions", *PEOPLE])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) "  # noqa: S608
            f"ON CONFLICT (city_id, commitment_id, month) DO UPDATE SET {added}, last_started_on = CASE "
            f"WHEN {table}.last_started_on IS NULL OR excluded.last_started_on > {table}.last_started_on "
            f"THEN excluded.last_started_on ELSE {table}.last_started_on END",
            [city_id, commitment_id, month, 1, *(n or 0 for n in people), started_on],
        )


def _recount(**filters):
    """What the tally should hold, grouped from the approved actions themselves."""
    return (
        Action.objects.approved()
        .filter(started_on__isnull=False, **filters)
        .values("city_id", "commitment_id", month=TruncMonth("started_on"))
        .annotate(
            actions=Count("pk"),
            **{field: Coalesce(Sum(field), 0) for field in PEOPLE},
            last_started_on=Max("started_on"),
        )
        .order_by()
    )


def recount():
    """The rows the tally should hold, as tuples in the order of COLUMNS: for checks and tests."""
    return list(_recount().values_list(*COLUMNS))


def rows():
    """The rows the tally holds, like recount()."""
    return list(MonthlyTally.objects.values_list(*COLUMNS))


@transaction.atomic
def rebuild():
    """Empty the tally and write it again from the approved actions, in one INSERT … SELECT."""
    MonthlyTally.objects.all().delete()
    select, params = _recount().values_list(*COLUMNS).query.sql_with_params()
    table = connection.ops.quote_name(MonthlyTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(COLUMNS)}) {select}", params)
        return cursor.rowcount


def _month_end(day):
    return datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def covers(start, end, today):
    """Whether the tally answers for [start, end] exactly: whole months only. A period that
    runs to today or later ends with its whole month, since no action starts in the future."""
    return start.day == 1 and (end == _month_end(end) or end >= today)


def approved(*, cities, start, end, today):
    """Approved actions of `cities` started within [start, end], as rows to add up.

    Rows have city, commitment, month, actions, the PEOPLE fields and last_started_on, whether
    they come from the tally (whole months) or from the actions (a period that cuts a month).
    """
    if covers(start, end, today):
        return from_tally(cities=cities, start=start, end=end)
    return from_actions(cities=cities, start=start, end=end)


def from_tally(*, cities, start, end):
    return MonthlyTally.objects.filter(city__in=cities, month__range=(start.replace(day=1), end))


def from_actions(*, cities, start, end):
    """The approved actions themselves, shaped like tally rows of one action each."""
    return (
        Action.objects.approved()
        .filter(city__in=cities, started_on__range=(start, end))
        .annotate(month=TruncMonth("started_on"), actions=Value(1), last_started_on=F("started_on"))
    )


def latest_start(*, city):
    """The start date of the city's latest approved action, as a subquery (`city` may be OuterRef)."""
    return MonthlyTally.objects.filter(city=city).order_by("-last_started_on").values("last_started_on")[:1]
