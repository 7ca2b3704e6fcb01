"""The review-time tally (ReviewTally): decisions per city, reviewer and month, counted in bands
of review time; kept current, rebuilt, and read as medians.

A median does not add up from parts, so the tally keeps the shape of the waits, not a figure:
how many decisions fell in each band. Bands are centred on the units
reports.templatetags.dashboard.duration shows a review time in ("5 horas", "2,5 días"): an hour
wide around each whole hour below 48 hours, a tenth of a day wide around each tenth above (the
first, from 47.5 h, a little narrower). The median read from the bands takes each middle
decision at the middle of its band, so it is never more than half a band from the exact
median: half an hour where the page shows hours, 0.05 day where it shows days, always within
one unit of what is displayed, and a median whose middle decisions share a band shows that
band's figure.

The workflow (services._move) counts a decision in the same transaction that records it; a
draft deleted with its history (services._delete_draft) takes its decisions away. Bulk loads
(bench.seed, the migration) call `rebuild`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from ambassadors.models import City

from .dbfunctions import Microseconds
from .models import ActionStatusChange, ReviewTally

MICROSECONDS = 1_000_000
HOUR = 3600 * MICROSECONDS
TENTH_OF_DAY = 8640 * MICROSECONDS
HOURLY_BANDS = 48  # below 48 hours a wait is shown in hours, from there in days
HOURLY_UNTIL = HOURLY_BANDS * HOUR - HOUR // 2  # where the last hour's band, centred on 47 h, ends
UNTIMED = -1  # a decision whose wait is unknown (no submission recorded): counted, not timed

COLUMNS = ["city_id", "reviewer_id", "month", "bucket", "decisions"]


def bucket(review_time):
    """The band of a review time (a timedelta, or None for unknown)."""
    if review_time is None:
        return UNTIMED
    waited = max(0, review_time // datetime.timedelta(microseconds=1))
    if waited < HOURLY_UNTIL:
        return (waited + HOUR // 2) // HOUR
    return HOURLY_BANDS + (waited - HOURLY_BANDS * HOUR + TENTH_OF_DAY // 2) // TENTH_OF_DAY


def middle(band):
    """The middle of a band, as a timedelta: the value a decision in it stands for, a whole hour
    or a whole tenth of a day, so that a median falling in one band shows what the exact one
    shows."""
    if band < HOURLY_BANDS:
        return datetime.timedelta(microseconds=band * HOUR)
    return datetime.timedelta(microseconds=HOURLY_BANDS * HOUR + (band - HOURLY_BANDS) * TENTH_OF_DAY)


def month_of(moment):
    """The tally's month of a decision: the first day of its month in the site's time zone."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def count(change, sign=1):
    """Add (sign 1) or take away (sign -1) one decision (an ActionStatusChange) from its cell."""
    if change.to_status not in ActionStatusChange.DECISIONS:
        return
    key = [change.city_id, change.by_id, month_of(change.at), bucket(change.review_time)]
    table = connection.ops.quote_name(ReviewTally._meta.db_table)
    where = "city_id = %s AND reviewer_id = %s AND month = %s AND bucket = %s"
    with connection.cursor() as cursor:
        if sign > 0:
            # One statement, so two decisions in the same cell at once both count (tallies._add).
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, 1) "  # noqa: S608
                f"ON CONFLICT (city_id, reviewer_id, month, bucket) DO UPDATE SET decisions = {table}.decisions + 1",
                key,
            )
            return
        cursor.execute(f"UPDATE {table} SET decisions = decisions - 1 WHERE {where}", key)  # noqa: S608
        cursor.execute(f"DELETE FROM {table} WHERE {where} AND decisions = 0", key)  # noqa: S608


def uncount_action(action_id):
    """Take away the decisions of an action about to be deleted with its history."""
    changes = ActionStatusChange.objects.filter(action_id=action_id, to_status__in=ActionStatusChange.DECISIONS)
    for change in changes.only("city_id", "by_id", "at", "review_time", "to_status"):
        count(change, -1)


def _recount(**filters):
    """What the tally should hold, grouped from the decisions themselves."""
    waited = Microseconds("review_time")
    return (
        ActionStatusChange.objects.filter(to_status__in=ActionStatusChange.DECISIONS, **filters)
        .annotate(
            waited=Case(
                When(review_time__lt=datetime.timedelta(0), then=Value(0)),
                default=waited,
                output_field=BigIntegerField(),
            )
        )
        .values(
            "city_id",
            reviewer_id=F("by_id"),
            month=Cast(TruncMonth("at", tzinfo=timezone.get_default_timezone()), DateField()),
            band=Case(
                When(review_time__isnull=True, then=Value(UNTIMED)),
                When(
                    waited__lt=HOURLY_UNTIL,
                    then=ExpressionWrapper((F("waited") + HOUR // 2) / HOUR, BigIntegerField()),
                ),
                default=ExpressionWrapper(
                    HOURLY_BANDS + (F("waited") - HOURLY_BANDS * HOUR + TENTH_OF_DAY // 2) / TENTH_OF_DAY,
                    BigIntegerField(),
                ),
                output_field=IntegerField(),
            ),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def recount():
    """The rows the tally should hold, as tuples in the order of COLUMNS: for checks and tests."""
    return sorted(
        (row["city_id"], row["reviewer_id"], _as_date(row["month"]), row["band"], row["n"]) for row in _recount()
    )


def rows():
    """The rows the tally holds, like recount()."""
    return sorted(ReviewTally.objects.values_list(*COLUMNS))


def _as_date(month):
    return month.date() if isinstance(month, datetime.datetime) else month


def rebuild():
    """Empty the tally and write it again from the decisions (one INSERT … SELECT); returns how
    many rows it holds. The caller runs it in a transaction (tallies.rebuild)."""
    ReviewTally.objects.all().delete()
    select, params = _recount().values_list("city_id", "reviewer_id", "month", "band", "n").query.sql_with_params()
    table = connection.ops.quote_name(ReviewTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(COLUMNS)}) {select}", params)
        return cursor.rowcount


# Reading: the medians of a scope and period, per city, per reviewer and overall, in one query.

GROUPINGS = ("overall", "city", "reviewer")


def _cells(rows, key):
    """(SQL, params): `rows`' decisions per `key` (a column) and band."""
    cells = rows.values(key=F(key), band=F("bucket")).annotate(n=Sum("decisions")).order_by()
    return cells.values_list("key", "band", "n").query.sql_with_params()


def _median_bands(tag, cells):
    """SQL: per key of `cells` (key, band, n), its decisions and the bands of its middle one or
    two timed decisions (the running count of timed decisions by band passes half the total)."""
    timed = "CASE WHEN band >= 0 THEN n ELSE 0 END"
    return (
        f"SELECT {tag} AS tag, key, MAX(decisions) AS decisions, "  # noqa: S608
        "MIN(CASE WHEN band >= 0 AND upto > (timed - 1) / 2 THEN band END) AS low, "
        "MIN(CASE WHEN band >= 0 AND upto > timed / 2 THEN band END) AS high FROM ("
        f"SELECT key, band, SUM({timed}) OVER (PARTITION BY key ORDER BY band) AS upto, "
        f"SUM({timed}) OVER (PARTITION BY key) AS timed, SUM(n) OVER (PARTITION BY key) AS decisions "
        f"FROM {cells}) AS ranked GROUP BY key"
    )


def medians(*, cities, start, end):
    """The review times of `cities` over the whole months [start, end] from the tally: {"overall":
    entry, "city": [entries], "reviewer": [entries]}, each entry with `key` (the city's or
    reviewer's id), `decisions`, `median` (a timedelta, None when no decision was timed) and the
    name to show (`name`; a reviewer's `username`, `first_name`, `last_name`). One query.

    Per city, the tally is read in the order of its (city, bucket, …) index, so the running counts
    need no sort (a thousand cities have over a hundred thousand city-and-band cells in a year at a
    million actions); per reviewer, a few thousand cells, which also add up to the overall ones."""
    rows = ReviewTally.objects.filter(city__in=cities, month__range=(start.replace(day=1), end))
    by_city, city_params = _cells(rows, "city_id")
    by_reviewer, reviewer_params = _cells(rows, "reviewer_id")
    overall = "(SELECT 0 AS key, band, SUM(n) AS n FROM reviewer_cells GROUP BY band) AS overall_cells"
    sql = (
        f"WITH reviewer_cells (key, band, n) AS ({by_reviewer}), grouped AS ("  # noqa: S608
        f"{_median_bands(0, overall)} UNION ALL {_median_bands(1, f'({by_city}) AS city_cells')} "
        f"UNION ALL {_median_bands(2, 'reviewer_cells')}) "
        "SELECT grouped.tag, grouped.key, grouped.decisions, grouped.low, grouped.high, "
        "place.name, person.username, person.first_name, person.last_name FROM grouped "
    )
    params = [*reviewer_params, *city_params]
    city_table = connection.ops.quote_name(City._meta.db_table)
    user_table = connection.ops.quote_name(get_user_model()._meta.db_table)
    sql += (
        f"LEFT JOIN {city_table} place ON grouped.tag = 1 AND place.id = grouped.key "
        f"LEFT JOIN {user_table} person ON grouped.tag = 2 AND person.id = grouped.key"
    )
    found = {grouping: [] for grouping in GROUPINGS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for tag, key, decisions, low, high, name, username, first_name, last_name in cursor.fetchall():
            found[GROUPINGS[tag]].append(
                {
                    "key": key,
                    "decisions": int(decisions),
                    "median": None if low is None else (middle(low) + middle(high)) / 2,
                    "name": name or "",
                    "username": username or "",
                    "first_name": first_name or "",
                    "last_name": last_name or "",
                }
            )
    overall = found["overall"][0] if found["overall"] else {"key": 0, "decisions": 0, "median": None}
    return {"overall": overall, "city": found["city"], "reviewer": found["reviewer"]}
