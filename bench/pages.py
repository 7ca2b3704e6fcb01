"""Coordinator pages at scale, against a floor of hand-written SQL. PostgreSQL only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omcs_seed_dev \\
        .venv/bin/python -m bench.pages [--requests 50] [--floor-requests 20] [--json FILE] [--explain 3]

The database must already hold the data (python -m bench.seed: its coordinator of every country,
scale.coord.all, is the visitor). Measured in-process with django.test.Client, logged in once:

- the coordinator overview /panel/ with its default period (this year);
- "Mi ciudad" (commitments:city_progress) of the busiest city (most approved actions) and of the
  median one, seen by the same coordinator.

Each page: a cold request, a few warm-up ones, then `requests` timed ones (client.get: middleware,
view, queries and template rendering), the SQL queries of one request, its status and size.

The floor is what the database alone needs to produce the same figures: the queries below, run
one after the other with cursor.execute and fetched, timed as a whole per "request". Two
variants: straight from the base tables (actions, status changes, funds with the exchange-rate
rule, targets with the on-track rule, ambassadors), and with the monthly tally
(commitments_monthlytally, and commitments_indicatortally for targets) in place of the actions
wherever they can answer. A page's median over
a floor's median tells how much the application adds on top of the unavoidable SQL; page and
floor runs alternate, round by round, so that both see the same load on the machine.

A measurement whose first run is slow is capped to what fits in `time_budget` seconds (at least
MIN_REPETITIONS runs), and says so ("capped"). --explain N captures the SQL of one /panel/
request, times each query again and prints EXPLAIN ANALYZE of the N slowest.

Read-only but for the login: force_login writes one session row (deleted by the logout at the
end) and sets the coordinator's last_login. No Redis is needed: without REDIS_URL the cache is
in-process.
"""

import argparse
import datetime
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

COORDINATOR = "scale.coord.all"
WARMUP_REQUESTS = 3
MIN_REPETITIONS = 5
TIME_BUDGET = 120.0  # seconds per measurement before its repetitions are capped


# The floor's SQL. Parameters: %(user_id)s the visitor; %(cities)s the ids of the cities in scope
# (the result of "scope", which each floor request runs first); %(start)s and %(end)s the period
# (dates); %(start_at)s and %(end_at)s the same period as instants in the site's time zone (a
# range on status changes' `at` that an index can use); %(today)s; for a city page %(city_id)s,
# %(year_start)s and %(last_year)s (the first day of the chart's twelve months).

SCOPE_SQL = """
SELECT c.id
FROM ambassadors_city c
WHERE c.country_id IN (
        SELECT cc.country_id
        FROM ambassadors_coordinator co
        JOIN ambassadors_coordinator_countries cc ON cc.coordinator_id = co.id
        WHERE co.user_id = %(user_id)s AND co.active)
  AND EXISTS (SELECT 1 FROM ambassadors_ambassador am WHERE am.city_id = c.id)
"""

# Overview figures that only the base tables hold, whichever variant.
OVERVIEW_SHARED_SQL = {
    "in_office": """
        SELECT count(*)
        FROM ambassadors_ambassador am
        WHERE am.city_id = ANY(%(cities)s::bigint[])
          AND am.appointed_on <= %(end)s
          AND (am.ended_on IS NULL OR am.ended_on >= %(start)s)
          AND am.status <> 'paused'
    """,
    "waiting": """
        SELECT count(*), min(a.submitted_at)
        FROM commitments_action a
        WHERE a.status = 'submitted' AND a.city_id = ANY(%(cities)s::bigint[])
    """,
    "decisions": """
        SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.review_time)
        FROM commitments_actionstatuschange sc
        WHERE sc.to_status IN ('approved', 'returned')
          AND sc.at >= %(start_at)s AND sc.at < %(end_at)s
          AND sc.city_id = ANY(%(cities)s::bigint[])
    """,
    # USD: 1 for dollars, else the rate in force on the action's start (or creation) date.
    "funds": """
        SELECT f.stage, f.currency, sum(f.amount) AS amount, sum(f.amount * r.rate) AS usd,
               count(*) FILTER (WHERE r.rate IS NULL) AS without_rate
        FROM commitments_fund f
        JOIN commitments_action a ON a.id = f.action_id
        CROSS JOIN LATERAL (
            SELECT CASE WHEN f.currency = 'USD' THEN 1 ELSE (
                SELECT er.usd_per_unit
                FROM commitments_exchangerate er
                WHERE er.currency = f.currency
                  AND er.effective_on <= coalesce(a.started_on, a.created_at::date)
                ORDER BY er.effective_on DESC
                LIMIT 1) END AS rate
        ) r
        WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
          AND a.city_id = ANY(%(cities)s::bigint[])
        GROUP BY f.stage, f.currency
        ORDER BY f.stage, f.currency
    """,
    "review_per_reviewer": """
        SELECT sc.by_id, u.username, u.first_name, u.last_name, count(*) AS decisions,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.review_time) AS median
        FROM commitments_actionstatuschange sc
        JOIN auth_user u ON u.id = sc.by_id
        WHERE sc.to_status IN ('approved', 'returned')
          AND sc.at >= %(start_at)s AND sc.at < %(end_at)s
          AND sc.city_id = ANY(%(cities)s::bigint[])
        GROUP BY sc.by_id, u.username, u.first_name, u.last_name
        ORDER BY decisions DESC, u.username
    """,
    "review_per_city": """
        SELECT sc.city_id, c.name, count(*) AS decisions,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.review_time) AS median
        FROM commitments_actionstatuschange sc
        JOIN ambassadors_city c ON c.id = sc.city_id
        WHERE sc.to_status IN ('approved', 'returned')
          AND sc.at >= %(start_at)s AND sc.at < %(end_at)s
          AND sc.city_id = ANY(%(cities)s::bigint[])
        GROUP BY sc.city_id, c.name
        ORDER BY c.name
    """,
    "countries": """
        SELECT DISTINCT c.country_id FROM ambassadors_city c WHERE c.id = ANY(%(cities)s::bigint[]) ORDER BY 1
    """,
}

# Overview figures on approved actions: counted from the actions themselves.
OVERVIEW_ACTIONS_SQL = {
    "totals": """
        SELECT count(*) AS approved, count(DISTINCT a.city_id) AS active_cities,
               coalesce(sum(a.people_reached), 0) AS people, coalesce(sum(a.women_reached), 0) AS women,
               coalesce(sum(a.men_reached), 0) AS men, coalesce(sum(a.other_reached), 0) AS other,
               coalesce(sum(a.youth_reached), 0) AS youth
        FROM commitments_action a
        WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
          AND a.city_id = ANY(%(cities)s::bigint[])
    """,
    "coverage": """
        SELECT x.number, cm.number, cm.title_es, coalesce(covered.cities, 0)
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN (
            SELECT a.commitment_id, count(DISTINCT a.city_id) AS cities
            FROM commitments_action a
            WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
              AND a.city_id = ANY(%(cities)s::bigint[])
            GROUP BY a.commitment_id
        ) covered ON covered.commitment_id = cm.id
        WHERE cm.active
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT date_trunc('month', a.started_on)::date AS month, cm.axis_id,
               count(*) AS approved, coalesce(sum(a.people_reached), 0) AS people
        FROM commitments_action a
        JOIN commitments_commitment cm ON cm.id = a.commitment_id
        WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
          AND a.city_id = ANY(%(cities)s::bigint[])
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
    # The map: each city's approved actions in the period and its latest approved action ever.
    "cities": """
        SELECT c.id, c.name, c.latitude, c.longitude, coalesce(p.approved, 0) AS approved,
               latest.started_on AS last_approved_on
        FROM ambassadors_city c
        LEFT JOIN (
            SELECT a.city_id, count(*) AS approved
            FROM commitments_action a
            WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
              AND a.city_id = ANY(%(cities)s::bigint[])
            GROUP BY a.city_id
        ) p ON p.city_id = c.id
        LEFT JOIN LATERAL (
            SELECT a.started_on
            FROM commitments_action a
            WHERE a.city_id = c.id AND a.status = 'approved' AND a.started_on IS NOT NULL
            ORDER BY a.started_on DESC
            LIMIT 1
        ) latest ON true
        WHERE c.id = ANY(%(cities)s::bigint[])
        ORDER BY c.name
    """,
}

# The same figures from the monthly tally (the period is whole months).
OVERVIEW_TALLY_SQL = {
    "totals": """
        SELECT coalesce(sum(t.actions), 0) AS approved, count(DISTINCT t.city_id) AS active_cities,
               coalesce(sum(t.people_reached), 0) AS people, coalesce(sum(t.women_reached), 0) AS women,
               coalesce(sum(t.men_reached), 0) AS men, coalesce(sum(t.other_reached), 0) AS other,
               coalesce(sum(t.youth_reached), 0) AS youth
        FROM commitments_monthlytally t
        WHERE t.month BETWEEN %(start)s AND %(end)s AND t.city_id = ANY(%(cities)s::bigint[])
    """,
    "coverage": """
        SELECT x.number, cm.number, cm.title_es, coalesce(covered.cities, 0)
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN (
            SELECT t.commitment_id, count(DISTINCT t.city_id) AS cities
            FROM commitments_monthlytally t
            WHERE t.month BETWEEN %(start)s AND %(end)s AND t.city_id = ANY(%(cities)s::bigint[])
            GROUP BY t.commitment_id
        ) covered ON covered.commitment_id = cm.id
        WHERE cm.active
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT t.month, cm.axis_id, sum(t.actions) AS approved, sum(t.people_reached) AS people
        FROM commitments_monthlytally t
        JOIN commitments_commitment cm ON cm.id = t.commitment_id
        WHERE t.month BETWEEN %(start)s AND %(end)s AND t.city_id = ANY(%(cities)s::bigint[])
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
    "cities": """
        SELECT c.id, c.name, c.latitude, c.longitude,
               coalesce(sum(t.actions) FILTER (WHERE t.month BETWEEN %(start)s AND %(end)s), 0) AS approved,
               max(t.last_started_on) AS last_approved_on
        FROM ambassadors_city c
        LEFT JOIN commitments_monthlytally t ON t.city_id = c.id
        WHERE c.id = ANY(%(cities)s::bigint[])
        GROUP BY c.id
        ORDER BY c.name
    """,
}

# "Mi ciudad": what only the base tables hold, whichever variant.
CITY_SHARED_SQL = {
    "city": """
        SELECT c.name, c.region, c.country_id FROM ambassadors_city c WHERE c.id = %(city_id)s
    """,
    "timeline": """
        SELECT a.id, a.started_on, x.number, cm.number, a.title, a.people_reached
        FROM commitments_action a
        JOIN commitments_commitment cm ON cm.id = a.commitment_id
        JOIN action_axes_axis x ON x.id = cm.axis_id
        WHERE a.city_id = %(city_id)s AND a.status = 'approved'
        ORDER BY a.started_on DESC, a.id DESC
        LIMIT 12
    """,
    "recent": """
        SELECT sc.at, sc.action_id, a.title, sc.to_status
        FROM commitments_actionstatuschange sc
        JOIN commitments_action a ON a.id = sc.action_id
        WHERE sc.city_id = %(city_id)s
        ORDER BY sc.at DESC, sc.id DESC
        LIMIT 10
    """,
}

# The on-track rule of commitments.models.TargetQuerySet.with_progress, one city's targets; {values}
# is the LATERAL join that gives each target its approved values' sum (total) and latest value.
# Progress is (value - baseline) x sign, in the indicator's direction; on track at 85 % of the
# progress expected by now. bench/tests/test_pages_floor.py checks that both variants judge as
# the app does.
TARGETS_SQL = """
        WITH progress AS (
            SELECT t.id, i.code, i.name_es, i.unit_es, t.horizon, t.due_on, t.baseline, t.baseline_year,
                   t.target_value, i.direction, CASE WHEN i.direction = 'decrease' THEN -1 ELSE 1 END AS sign,
                   CASE WHEN i.aggregation = 'cumulative' THEN t.baseline + coalesce(v.total, 0)
                        ELSE coalesce(v.latest, t.baseline) END AS current_value,
                   round((t.baseline + (t.target_value - t.baseline) * CASE
                       WHEN t.due_on <= make_date(t.baseline_year + 1, 1, 1) OR t.due_on <= %(today)s THEN 1.0
                       WHEN make_date(t.baseline_year + 1, 1, 1) >= %(today)s THEN 0.0
                       ELSE (%(today)s::date - make_date(t.baseline_year + 1, 1, 1))::float8
                            / (t.due_on - make_date(t.baseline_year + 1, 1, 1))
                   END)::numeric(24, 6), 4) AS expected_value
            FROM commitments_target t
            JOIN commitments_indicator i ON i.id = t.indicator_id{values}            WHERE t.city_id = %(city_id)s
        )
        SELECT *, CASE
                   WHEN (current_value - baseline) * sign >= (target_value - baseline) * sign THEN 'achieved'
                   WHEN due_on < %(today)s THEN 'off_track'
                   WHEN (expected_value - baseline) * sign <= 0
                     OR (current_value - baseline) * sign * 100 >= (expected_value - baseline) * sign * 85
                     THEN 'on_track'
                   ELSE 'at_risk' END AS status
        FROM progress
        ORDER BY code, due_on
    """

CITY_ACTIONS_SQL = {
    "targets": TARGETS_SQL.format(
        values="""
            LEFT JOIN LATERAL (
                SELECT sum(iv.value) AS total,
                       (array_agg(iv.value ORDER BY a.started_on DESC, iv.action_id DESC))[1] AS latest
                FROM commitments_indicatorvalue iv
                JOIN commitments_action a ON a.id = iv.action_id
                WHERE iv.indicator_id = t.indicator_id AND a.city_id = t.city_id AND a.status = 'approved'
                  AND a.started_on >= make_date(t.baseline_year + 1, 1, 1) AND a.started_on <= %(today)s
            ) v ON true
"""
    ),
    # Per commitment: approved in total and this year, and whether anything was logged this year
    # (any status but draft); the axes' totals are sums of these rows.
    "commitments": """
        SELECT cm.id, x.number, cm.number, cm.title_es,
               count(a.id) FILTER (WHERE a.status = 'approved') AS approved,
               count(a.id) FILTER (WHERE a.status = 'approved' AND a.started_on >= %(year_start)s) AS this_year,
               bool_or(a.status <> 'draft' AND a.started_on >= %(year_start)s) AS logged_this_year
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN commitments_action a ON a.commitment_id = cm.id AND a.city_id = %(city_id)s
        WHERE cm.active
        GROUP BY cm.id, x.number
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT date_trunc('month', a.started_on)::date AS month, cm.axis_id,
               count(*) AS approved, coalesce(sum(a.people_reached), 0) AS people
        FROM commitments_action a
        JOIN commitments_commitment cm ON cm.id = a.commitment_id
        WHERE a.city_id = %(city_id)s AND a.status = 'approved' AND a.started_on BETWEEN %(last_year)s AND %(today)s
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
}

CITY_TALLY_SQL = {
    # The same rule, with the values from the indicator tally.
    "targets": TARGETS_SQL.format(
        values="""
            LEFT JOIN LATERAL (
                SELECT sum(it.total) AS total, (array_agg(it.latest_value ORDER BY it.month DESC))[1] AS latest
                FROM commitments_indicatortally it
                WHERE it.indicator_id = t.indicator_id AND it.city_id = t.city_id
                  AND it.month >= make_date(t.baseline_year + 1, 1, 1) AND it.month <= %(today)s
            ) v ON true
"""
    ),
    "commitments": """
        SELECT cm.id, x.number, cm.number, cm.title_es,
               coalesce(sum(t.actions), 0) AS approved,
               coalesce(sum(t.actions) FILTER (WHERE t.month >= %(year_start)s), 0) AS this_year,
               EXISTS (
                   SELECT 1 FROM commitments_action a
                   WHERE a.commitment_id = cm.id AND a.city_id = %(city_id)s
                     AND a.started_on >= %(year_start)s AND a.status <> 'draft'
               ) AS logged_this_year
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN commitments_monthlytally t ON t.commitment_id = cm.id AND t.city_id = %(city_id)s
        WHERE cm.active
        GROUP BY cm.id, x.number
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT t.month, cm.axis_id, sum(t.actions) AS approved, sum(t.people_reached) AS people
        FROM commitments_monthlytally t
        JOIN commitments_commitment cm ON cm.id = t.commitment_id
        WHERE t.city_id = %(city_id)s AND t.month BETWEEN %(last_year)s AND %(today)s
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
}

FLOOR_SQL = {
    "overview": {
        "base_tables": {**OVERVIEW_SHARED_SQL, **OVERVIEW_ACTIONS_SQL},
        "tally": {**OVERVIEW_SHARED_SQL, **OVERVIEW_TALLY_SQL},
    },
    "city_dashboard": {
        "base_tables": {**CITY_SHARED_SQL, **CITY_ACTIONS_SQL},
        "tally": {**CITY_SHARED_SQL, **CITY_TALLY_SQL},
    },
}

CITY_RANKING_SQL = """
    SELECT c.id, c.name, count(a.id) AS approved
    FROM ambassadors_city c
    LEFT JOIN commitments_action a ON a.city_id = c.id AND a.status = 'approved'
    WHERE c.id = ANY(%(cities)s::bigint[])
    GROUP BY c.id
    ORDER BY approved DESC, c.id
"""

DATA_SQL = {
    "actions": "SELECT status, count(*) FROM commitments_action GROUP BY status ORDER BY status",
    "tables": """
        SELECT (SELECT count(*) FROM ambassadors_city),
               (SELECT count(*) FROM ambassadors_city c
                WHERE EXISTS (SELECT 1 FROM ambassadors_ambassador am WHERE am.city_id = c.id)),
               (SELECT count(*) FROM commitments_monthlytally),
               (SELECT count(*) FROM commitments_actionstatuschange),
               (SELECT count(*) FROM commitments_fund),
               (SELECT count(*) FROM commitments_target),
               (SELECT count(*) FROM commitments_indicatorvalue)
    """,
}


# Figures.


def _percentile(values, fraction):
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _ms(seconds):
    return round(seconds * 1000, 1)


def _timings(values, *, wanted, cold):
    return {
        "requests": len(values),
        "capped": len(values) < wanted,
        "cold_ms": _ms(cold),
        "median_ms": _ms(statistics.median(values)),
        "p95_ms": _ms(_percentile(values, 0.95)),
        "min_ms": _ms(min(values)),
    }


def _repetitions(wanted, first_run, time_budget):
    """As many as asked, unless the first run says they would not fit in the time budget."""
    return max(1, min(wanted, max(MIN_REPETITIONS, int(time_budget / max(first_run, 1e-6)))))


# Pages.


def _client(user):
    from django.conf import settings
    from django.test import Client

    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"]
    host = "testserver" if "testserver" in hosts or not hosts else hosts[0]
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _get(client, path):
    started = time.perf_counter()
    response = client.get(path, secure=True)  # over HTTPS, as in production: no redirect to it
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200.")
    return elapsed, response


# The floor.


def _fetch(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scope_ids(user_id):
    return [row[0] for row in _fetch(SCOPE_SQL, {"user_id": user_id})]


def _floor_request(queries, params, *, with_scope):
    """One "request" of the floor: (total seconds, {name: seconds})."""
    each = {}
    started = time.perf_counter()
    if with_scope:
        params = {**params, "cities": _scope_ids(params["user_id"])}
        each["scope"] = time.perf_counter() - started
    for name, sql in queries.items():
        query_started = time.perf_counter()
        _fetch(sql, params)
        each[name] = time.perf_counter() - query_started
    return time.perf_counter() - started, each


class _Floor:
    """One set of floor queries and its runs."""

    def __init__(self, queries, params, *, with_scope):
        self.queries, self.params, self.with_scope = queries, params, with_scope
        self.totals, self.per_query = [], {}

    def run(self, *, keep=True):
        total, each = _floor_request(self.queries, self.params, with_scope=self.with_scope)
        if keep:
            self.totals.append(total)
            for name, seconds in each.items():
                self.per_query.setdefault(name, []).append(seconds)
        return total

    def figures(self, *, wanted, cold):
        return {
            **_timings(self.totals, wanted=wanted, cold=cold),
            "queries": len(self.per_query),
            "per_query_median_ms": {name: _ms(statistics.median(values)) for name, values in self.per_query.items()},
        }


def measure(client, path, floors, *, requests, floor_requests, time_budget=TIME_BUDGET):
    """A page and its floors, interleaved round by round so that both see the same load on the
    machine (their ratio is the figure that matters). The page: a cold request, a warm-up, the
    queries of one request, then `requests` timed ones; each floor: a cold run, a warm one, then
    `floor_requests` timed ones. Each is capped to what fits in `time_budget` seconds.

    `floors` is {variant: (queries, params, with_scope)}. Returns (page figures, {variant: figures})."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page_cold, _response = _get(client, path)
    for _warmup in range(WARMUP_REQUESTS - 1):
        _get(client, path)
    with CaptureQueriesContext(connection) as captured:
        page_warm, response = _get(client, path)
    queries = len(captured)  # now: the next request's request_started empties the log it reads
    runs = {
        variant: _Floor(sql, params, with_scope=with_scope) for variant, (sql, params, with_scope) in floors.items()
    }
    floor_cold = {variant: floor.run(keep=False) for variant, floor in runs.items()}
    floor_warm = {variant: floor.run(keep=False) for variant, floor in runs.items()}
    page_repetitions = _repetitions(requests, page_warm, time_budget)
    floor_repetitions = {variant: _repetitions(floor_requests, floor_warm[variant], time_budget) for variant in runs}
    page_values = []
    for round_number in range(max(page_repetitions, *floor_repetitions.values())):
        if round_number < page_repetitions:
            page_values.append(_get(client, path)[0])
        for variant, floor in runs.items():
            if round_number < floor_repetitions[variant]:
                floor.run()
    page = {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": queries,
        **_timings(page_values, wanted=requests, cold=page_cold),
    }
    return page, {
        variant: floor.figures(wanted=floor_requests, cold=floor_cold[variant]) for variant, floor in runs.items()
    }


# What is measured.


def _period_params(user_id, today):
    """The overview's default period (this year) as the floor's parameters."""
    from django.utils import timezone

    from reports.periods import YEAR, period_of

    period = period_of(YEAR, today)
    instant = datetime.time.min
    return {
        "user_id": user_id,
        "start": period.start,
        "end": period.end,
        "start_at": timezone.make_aware(datetime.datetime.combine(period.start, instant)),
        "end_at": timezone.make_aware(datetime.datetime.combine(period.end + datetime.timedelta(days=1), instant)),
        "today": today,
    }


def _city_params(city_id, today):
    months_back = today.year * 12 + today.month - 1 - 11
    return {
        "city_id": city_id,
        "today": today,
        "year_start": datetime.date(today.year, 1, 1),
        "last_year": datetime.date(months_back // 12, months_back % 12 + 1, 1),
    }


def representative_cities(user_id):
    """The busiest city of the visitor's scope (most approved actions) and the median one."""
    ranked = _fetch(CITY_RANKING_SQL, {"cities": _scope_ids(user_id)})
    if not ranked:
        raise RuntimeError("The coordinator's scope has no city: seed the database first (python -m bench.seed).")
    chosen = {}
    for role, (city_id, name, approved) in (("busiest", ranked[0]), ("median", ranked[len(ranked) // 2])):
        chosen[role] = {"city_id": city_id, "name": name, "approved_actions": approved}
    return chosen


def data_counts():
    statuses = dict(_fetch(DATA_SQL["actions"], {}))
    cities, network, tally, changes, funds, targets, values = _fetch(DATA_SQL["tables"], {})[0]
    return {
        "actions": statuses,
        "approved_actions": statuses.get("approved", 0),
        "cities": cities,
        "network_cities": network,
        "tally_rows": tally,
        "status_changes": changes,
        "funds": funds,
        "targets": targets,
        "indicator_values": values,
    }


def _ratio(page, floor):
    return round(page["median_ms"] / floor["median_ms"], 1) if floor["median_ms"] else None


def measure_pages(*, requests=50, floor_requests=20, time_budget=TIME_BUDGET):
    """The pages and their floors on the configured database (django.setup() done, PostgreSQL)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    if connection.vendor != "postgresql":
        raise RuntimeError(f"The page bench measures PostgreSQL, not {connection.vendor}.")
    if settings.DEBUG:
        raise RuntimeError("Measure with DEBUG=0: in debug every query is recorded and templates are not cached.")
    user = get_user_model().objects.get(username=COORDINATOR)
    today = timezone.localdate()
    data = data_counts()
    cities = representative_cities(user.pk)
    overview_params = _period_params(user.pk, today)
    client = _client(user)
    try:
        overview, floor_overview = measure(
            client,
            reverse("reports:overview"),
            {variant: (sql, overview_params, True) for variant, sql in FLOOR_SQL["overview"].items()},
            requests=requests,
            floor_requests=floor_requests,
            time_budget=time_budget,
        )
        dashboards, floor_city = {}, {}
        for role, city in cities.items():
            params = _city_params(city["city_id"], today)
            page, floor_city[role] = measure(
                client,
                reverse("commitments:city_progress", args=[city["city_id"]]),
                {variant: (sql, params, False) for variant, sql in FLOOR_SQL["city_dashboard"].items()},
                requests=requests,
                floor_requests=floor_requests,
                time_budget=time_budget,
            )
            dashboards[role] = {**city, **page}
    finally:
        client.logout()
    variants = ("base_tables", "tally")
    return {
        "database": {"vendor": connection.vendor, "name": settings.DATABASES["default"]["NAME"]},
        "today": today.isoformat(),
        "period": {"start": overview_params["start"].isoformat(), "end": overview_params["end"].isoformat()},
        "overview": overview,
        "city_dashboard": dashboards,
        "floor": {"overview": floor_overview, "city_dashboard": floor_city},
        "ratios": {
            "overview": {variant: _ratio(overview, floor_overview[variant]) for variant in variants},
            "city_dashboard": {
                role: {variant: _ratio(dashboards[role], floor_city[role][variant]) for variant in variants}
                for role in dashboards
            },
        },
        "data": data,
    }


# EXPLAIN of a page's slowest queries.

_SERVER_CURSOR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', re.IGNORECASE)


def explain_slowest(path, *, top=3, repetitions=3):
    """The SQL of one request of `path` (as the coordinator), each query timed again (best of
    `repetitions`), and EXPLAIN (ANALYZE, BUFFERS) of the `top` slowest: [(ms, sql, plan or None)]."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(get_user_model().objects.get(username=COORDINATOR))
    try:
        _get(client, path)
        with CaptureQueriesContext(connection) as captured:
            _get(client, path)
        queries = list(captured.captured_queries)
    finally:
        client.logout()
    timed = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = _SERVER_CURSOR.sub("", query["sql"])
            best = float("inf")
            for _repetition in range(repetitions):
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                best = min(best, time.perf_counter() - started)
            timed.append([_ms(best), sql, None])
        timed.sort(key=lambda entry: -entry[0])
        for entry in timed[:top]:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + entry[1])
            entry[2] = "\n".join(row[0] for row in cursor.fetchall())
    return timed


# Command line.


def _row(cells, widths):
    return "  ".join(
        str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )


def format_table(result):
    data = result["data"]
    out = [
        f"Database {result['database']['name']}: {data['approved_actions']:,} approved actions "
        f"({sum(data['actions'].values()):,} in all), {data['network_cities']:,} network cities, "
        f"{data['tally_rows']:,} tally rows; period {result['period']['start']} to {result['period']['end']}.",
        "",
    ]
    widths = [44, 9, 9, 9, 9, 8, 9]
    out.append(_row(["page (client.get, ms)", "median", "p95", "min", "cold", "queries", "requests"], widths))
    pages = [("overview /panel/", result["overview"])]
    for role, page in result["city_dashboard"].items():
        pages.append((f"city {role}: {page['name']} ({page['approved_actions']:,} approved)", page))
    for label, page in pages:
        requests = f"{page['requests']}{' capped' if page['capped'] else ''}"
        cells = [label[:44], page["median_ms"], page["p95_ms"], page["min_ms"], page["cold_ms"], page["queries"]]
        out.append(_row([*cells, requests], widths))
    out += ["", _row(["floor (raw SQL, ms per set)", "median", "p95", "min", "cold", "queries", "requests"], widths)]
    floors = [(f"overview, {variant}", figures) for variant, figures in result["floor"]["overview"].items()]
    for role, variants in result["floor"]["city_dashboard"].items():
        floors += [(f"city {role}, {variant}", figures) for variant, figures in variants.items()]
    for label, floor in floors:
        requests = f"{floor['requests']}{' capped' if floor['capped'] else ''}"
        cells = [label, floor["median_ms"], floor["p95_ms"], floor["min_ms"], floor["cold_ms"], floor["queries"]]
        out.append(_row([*cells, requests], widths))
    out += ["", "page median / floor median:"]
    ratios = result["ratios"]
    out.append(f"  overview: {ratios['overview']['base_tables']}x base tables, {ratios['overview']['tally']}x tally")
    for role, figures in ratios["city_dashboard"].items():
        out.append(f"  city {role}: {figures['base_tables']}x base tables, {figures['tally']}x tally")
    out += ["", "slowest floor queries (median ms):"]
    for label, floor in floors:
        slowest = sorted(floor["per_query_median_ms"].items(), key=lambda item: -item[1])[:3]
        out.append(f"  {label}: " + ", ".join(f"{name} {ms}" for name, ms in slowest))
    return "\n".join(out) + "\n"


def _setup_django():
    """Production's settings through bench.settings (DEBUG off, a throwaway key): they serve the
    pages without collectstatic's manifest. What the caller's environment says wins."""
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(32).hex())
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--floor-requests", type=int, default=20, help="timed runs of each floor (default 20)")
    parser.add_argument(
        "--time-budget", type=float, default=TIME_BUDGET, help="seconds per measurement before capping its runs"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="EXPLAIN ANALYZE /panel/'s N slowest")
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a seeded PostgreSQL database (python -m bench.seed)")
    _setup_django()
    result = measure_pages(
        requests=options.requests, floor_requests=options.floor_requests, time_budget=options.time_budget
    )
    if options.json:
        options.json.write_text(json.dumps(result, indent=2, default=str))
    sys.stdout.write(format_table(result))
    if options.explain:
        from django.urls import reverse

        timed = explain_slowest(reverse("reports:overview"), top=options.explain)
        sys.stdout.write(f"\nThe {len(timed)} queries of one /panel/ request, run again (best of 3, ms):\n")
        sys.stdout.writelines(f"{ms:10.1f}  {sql[:110]}\n" for ms, sql, _plan in timed)
        for ms, sql, plan in timed[: options.explain]:
            sys.stdout.write(f"\n-- {ms} ms\n{sql}\n{plan}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
