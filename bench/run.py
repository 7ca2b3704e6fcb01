"""`make bench`: the whole benchmark, at each size, on PostgreSQL and Redis; a table and JSON.

For each number of approved actions (10,000 and 1,000,000 by default, over 1,000 cities) it
recreates the database `omcs_bench`, migrates it, fills it with `bench.seed`, and measures in
separate processes (each sets Django up against that database):

- bench.pages: the coordinator overview and a city dashboard against their SQL floor, and every
  other coordinator page (bench.coordinator_pages);
- bench.reports: one city's monthly report, then every city's, with their PDFs, through two
  Celery workers;
- bench.submissions: action submissions under gunicorn against the floor of one ModelForm write.

At the end it judges issue 27's goals on this run (bench.goals) and prints them.

Needs PostgreSQL at $BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432)
and Redis at $BENCH_REDIS_URL (default redis://127.0.0.1:6379/10). Writes docs/performance.json.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench import goals

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PARTS = ["pages", "reports", "submissions"]

# Runs one part in its own process and writes what it returns as JSON to argv[1].
PART_RUNNER = """
import json, os, sys
part = sys.argv[2]
if part == "pages":
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # no collectstatic manifest needed
    django.setup()
    from bench.pages import measure_pages
    # Thirty requests a page, fewer when the first is slow: some twenty pages at each size.
    result = measure_pages(requests=30, floor_requests=15, time_budget=30)
elif part == "reports":
    from bench.reports import measure_reports
    result = measure_reports(database_url=os.environ["DATABASE_URL"], redis_url=os.environ["REDIS_URL"])
else:
    from bench.submissions import measure_submissions
    result = measure_submissions(database_url=os.environ["DATABASE_URL"], redis_url=os.environ["REDIS_URL"])
with open(sys.argv[1], "w") as out:
    json.dump(result, out, indent=1, default=str)
"""


def machine():
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 2**20, 1),
        "python": platform.python_version(),
        "postgresql": postgres,
        "system": platform.platform(),
    }


def run(command, *, env, what):
    started = time.monotonic()
    print(f"· {what} …", flush=True)
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    print(f"  {what}: {time.monotonic() - started:.1f} s", flush=True)
    return time.monotonic() - started


def prepare(*, server, database, redis_url, cities, actions, seed):
    """A fresh database with `actions` approved actions over `cities` cities."""
    env = {**os.environ, "DATABASE_URL": f"{server}/{database}", "REDIS_URL": redis_url, "DEBUG": "0"}
    env.setdefault("SECRET_KEY", "bench-only-0123456789abcdefghijklmnopqrstuvwxyz-0123456789")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    for sql in (f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", f"CREATE DATABASE {database}"):
        subprocess.run(["psql", f"{server}/postgres", "-q", "-c", sql], check=True)
    timings = {"migrate_s": run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env=env, what="migrate")}
    timings["seed_s"] = run(
        [PYTHON, "-m", "bench.seed", "--cities", str(cities), "--actions", str(actions), "--seed", str(seed)],
        env=env,
        what=f"bench.seed --cities {cities} --actions {actions:,}",
    )
    return env, timings


def measure(part, env, folder):
    out = folder / f"{part}.json"
    run([PYTHON, "-c", PART_RUNNER, str(out), part], env=env, what=f"bench.{part}")
    return json.loads(out.read_text())


def _path(*keys):
    return lambda figures: goals.lookup(figures, *keys)


# The headline figures, where each part's JSON holds them (bench.goals judges the goals).
HEADLINES = [
    ("Overview median (ms)", _path("pages", "overview", "median_ms")),
    ("Overview p95 (ms)", _path("pages", "overview", "p95_ms")),
    ("Overview SQL queries", _path("pages", "overview", "queries")),
    ("Overview / floor (base tables)", _path("pages", "ratios", "overview", "base_tables")),
    ("Overview / floor (tally)", _path("pages", "ratios", "overview", "tally")),
    ("City dashboard, busiest, median (ms)", _path("pages", "city_dashboard", "busiest", "median_ms")),
    ("City dashboard queries", _path("pages", "city_dashboard", "busiest", "queries")),
    ("One report, busiest, no PDF (ms)", _path("reports", "single_city", "busiest", "without_pdf", "median_ms")),
    ("One report, with PDF (ms)", _path("reports", "single_city", "busiest", "with_pdf", "median_ms")),
    ("All reports, 2 workers, no PDF (s)", _path("reports", "celery", "without_pdf", "wall_s")),
    ("All reports, 2 workers, with PDF (s)", _path("reports", "celery", "with_pdf", "wall_s")),
    ("Workers' peak memory, PSS (MiB)", _path("reports", "celery", "without_pdf", "memory", "peak_total_pss_mib")),
    ("Submissions / ModelForm floor", _path("submissions", "ratio")),
    ("Submission POST queries", _path("submissions", "post_queries")),
    ("CPU per submission, GET + POST (ms)", _path("submissions", "cpu_ms_per_submission")),
]


def table(results):
    """The headline figures of each size, side by side."""
    sizes = list(results["sizes"])
    width = max(len(label) for label, _get in HEADLINES)
    lines = [f"{'approved actions':<{width}}  " + "  ".join(f"{int(size):>10,}" for size in sizes)]
    for label, get in HEADLINES:
        cells = []
        for size in sizes:
            value = get(results["sizes"][size])
            cells.append(f"{value:>10,.2f}" if isinstance(value, int | float) else f"{'-':>10}")
        lines.append(f"{label:<{width}}  " + "  ".join(cells))
    return "\n".join(lines)


def shown(path):
    """`path` as the run prints it: relative to the repository when inside it, else absolute (an
    --out elsewhere, /tmp/perf.json, is not under the repository)."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000", help="Approved actions, comma-separated.")
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"Which measurements ({', '.join(PARTS)}).")
    parser.add_argument("--database", default="omcs_bench")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.json")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # a relative --out is the caller's directory's, as the shell reads it
    args.out.parent.mkdir(parents=True, exist_ok=True)
    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    parts = [part for part in args.parts.split(",") if part]
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    results = {"date": datetime.date.today().isoformat(), "machine": machine(), "cities": args.cities, "sizes": {}}
    for size in (int(size) for size in args.sizes.split(",")):
        print(f"\n== {size:,} approved actions over {args.cities:,} cities ==", flush=True)
        env, timings = prepare(
            server=server, database=args.database, redis_url=redis_url, cities=args.cities, actions=size, seed=args.seed
        )
        results["sizes"][str(size)] = {"setup": timings, **{part: measure(part, env, folder) for part in parts}}
        args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    found = goals.verdicts(results)
    results["goals"] = [
        {
            "goal": verdict.goal,
            "figure": verdict.figure,
            "limit": verdict.limit,
            "ratio": verdict.ratio,
            "met": verdict.met,
        }
        for verdict in found
    ]
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print("\n" + table(results))
    print("\nIssue 27's goals, judged on this run:\n" + goals.table(found))
    print(f"\nJSON: {shown(args.out)}")


if __name__ == "__main__":
    main()
