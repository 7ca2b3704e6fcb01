"""Coordinator pages at scale, against a floor of hand-written SQL. PostgreSQL only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omcs_seed_dev \\
        .venv/bin/python -m bench.pages [--requests 50] [--floor-requests 20] [--json FILE] [--explain 3]

The database must already hold the data (python -m bench.seed: its coordinator of every country,
scale.coord.all, is the visitor). Measured in-process with django.test.Client, logged in once:

- the coordinator overview /panel/ with its default period (this year);
- "Mi ciudad" (reports:city_progress) of the busiest city (most approved actions) and of the
  median one, seen by the same coordinator;
- the coordinator's other pages (bench/coordinator_pages.py: the cities table, the review queue,
  the reports, actions, practices, exchanges, funding, hazards and terms lists, and a detail page
  of the busiest city where a list has one), under "pages", without a floor.

Each page: a cold request, a few warm-up ones, then `requests` timed ones (client.get: middleware,
view, queries and template rendering), the SQL queries of one request, its status and size.

The floor is what the database alone needs to produce the same figures: the queries of
bench/floor_sql.py, run one after the other with cursor.execute and fetched, timed as a whole
per "request". Two variants: straight from the base tables (actions, status changes, the funding
pipeline with the exchange-rate rule, targets with the on-track rule, ambassadors), and with the
monthly tally (commitments_monthlytally, and commitments_indicatortally for targets) in place of
the actions wherever they can answer. A page's median over a floor's median tells how much the application
adds on top of the unavoidable SQL; page and floor runs alternate, round by round, so that both
see the same load on the machine.

A measurement whose first run is slow is capped to what fits in `time_budget` seconds (at least
MIN_REPETITIONS runs), and says so ("capped"). --explain N captures the SQL of one /panel/
request (or of --explain-path's), times each query again and prints EXPLAIN ANALYZE of the N slowest.

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

from bench.floor_sql import CITY_RANKING_SQL, DATA_SQL, FLOOR_SQL, SCOPE_SQL

COORDINATOR = "scale.coord.all"
WARMUP_REQUESTS = 3
MIN_REPETITIONS = 5
TIME_BUDGET = 120.0  # seconds per measurement before its repetitions are capped


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

    from ambassadors import twofactor

    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"]
    host = "testserver" if "testserver" in hosts or not hosts else hosts[0]
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    # force_login skips the password step, and so the second factor (ambassadors/twofactor.py):
    # the session counts as having passed it, or a coordinator's pages would all be the setup page.
    session = client.session
    twofactor.session_mark_verified(session, mark="bench/force-login")
    session.save()
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
    for round_number in range(max([page_repetitions, *floor_repetitions.values()])):
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
    cities, network, tally, changes, opportunities, targets, values = _fetch(DATA_SQL["tables"], {})[0]
    return {
        "actions": statuses,
        "approved_actions": statuses.get("approved", 0),
        "cities": cities,
        "network_cities": network,
        "tally_rows": tally,
        "status_changes": changes,
        "opportunities": opportunities,
        "targets": targets,
        "indicator_values": values,
    }


def _ratio(page, floor):
    return round(page["median_ms"] / floor["median_ms"], 1) if floor["median_ms"] else None


def measure_others(client, user, city_id, *, requests, time_budget=TIME_BUDGET):
    """The other coordinator pages (bench.coordinator_pages), no floor: {name: figures}; a page
    left out has {"left_out": why}."""
    from bench.coordinator_pages import paths

    chosen, left_out = paths(client, user, city_id)
    figures = {}
    for name, path in chosen.items():
        figures[name], _floors = measure(client, path, {}, requests=requests, floor_requests=0, time_budget=time_budget)
    return {**figures, **{name: {"left_out": why} for name, why in left_out.items()}}


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
                reverse("reports:city_progress", args=[city["city_id"]]),
                {variant: (sql, params, False) for variant, sql in FLOOR_SQL["city_dashboard"].items()},
                requests=requests,
                floor_requests=floor_requests,
                time_budget=time_budget,
            )
            dashboards[role] = {**city, **page}
        others = measure_others(client, user, cities["busiest"]["city_id"], requests=requests, time_budget=time_budget)
    finally:
        client.logout()
    variants = ("base_tables", "tally")
    return {
        "database": {"vendor": connection.vendor, "name": settings.DATABASES["default"]["NAME"]},
        "today": today.isoformat(),
        "period": {"start": overview_params["start"].isoformat(), "end": overview_params["end"].isoformat()},
        "overview": overview,
        "city_dashboard": dashboards,
        "pages": others,
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
    for name, page in result["pages"].items():
        if "left_out" in page:
            out.append(f"{name}: left out, {page['left_out']}")
            continue
        requests = f"{page['requests']}{' capped' if page['capped'] else ''}"
        cells = [f"{name} {page['path']}"[:44], page["median_ms"], page["p95_ms"], page["min_ms"], page["cold_ms"]]
        out.append(_row([*cells, page["queries"], requests], widths))
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
    parser.add_argument("--explain-path", metavar="PATH", help="the page --explain reads (default /panel/)")
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

        path = options.explain_path or reverse("reports:overview")
        timed = explain_slowest(path, top=options.explain)
        sys.stdout.write(f"\nThe {len(timed)} queries of one {path} request, run again (best of 3, ms):\n")
        sys.stdout.writelines(f"{ms:10.1f}  {sql[:110]}\n" for ms, sql, _plan in timed)
        for ms, sql, plan in timed[: options.explain]:
            sys.stdout.write(f"\n-- {ms} ms\n{sql}\n{plan}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
