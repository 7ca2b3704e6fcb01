"""Progress reports at scale: one city's monthly report in-process, then every city's through two
real Celery workers on Redis, with the workers' memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omcs_bench_dev REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python -m bench.reports [--period 2026-10] [--repetitions 7] [--pdf-cities all]

The database must already hold the data (python -m bench.seed). The bench leaves no trace: the
in-process runs are rolled back, and the rows, history and files of the reports the workers write
are deleted at the end (also on Ctrl-C); the files go to a temporary MEDIA_ROOT. Cities that
already have a report for the period are left alone (not regenerated). Linux only: the workers'
memory is read from /proc.
"""

import argparse
import datetime
import json
import logging
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.process_memory import SAMPLE_INTERVAL
from bench.report_workers import BENCH_USERNAME, KIND, delete_bench_reports, measure_workers

# Environment and Django.


def _bench_environment(*, database_url, redis_url, media_root):
    """The variables the bench process and its workers share. Production-like by default (DEBUG
    off, with a throwaway key); what the caller's environment already says wins, except the
    database, the broker and the media folder, which are the bench's."""
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(32).hex())
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    return {**os.environ, "MEDIA_ROOT": str(media_root)}


def _setup_django(*, database_url, redis_url):
    """django.setup() with the bench's database and broker, or a check that the caller's setup
    already uses them."""
    import django
    import environ
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.conf import settings

    wanted = environ.Env.db_url_config(database_url)
    actual = settings.DATABASES["default"]
    if "postgresql" not in actual["ENGINE"]:
        raise RuntimeError(f"The report bench measures PostgreSQL, not {actual['ENGINE']}.")
    if any(str(wanted.get(key) or "") != str(actual.get(key) or "") for key in ("NAME", "HOST", "PORT")):
        raise RuntimeError(f"Django is already set up with another database ({actual['NAME']}), not {database_url}.")
    if redis_url != settings.REDIS_URL:
        raise RuntimeError(f"Django is already set up with another broker ({settings.REDIS_URL!r}), not {redis_url}.")
    from config.celery import app

    app.conf.task_always_eager = False


# Figures.


def _percentile(values, fraction):
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _timings(cold, values):
    return {
        "cold_ms": round(cold, 1),
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(_percentile(values, 0.95), 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def _approved_counts(period):
    """{city id: approved actions started in the period} and {city id: approved actions}."""
    from django.db.models import Count, Q

    from commitments.models import Action

    rows = (
        Action.objects.approved()
        .values("city")
        .annotate(total=Count("pk"), in_period=Count("pk", filter=Q(started_on__range=(period.start, period.end))))
        .order_by()
    )
    return {row["city"]: row["in_period"] for row in rows}, {row["city"]: row["total"] for row in rows}


def _run_cities(period):
    """The cities the scheduled fan-out would write this period's report for (services.due_cities:
    an ambassador in office during it), without those that already have a report of the period,
    which the bench leaves alone. Returns (city ids, ids left alone)."""
    from reports import services
    from reports.models import ProgressReport

    due, _period = services.due_cities(kind=KIND, today=period.end + datetime.timedelta(days=1))
    existing = set(
        ProgressReport.objects.filter(kind=KIND, period_start=period.start)
        .exclude(requested_by__username=BENCH_USERNAME)
        .values_list("city_id", flat=True)
    )
    due_ids = list(due.values_list("pk", flat=True))
    return [pk for pk in due_ids if pk not in existing], [pk for pk in due_ids if pk in existing]


def _representative_cities(run_ids, in_period, total):
    """The busiest city of the database (most approved actions in the period, then overall); among
    the cities the workers write, the median of those active in the period (most have no action in
    a month) and the quietest."""
    ranked_all = sorted(total, key=lambda pk: (in_period.get(pk, 0), total[pk], -pk))
    pool = sorted(run_ids or ranked_all, key=lambda pk: (in_period.get(pk, 0), total.get(pk, 0), -pk))
    active = [pk for pk in pool if in_period.get(pk, 0)] or pool
    chosen = {}
    if ranked_all:
        chosen[ranked_all[-1]] = "busiest"
    if pool:
        chosen.setdefault(active[len(active) // 2], "median")
        chosen.setdefault(pool[0], "quietest")
    return chosen


# 1. One city's report, in-process.


def _generate_once(city_id, period, *, with_pdf):
    """Claim and generate one report as the task does, then roll it all back and delete its files.
    Returns (milliseconds, CPU milliseconds of this process, queries of the claim, of the generation)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reports import services

    report = None
    try:
        with transaction.atomic():
            started, cpu_started = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as claim_queries:
                report = services.report_claim(city_id=city_id, kind=KIND, period_start=period.start, force=True)
            if report is None:
                raise RuntimeError(f"The report of city {city_id} is being written by a worker right now.")
            with CaptureQueriesContext(connection) as generate_queries:
                services.report_generate(report, with_pdf=with_pdf)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu_started) * 1000
            transaction.set_rollback(True)
    finally:
        for _format, field in report.files() if report else []:
            field.storage.delete(field.name)  # rolled back rows, but files written all the same
    return elapsed, cpu, len(claim_queries), len(generate_queries)


def measure_one_city(city_id, period, *, repetitions):
    """Without and with the PDF: a first (cold) run, then `repetitions` timed runs."""
    figures = {}
    for with_pdf in (False, True):
        cold, _cpu, claim_queries, generate_queries = _generate_once(city_id, period, with_pdf=with_pdf)
        values, cpu = [], []
        for _repetition in range(repetitions):
            elapsed, used, claim_queries, generate_queries = _generate_once(city_id, period, with_pdf=with_pdf)
            values.append(elapsed)
            cpu.append(used)
        figures["with_pdf" if with_pdf else "without_pdf"] = {
            **_timings(cold, values),
            "cpu_median_ms": round(statistics.median(cpu), 1),  # Python's; PostgreSQL's is not in it
            "claim_queries": claim_queries,
            "queries": generate_queries,
        }
    return figures


# The whole bench.


def measure_reports(
    *,
    database_url,
    redis_url,
    period_start=None,
    with_pdf_sample=True,
    repetitions=7,
    pdf_cities=None,
    timeout=3600,
    progress=None,
):
    """Measure the monthly report of the period holding `period_start` (a date or "YYYY-MM-DD";
    None: the last complete month) on the seeded database: one city's in-process (a few cities,
    without and with the PDF), then every due city's through two Celery workers, first without the
    PDF, then with it (issue 27's goal: all of them, `pdf_cities` None; a number measures a
    stratified sample and extrapolates; no PDF run without `with_pdf_sample`).
    Prints a table on stdout and progress on stderr (or to `progress`); returns the figures."""
    progress = progress or _to_stderr
    if isinstance(period_start, str):
        period_start = datetime.date.fromisoformat(period_start)
    load_before = os.getloadavg()[0]  # other work on the machine skews the figures
    media_root = Path(tempfile.mkdtemp(prefix="omcs-bench-media-"))
    log_folder = Path(tempfile.mkdtemp(prefix="omcs-bench-logs-"))
    keep_logs = False  # when the run breaks
    try:
        environment = _bench_environment(database_url=database_url, redis_url=redis_url, media_root=media_root)
        _setup_django(database_url=database_url, redis_url=redis_url)
        # The report's CSS has rules WeasyPrint ignores, with a warning per PDF: noise in the table.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        from django.conf import settings
        from django.test.utils import override_settings
        from django.utils import timezone

        from ambassadors.models import City
        from reports.periods import last_complete_period, period_of

        period = period_of(KIND, period_start) if period_start else last_complete_period(KIND, timezone.localdate())
        with override_settings(MEDIA_ROOT=media_root):
            leftovers = delete_bench_reports()  # a crashed run's
            in_period, total = _approved_counts(period)
            run_ids, left_alone = _run_cities(period)
            names = dict(City.objects.filter(pk__in=[*total, *run_ids]).values_list("pk", "name"))
            data = {
                "cities": City.objects.count(),
                "cities_with_approved_actions": len(total),
                "approved_actions": sum(total.values()),
                "approved_in_period": sum(in_period.values()),
                "run_cities": len(run_ids),
                "cities_left_alone": len(left_alone),
                "leftover_reports_deleted": leftovers,
            }
            single = []
            for city_id, role in _representative_cities(run_ids, in_period, total).items():
                progress(f"In-process: {role} city {names.get(city_id, city_id)}")
                single.append(
                    {
                        "role": role,
                        "city_id": city_id,
                        "city": names.get(city_id, str(city_id)),
                        "approved_in_period": in_period.get(city_id, 0),
                        "approved_total": total.get(city_id, 0),
                        **measure_one_city(city_id, period, repetitions=repetitions),
                    }
                )
            try:
                workers = measure_workers(
                    run_ids,
                    period,
                    in_period,
                    environment=environment,
                    log_folder=log_folder,
                    with_pdf_sample=with_pdf_sample,
                    pdf_cities=pdf_cities,
                    timeout=timeout,
                    progress=progress,
                )
            finally:
                delete_bench_reports()
    except Exception:
        keep_logs = any(log_folder.iterdir())
        if keep_logs:
            progress(f"The workers' logs are kept in {log_folder}")
        raise
    finally:
        shutil.rmtree(media_root, ignore_errors=True)
        if not keep_logs:
            shutil.rmtree(log_folder, ignore_errors=True)
    result = {
        "goals": goals(single, workers),
        "period": {"kind": KIND, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "data": data,
        "repetitions": repetitions,
        "single_city": single,
        "celery": workers,
        "platform": {
            "cpus": os.cpu_count(),
            "load_average_1m_before": round(load_before, 2),
            "load_average_1m_after": round(os.getloadavg()[0], 2),
            "debug": settings.DEBUG,
            "database": settings.DATABASES["default"]["NAME"],
            "broker": redis_url,
        },
    }
    print_table(result)
    return result


# Issue 27: the busiest city's monthly report with its PDF in 2 s; every city's with PDF, two workers, in 150 s.
GOAL_BUSIEST_PDF_MS = 2000
GOAL_ALL_PDF_S = 150


def goals(single, workers):
    """Each goal's figure and whether it is met: None when not measured (no busiest city, no
    PDF run); the all-cities figure is extrapolated when the run was a sample."""
    busiest = next((row["with_pdf"]["median_ms"] for row in single if row["role"] == "busiest"), None)
    run = workers["with_pdf"]
    every = run and (run["wall_s"] if run["reports"] >= run["of_cities"] else run["extrapolated_wall_s"])
    if run and (run["failed"] or run["unfinished"]):
        every = None  # failed reports are not a time
    return {
        "busiest_with_pdf_ms": _goal(busiest, GOAL_BUSIEST_PDF_MS),
        "all_with_pdf_s": {
            **_goal(every, GOAL_ALL_PDF_S),
            "extrapolated": bool(run and run["reports"] < run["of_cities"]),
        },
    }


def _goal(value, limit):
    return {"value": value, "goal": limit, "met": None if value is None else value <= limit}


def _to_stderr(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


TIMING_COLUMNS = (("median_ms", 6), ("p95_ms", 4), ("cpu_median_ms", 4), ("cold_ms", 5))


def _ms(figures, key):
    return "-" if figures.get(key) is None else f"{figures[key]:.0f}"


def print_table(result):
    data, celery, platform = result["data"], result["celery"], result["platform"]
    out = [
        f"Monthly reports of {result['period']['start'][:7]} ({platform['database']}, "
        f"DEBUG={int(platform['debug'])}, {platform['cpus']} CPUs, load average "
        f"{platform['load_average_1m_before']} before, {platform['load_average_1m_after']} after)",
        f"Data: {data['cities']} cities, {data['cities_with_approved_actions']} with approved actions; "
        f"{data['approved_actions']} approved actions, {data['approved_in_period']} in the period; "
        f"{data['run_cities']} due cities",
    ]
    if data["cities_left_alone"]:
        out.append(f"      ({data['cities_left_alone']} more due cities already had a report: left alone)")
    out += ["", f"One city in-process: report_claim + report_generate, {result['repetitions']} runs after a cold one"]
    header = (
        f"{'city':<24} {'role':<9} {'actions':>7} {'queries':>7}  "
        f"{'no PDF: median  p95  CPU  cold':>30}  {'PDF: median  p95  CPU  cold':>28}"
    )
    out += [header, "-" * len(header)]

    def timings(figures):
        return " ".join(_ms(figures, key).rjust(width) for key, width in TIMING_COLUMNS)

    for row in result["single_city"]:
        plain, pdf = row["without_pdf"], row["with_pdf"]
        out.append(
            f"{row['city'][:24]:<24} {row['role']:<9} {row['approved_in_period']:>7} "
            f"{plain['claim_queries'] + plain['queries']:>7}  {timings(plain):>30}  {timings(pdf):>28}"
        )
    out.append(
        "(ms; actions: approved in the period; queries: the claim's + the generation's, the same with or without "
        "PDF;\n CPU: the bench process's, without PostgreSQL's; median city: of those with an action in the period)"
    )
    out += ["", f"All due cities through {celery['workers']} Celery workers (prefork, concurrency 1, Redis)"]
    for label, run in (("without PDF", celery["without_pdf"]), ("with PDF", celery["with_pdf"])):
        if run is None:
            continue
        memory = run["memory"]
        wall = "-" if run["wall_s"] is None else f"{run['wall_s']:.1f} s"
        line = (
            f"  {label:<12} {run['reports']:>5} reports in {wall}: {run['reports_per_s'] or '-'} reports/s, "
            f"{run['failed']} failed, {run['unfinished']} unfinished"
        )
        if run.get("of_cities") and run["reports"] < run["of_cities"]:
            line += (
                f"\n  {'':<12} a sample of the {run['of_cities']}: all would take ~{run['extrapolated_wall_s']} s "
                "(extrapolated)"
            )
        out.append(line)
        out.append(
            f"  {'':<12} worker CPU {memory['cpu_s']} s, {run['worker_cpu_ms_per_report']} ms per report; "
            f"peak total RSS {memory['peak_total_rss_mib']} MiB (PSS {memory['peak_total_pss_mib']} MiB)"
        )
        for process in memory["processes"]:
            out.append(
                f"  {'':<14} {process['worker']} {process['role']:<10} pid {process['pid']:<8} "
                f"peak RSS {process['peak_rss_mib']:>6} MiB, VmHWM "
                + ("(exited)" if process["hwm_mib"] is None else f"{process['hwm_mib']} MiB")
            )
        for error in run["errors"]:
            out.append(f"  {'':<12} error: {error[:150]}")
    out.append(
        f"(memory and CPU from /proc, Linux only: RSS sampled every {SAMPLE_INTERVAL} s; PSS shares the pages a "
        "fork shares;\n VmHWM is each process's peak since the workers started)"
    )
    out += ["", "Goals (issue 27)"]
    for label, key, unit in (
        ("Busiest city's report with PDF", "busiest_with_pdf_ms", "ms"),
        ("Every city's report with PDF, 2 workers", "all_with_pdf_s", "s"),
    ):
        goal = result["goals"][key]
        verdict = {None: "not measured", True: "met", False: "NOT MET"}[goal["met"]]
        value = "-" if goal["value"] is None else f"{goal['value']:,.1f} {unit}"
        value += " (extrapolated)" if goal.get("extrapolated") else ""
        out.append(f"  {label:<40} {value:>22}  goal <= {goal['goal']:,} {unit}: {verdict}")
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()


def _pdf_cities(value):
    """--pdf-cities: "all" (None) or a whole number."""
    if value == "all":
        return None
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'all' or a whole number, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("a number of cities cannot be negative")
    return number


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--period", help="month as YYYY-MM (default: the last complete month)")
    parser.add_argument("--repetitions", type=int, default=7, help="timed runs per city and mode (default 7)")
    parser.add_argument(
        "--pdf-cities",
        type=_pdf_cities,
        default=None,
        help="cities whose PDF the workers write: all (default), 0 for none, or N for a stratified sample",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for each worker run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args(argv)
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not database_url or not redis_url:
        parser.error("set DATABASE_URL (PostgreSQL, seeded) and REDIS_URL (the broker)")
    period_start = datetime.date.fromisoformat(f"{options.period}-01") if options.period else None
    # A TERM stops the run as Ctrl-C does: the finally blocks stop the workers and clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        result = measure_reports(
            database_url=database_url,
            redis_url=redis_url,
            period_start=period_start,
            with_pdf_sample=options.pdf_cities != 0,
            repetitions=options.repetitions,
            pdf_cities=options.pdf_cities,
            timeout=options.timeout,
        )
    except KeyboardInterrupt:
        _to_stderr("Interrupted: the workers are stopped and what the bench wrote is deleted.")
        return 130
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
