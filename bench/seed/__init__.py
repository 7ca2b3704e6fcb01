"""Realistic data at scale for benchmarks: `python -m bench.seed` (cli.py; the work: driver.py).

Fills a freshly migrated database (a dedicated benchmark database: --flush deletes everything
but the catalogue, the countries and the cities) with the biggest cities of Latin America and
the Caribbean from GeoNames, an active ambassador in each, a coordinator per country and one for
all of them, and actions in every status with the status history the workflow would have
written, indicator values, focus areas, targets and exchange rates; the funders' catalogue, the
funding opportunities found for the actions (their stage changes and disbursements) and a
transition plan per city with its milestones.

How it stays fast: rows are plain tuples with primary keys assigned here (from the tables'
current maximum; sequences are set afterwards), dates and moments as precomputed ISO 8601 text,
and the random draws that do not depend on one another are made in bulk up front. On PostgreSQL
each chunk of rows is written with COPY by a background thread while the next is generated; the
big tables' secondary indexes are dropped for the load and built once at the end, and as a
superuser the per-row foreign-key triggers are skipped and every foreign key is checked with one
query instead. All of it runs in one transaction: a failure leaves the database as it was.
Elsewhere (SQLite, for tests with small numbers) one executemany per chunk, the values going
through the fields' own conversion, so the explicit timestamps survive (bulk_create's auto_now
would overwrite them).

Not written for generated data: django-simple-history rows (their history starts empty) and
notifications (the decisions are old news, already read and emailed).

Reproducible: everything comes from one random.Random(seed) and from `today`, taken once; the
same seed, numbers and day give the same rows, primary keys included, on a flushed database.
"""

PASSWORD = "scale-omcs-2026"  # noqa: S105 - every generated account's password, published on purpose.


class SeedRefused(Exception):
    """The database holds data the seeder would mix with, and --flush was not given; or the
    request cannot be met (more cities than GeoNames has, no active commitment)."""
