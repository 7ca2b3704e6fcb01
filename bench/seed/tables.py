"""Writing rows: each table's rows as they come (COPY on PostgreSQL, executemany elsewhere),
in a background thread while the next chunk is generated; and the PostgreSQL bulk-load helpers
(secondary indexes dropped for the load and built once, foreign-key triggers skipped and every
key checked with one query instead)."""

import csv
import io
from concurrent.futures import ThreadPoolExecutor

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max


class Table:
    """One table's rows, written as they come: COPY on PostgreSQL, executemany elsewhere.

    `fields` are attribute names (e.g. "action_id"); rows are tuples in that order, with the
    primary key first and assigned by the caller from next_id(). Dates and moments may be
    ISO 8601 strings: COPY reads them as they are, and the fields' own conversion parses them
    for executemany.
    """

    def __init__(self, model, fields):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self.written = 0
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in self.fields)
        # CSV reads an unquoted empty value as NULL: text columns that cannot be NULL say so.
        not_null_text = [
            quote(field.column)
            for field in self.fields
            if isinstance(field, models.CharField | models.TextField) and not field.null
        ]
        self.force_not_null = f", FORCE_NOT_NULL ({', '.join(not_null_text)})" if not_null_text else ""

    def next_id(self):
        return (self.model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, rows, raw_connection=None):
        """Write `rows`; on PostgreSQL through `raw_connection` (the psycopg2 connection of
        Django's, for a writer thread) when given."""
        if not rows:
            return
        if connection.vendor == "postgresql":
            self._copy(rows, raw_connection)
        else:
            self._insert(rows)
        self.written += len(rows)

    def _copy(self, rows, raw_connection):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        buffer.seek(0)
        sql = f"COPY {self.table} ({self.columns}) FROM STDIN WITH (FORMAT csv{self.force_not_null})"
        with (raw_connection or connection).cursor() as cursor:
            cursor.copy_expert(sql, buffer, size=1 << 20)

    def _insert(self, rows):
        prepare = [field.get_db_prep_save for field in self.fields]
        values = [[p(value, connection) for p, value in zip(prepare, row, strict=True)] for row in rows]
        placeholders = ", ".join(["%s"] * len(self.fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})",  # noqa: S608 - names from _meta
                values,
            )


class Writer:
    """Writes chunks of rows of several tables while the next chunk is being generated.

    On PostgreSQL the COPYs run in one background thread on Django's own connection (same
    transaction; psycopg2 releases the GIL while the server works), so Python and PostgreSQL
    use both cores. Elsewhere it writes at once. Use as a context manager: leaving waits for
    the last chunk, and a failed chunk raises in the caller.
    """

    def __init__(self):
        self.pool = None
        self.pending = None
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            self.raw_connection = connection.connection
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-scale-copy")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            if exc_info[0] is None:
                self.wait()

    def write(self, batches):
        """`batches`: [(Table, rows), ...], written in that order (parents first)."""
        if self.pool is None:
            for table, rows in batches:
                table.write(rows)
            return
        self.wait()
        self.pending = self.pool.submit(self._write, batches)

    def _write(self, batches):
        for table, rows in batches:
            table.write(rows, self.raw_connection)

    def wait(self):
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()


def reset_sequences(model_list):
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(statement)


# PostgreSQL bulk-load helpers -----------------------------------------------------------


def drop_indexes(model_list):
    """On PostgreSQL, drop the big tables' secondary indexes for the load: built once from the
    sorted rows afterwards they cost a fraction of keeping them up to date row by row. Indexes
    behind a constraint (primary keys, unique pairs) stay. DDL is transactional: a failed seed
    rolls back with its indexes in place. Returns their definitions."""
    if connection.vendor != "postgresql":
        return []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1",
                [[connection.ops.quote_name(model._meta.db_table) for model in model_list]],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
    except DatabaseError:
        return []  # not the tables' owner: load with the indexes in place, only slower
    return [definition for _name, definition in indexes]


def create_indexes(definitions):
    """Build the indexes drop_indexes dropped, with room to sort in memory."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


def skip_foreign_key_triggers(model_list):
    """On PostgreSQL as a superuser, skip the per-row foreign-key triggers of the bulk writes.

    They queue one deferred check per row and reference, run one by one at commit: on a million
    actions that is most of the time. The generator assigns every key itself, so the checks are
    made afterwards instead, one anti-join per foreign key (restore_triggers_and_check).
    Returns `model_list`, the models written meanwhile, or [] when the triggers stay (not a
    superuser, SQLite).
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return []
        cursor.execute("SET LOCAL session_replication_role = replica")
    return model_list


def restore_triggers_and_check(written):
    """Triggers back on; then every foreign key of the tables written without them, checked
    with one query each. A dangling key raises: the transaction rolls back."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for model in written:
            for field in model._meta.concrete_fields:
                if not field.is_relation or not field.db_constraint:
                    continue
                target = field.target_field
                cursor.execute(
                    f"SELECT count(*) FROM {quote(model._meta.db_table)} child "  # noqa: S608 - names from _meta
                    f"WHERE child.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{quote(target.model._meta.db_table)} parent "
                    f"WHERE parent.{quote(target.column)} = child.{quote(field.column)})"
                )
                dangling = cursor.fetchone()[0]
                if dangling:
                    raise RuntimeError(f"{dangling} rows of {model._meta.db_table} point nowhere by {field.column}")
