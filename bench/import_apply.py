"""Applying a confirmed import of actions, in-process: how many rows a second `import_apply` writes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_imports_x \\
        .venv/bin/python -m bench.import_apply [--rows 500 5000] [--statements]

For each size it makes one city, its ambassador and a CSV of new actions, runs the check
(services.import_check, as the worker would) and then times services.import_apply, printing rows/s
for both. --statements also counts the SQL statements of the apply (a wrapper around each).
The database is migrated first; everything the bench writes is rolled back (it leaves no trace
but the uploaded files, written to a temporary MEDIA_ROOT). Without DATABASE_URL, SQLite.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time


def _setup():
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(32).hex())
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-imports-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class _Rollback(Exception):
    pass


def _job(size, label):
    """A checked job of `size` new actions for a new city of its own."""
    from django.core.files.base import ContentFile

    from ambassadors import services as ambassador_services
    from ambassadors.tests.factories import CityFactory, UserFactory
    from imports import services
    from imports.models import ImportJob

    city = CityFactory(name=f"Bench {label}")
    user = UserFactory(username=f"bench-import-{label}")
    ambassador_services.ambassador_appoint(city=city, user=user, appointed_on=datetime.date(2025, 3, 1))
    lines = ["compromiso,título,fecha de inicio,personas alcanzadas"]
    lines += [f"3.1,Taller {number},2026-03-01,{number % 90 + 1}" for number in range(size)]
    job = ImportJob(user=user, what=ImportJob.What.ACTIONS, city=city, original_name="bench.csv")
    job.file.save("bench.csv", ContentFile(("\n".join(lines) + "\n").encode()), save=False)
    job.save()
    started = time.perf_counter()
    services.import_check(job_id=job.pk)
    checked = time.perf_counter() - started
    job.refresh_from_db()
    if not job.can_apply:
        raise SystemExit(f"The bench's file did not check clean: {job.file_errors or job.rows[:1]}")
    return job, user, checked


def _measure(size, *, statements):
    from django.db import connection, transaction

    from imports import services

    result = {}
    try:
        with transaction.atomic():
            job, user, checked = _job(size, f"{size}-{time.time_ns()}")
            result["check"] = checked
            executed = []

            def count(execute, sql, params, many, context):
                executed.append(1)
                return execute(sql, params, many, context)

            started = time.perf_counter()
            if statements:
                with connection.execute_wrapper(count):
                    written = services.import_apply(job=job, by=user)
            else:
                written = services.import_apply(job=job, by=user)
            result["apply"] = time.perf_counter() - started
            result["written"] = written
            result["statements"] = len(executed) if statements else None
            raise _Rollback
    except _Rollback:
        pass
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--statements", action="store_true", help="count the apply's SQL statements")
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    sys.stdout.write(f"database: {connection.vendor}\n")
    for size in args.rows:
        result = _measure(size, statements=args.statements)
        line = (
            f"{size:>6} rows: check {result['check']:.1f} s ({size / result['check']:.0f} rows/s), "
            f"apply {result['apply']:.1f} s ({result['written'] / result['apply']:.0f} rows/s)"
        )
        if result["statements"] is not None:
            line += f", {result['statements']} statements ({result['statements'] / size:.1f} a row)"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
