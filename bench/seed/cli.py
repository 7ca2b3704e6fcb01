"""Fill a dedicated benchmark database with realistic data at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omcs_bench \\
        .venv/bin/python -m bench.seed --cities 1000 --actions 10000 [--seed 1] [--flush]

The database must be migrated (the catalogue comes with the migrations). The biggest cities of
the region with an ambassador each, coordinators, and actions in every status with their
history, values and targets; funding opportunities for some actions and a transition plan per
city. Accounts scale.amb.<n>, scale.coord.<cc>, scale.coord.all. Runs on SQLite too (the tests'
small numbers); the benchmarks need PostgreSQL.
"""

import argparse
import datetime
import os
import sys
import time

from . import PASSWORD, SeedRefused


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench.seed",
        description=__doc__.split("\n\n")[0] + f" Every account's password: {PASSWORD}.",
    )
    parser.add_argument("--cities", type=int, default=1000, help="Cities, biggest first (default 1000).")
    parser.add_argument(
        "--actions",
        type=int,
        default=10000,
        help="Approved actions (default 10000); about 8 %% more in other statuses.",
    )
    parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
    parser.add_argument("--years", type=int, default=4, help="Years of history up to today (default 4).")
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=None,
        help="The day the data ends (YYYY-MM-DD, default today): to reproduce a seed on another day.",
    )
    parser.add_argument(
        "--flush", action="store_true", help="Delete everything but the catalogue, countries and cities first."
    )
    return parser


def _setup_django():
    """The bench's settings (production's, from the environment) unless the caller chose others,
    as manage.py does; nothing to do when Django is already set up (the tests)."""
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def main(argv=None, stdout=None):
    """Seed, log each step and print what the tables hold. Exits with status 1 and the reason on
    stderr when the seeder refuses (a database with data and no --flush, too many cities)."""
    out = stdout or sys.stdout
    parser = _parser()
    options = parser.parse_args(argv)
    _setup_django()
    from .driver import seed_database

    def log(message):
        out.write(message + "\n")
        out.flush()

    started = time.monotonic()
    try:
        counts = seed_database(
            cities=options.cities,
            actions=options.actions,
            seed=options.seed,
            years=options.years,
            flush_first=options.flush,
            today=options.today,
            log=log,
        )
    except SeedRefused as error:
        parser.exit(1, f"{parser.prog}: {error}\n")
    width = max(len(table) for table in counts)
    for table, count in counts.items():
        log(f"  {table:<{width}}  {count:>12,}")
    log(f"Seeded in {time.monotonic() - started:.1f} s.")
    return 0
