"""The check reads the catalogue and the file's actions once; what it spends per row is the forms'
own work (the commitment's indicators and focus areas, the model's checks), a constant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.tests.factories import ActionFactory
from imports import services
from imports.tests.factories import ImportJobFactory

pytestmark = pytest.mark.django_db

# Measured: the statements one more row costs (new or changed), whatever the file's length: the
# commitment's focus areas and indicators, its choice and foreign key checked (4), and the action
# table's seven CHECK constraints, each evaluated by Django in a savepoint (7 x 3).
PER_ROW = 26


def _queries_to_check(user, city, rows):
    content = "id,compromiso,título,fecha de inicio\n" + "".join(f"{pk},3.1,Fila {n},2026-09-01\n" for n, pk in rows)
    job = ImportJobFactory(user=user, city=city, file__data=content.encode(), file__filename="a.csv")
    with CaptureQueriesContext(connection) as queries:
        services.import_check(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "ready" and job.error_count == 0, job.rows[:1]
    return len(queries)


def test_the_checks_queries_grow_by_a_constant_per_row(ambassador, lima, record_property):
    drafts = [ActionFactory(by=ambassador, title=f"Acción {n}") for n in range(20)]
    ten = _queries_to_check(ambassador, lima, [(n, drafts[n].pk if n % 2 else "") for n in range(10)])
    twenty = _queries_to_check(ambassador, lima, [(n, drafts[n].pk if n % 2 else "") for n in range(20)])
    per_row = (twenty - ten) / 10
    record_property("terminal_summary", f"Import check: {ten} queries for 10 rows, {twenty} for 20 ({per_row} per row)")
    assert per_row <= PER_ROW
    assert ten <= 10 * PER_ROW + 20
