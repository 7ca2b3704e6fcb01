"""Database functions the ORM lacks, written for both SQLite and PostgreSQL.

Dashboards and the on-track rule compute in the database; these give them day arithmetic and
a median that behave the same on the embedded default (SQLite) and in production (PostgreSQL).
"""

import statistics

from django.db.models import Aggregate, BigIntegerField, Func, IntegerField

# julianday('1970-01-01'): SQLite counts days from 4714 BC; PostgreSQL subtracts dates.
_SQLITE_EPOCH = "2440587.5"


class DayNumber(Func):
    """Days from 1970-01-01 to a date, as an integer."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        template = f"CAST(julianday(%(expressions)s) - {_SQLITE_EPOCH} AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra)


class YearEndDayNumber(Func):
    """Days from 1970-01-01 to the end of a year (the first day of the next), as an integer."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # Four-digit years only (targets' baseline years are kept between 1990 and 2100).
        template = f"CAST(julianday((%(expressions)s + 1) || '-01-01') - {_SQLITE_EPOCH} AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "(make_date(%(expressions)s + 1, 1, 1) - DATE '1970-01-01')"
        return self.as_sql(compiler, connection, template=template, **extra)


class Microseconds(Func):
    """A duration in whole microseconds, as an integer: exact on both databases (SQLite keeps
    durations as microseconds; PostgreSQL's EXTRACT gives exact numeric seconds)."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(expressions)s", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) * 1000000 AS BIGINT)"
        return self.as_sql(compiler, connection, template=template, **extra)


class Median(Aggregate):
    """The median of a numeric or duration column (PostgreSQL's percentile_cont; on SQLite an
    aggregate registered on every connection, see register_sqlite_functions)."""

    function = "MEDIAN"
    name = "Median"
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra):
        template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


class _SQLiteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: teach each new SQLite connection MEDIAN()."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, _SQLiteMedian)
