"""The monthly tallies of approved actions (MonthlyTally) and of their indicator values
(IndicatorTally): kept current, rebuilt, and read.

Dashboards, reports and target progress add up tally rows instead of actions, so their cost
follows cities and months, not the number of actions. An action only counts while approved,
and the workflow (services._move) is the one place an action's status changes: it calls
`count` in the same transaction, with the action's row locked, so the tallies never disagree
with the actions they sum. Bulk loads (bench.seed, migrations) call `rebuild`.
"""

import calendar
import datetime

from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber, TruncMonth

from . import review_tally
from .models import PEOPLE_GROUPS, Action, IndicatorTally, IndicatorValue, MonthlyTally

PEOPLE = ["people_reached", *PEOPLE_GROUPS]
COLUMNS = ["city_id", "commitment_id", "month", "actions", *PEOPLE, "last_started_on"]
VALUE_COLUMNS = [
    "city_id",
    "indicator_id",
    "month",
    "value_count",
    "total",
    "latest_started_on",
    "latest_action_pk",
    "latest_value",
]


def count(action_id, sign):
    """Add (sign 1) or take away (sign -1) one approved action from its month's tally."""
    row = Action.objects.filter(pk=action_id).values_list("city_id", "commitment_id", "started_on", *PEOPLE).first()
    if row is None or row[2] is None:
        return
    city_id, commitment_id, started_on, *people = row
    month = started_on.replace(day=1)
    if sign > 0:
        _add(city_id, commitment_id, month, started_on, people)
        _add_values(action_id, city_id, month, started_on)
        return
    # Taken away: the cell exists. Its UPDATE comes first: the row lock it takes makes anything
    # else counted in this city, commitment and month (indicator cells included) wait, in the
    # same order as an approval takes them. Its latest start is found again among what is left.
    cell = MonthlyTally.objects.filter(city_id=city_id, commitment_id=commitment_id, month=month)
    cell.update(
        actions=F("actions") - 1, **{field: F(field) - (n or 0) for field, n in zip(PEOPLE, people, strict=True)}
    )
    _recount_values(action_id, city_id, month)
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


def _add_values(action_id, city_id, month, started_on):
    """The action's indicator values into their cells, in one statement as in _add. An action
    that started later (or the same day with a higher id) brings the cell's latest value."""
    table = connection.ops.quote_name(IndicatorTally._meta.db_table)
    values_table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    key = "{0}.latest_started_on, {0}.latest_action_pk"
    later = f"({key.format('excluded')}) > ({key.format(table)})"
    latest = ", ".join(
        f"{column} = CASE WHEN {later} THEN excluded.{column} ELSE {table}.{column} END"
        for column in ["latest_started_on", "latest_action_pk", "latest_value"]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(VALUE_COLUMNS)}) "  # noqa: S608
            f"SELECT %s, indicator_id, %s, 1, value, %s, action_id, value FROM {values_table} WHERE action_id = %s "
            f"ON CONFLICT (city_id, indicator_id, month) DO UPDATE SET "
            f"value_count = {table}.value_count + 1, total = {table}.total + excluded.total, {latest}",
            [city_id, month, started_on, action_id],
        )


def _recount_values(action_id, city_id, month):
    """The action's cells written again from the approved values left in them."""
    indicators = list(IndicatorValue.objects.filter(action_id=action_id).values_list("indicator_id", flat=True))
    if not indicators:
        return
    IndicatorTally.objects.filter(city_id=city_id, indicator_id__in=indicators, month=month).delete()
    _insert(
        IndicatorTally,
        VALUE_COLUMNS,
        _value_recount(
            action__city_id=city_id, indicator_id__in=indicators, action__started_on__range=(month, _month_end(month))
        ),
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


def _value_recount(**filters):
    """What the indicator tally should hold, from the approved values: one row per cell, the
    one of the action that started last, with the cell's count and sum alongside."""
    cell = [F("action__city_id"), F("indicator_id"), TruncMonth("action__started_on")]
    return (
        IndicatorValue.objects.filter(
            action__status=Action.Status.APPROVED, action__started_on__isnull=False, **filters
        )
        .annotate(
            cell_city=F("action__city_id"),
            cell_month=TruncMonth("action__started_on"),
            cell_count=Window(Count("pk"), partition_by=cell),
            cell_total=Window(Sum("value"), partition_by=cell),
            rank=Window(
                RowNumber(), partition_by=cell, order_by=[F("action__started_on").desc(), F("action_id").desc()]
            ),
        )
        .filter(rank=1)
        .order_by()
        .values_list(
            "cell_city",
            "indicator_id",
            "cell_month",
            "cell_count",
            "cell_total",
            "action__started_on",
            "action_id",
            "value",
        )
    )


def recount():
    """The rows the tally should hold, as tuples in the order of COLUMNS: for checks and tests."""
    return list(_recount().values_list(*COLUMNS))


def rows():
    """The rows the tally holds, like recount()."""
    return list(MonthlyTally.objects.values_list(*COLUMNS))


def value_recount():
    """The rows the indicator tally should hold, in the order of VALUE_COLUMNS."""
    return list(_value_recount())


def value_rows():
    """The rows the indicator tally holds, like value_recount()."""
    return list(IndicatorTally.objects.values_list(*VALUE_COLUMNS))


def _insert(model, columns, query):
    """INSERT … SELECT the query's rows (in the order of `columns`); returns how many."""
    select, params = query.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {select}", params)
        return cursor.rowcount


@transaction.atomic
def rebuild():
    """Empty the tallies (the review tally too) and write them again from the approved actions
    and the decisions, one INSERT … SELECT each; returns how many rows they hold."""
    MonthlyTally.objects.all().delete()
    IndicatorTally.objects.all().delete()
    return (
        _insert(MonthlyTally, COLUMNS, _recount().values_list(*COLUMNS))
        + _insert(IndicatorTally, VALUE_COLUMNS, _value_recount())
        + review_tally.rebuild()
    )


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


def indicator_values(*, city, start, end, today):
    """Per indicator, the approved values of `city` started within [start, end]: their sum
    (total), how many (actions) and the latest one (latest), from the indicator tally when it
    answers for the period, else from the values themselves. Only active indicators: a retired
    one (1.4-a, money typed as an indicator value; money is the funding pipeline's) is not a
    figure any more, as on the panel."""
    if covers(start, end, today):
        cells = IndicatorTally.objects.filter(
            city=city, month__range=(start.replace(day=1), end), indicator__active=True
        )
        latest = cells.filter(indicator=OuterRef("indicator")).order_by("-month").values("latest_value")[:1]
        return (
            cells.values("indicator")
            .annotate(total=Sum("total"), actions=Sum("value_count"), latest=Subquery(latest))
            .order_by()
        )
    values = IndicatorValue.objects.filter(
        action__status=Action.Status.APPROVED,
        action__city=city,
        action__started_on__range=(start, end),
        indicator__active=True,
    )
    latest = values.filter(indicator=OuterRef("indicator")).order_by("-action__started_on", "-action_id")
    return (
        values.values("indicator")
        .annotate(total=Sum("value"), actions=Count("action"), latest=Subquery(latest.values("value")[:1]))
        .order_by()
    )


def latest_start(*, city):
    """The start date of the city's latest approved action, as a subquery (`city` may be OuterRef)."""
    return MonthlyTally.objects.filter(city=city).order_by("-last_started_on").values("last_started_on")[:1]


# A city is inactive when its latest approved action started this many days ago or more, or when
# it has none: the one definition, for the cities table, the map, the weekly summary and the reminders.
INACTIVE_AFTER_DAYS = 30


def with_last_action(cities):
    """`cities` (a City queryset) with `last_action_on`: the start of their latest approved action."""
    return cities.annotate(last_action_on=Subquery(latest_start(city=OuterRef("pk"))))


def days_since(last_action_on, today):
    """Days from the city's latest approved action to `today`; None when it has none."""
    return (today - last_action_on).days if last_action_on else None


def is_inactive(days):
    """Inactive: no approved action ever (`days` None), or the latest started INACTIVE_AFTER_DAYS
    days ago or more. `days`: days_since's answer."""
    return days is None or days >= INACTIVE_AFTER_DAYS
