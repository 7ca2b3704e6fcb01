"""One picture of the whole database, to prove a refused request changed nothing."""

import functools
import hashlib

from django.apps import apps
from django.db import connection

# Tables a refused request may still write (its session), or that only Django keeps.
BOOKKEEPING = frozenset({"sessions.session", "admin.logentry", "contenttypes.contenttype", "auth.permission"})


@functools.cache
def _queries(include_bookkeeping):
    quote = connection.ops.quote_name
    queries = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        if not include_bookkeeping and (
            opts.label_lower in BOOKKEEPING or model.__name__.startswith("Historical")  # simple-history's tables
        ):
            continue
        columns = ", ".join(quote(field.column) for field in opts.concrete_fields)
        queries.append((opts.label, f"SELECT {columns} FROM {quote(opts.db_table)} ORDER BY {quote(opts.pk.column)}"))  # noqa: S608
    return tuple(queries)


def fingerprint(*, include_bookkeeping=False):
    """Per table: the row count and a hash of every row, in primary key order."""
    result = {}
    with connection.cursor() as cursor:
        for label, query in _queries(include_bookkeeping):
            cursor.execute(query)
            rows = cursor.fetchall()
            result[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return result


def changed_tables(before, after):
    return sorted(
        f"{label} ({before[label][0]} → {after[label][0]} rows)" for label in before if before[label] != after[label]
    )
