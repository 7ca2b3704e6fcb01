"""bench/floor_sql.py spells the money of the funding pipeline again in SQL (the floor the panel
and "Mi ciudad" are measured against): per stage and currency with USD at the rate in force on
the day each opportunity was identified, the money disbursed, the next deadlines. It must give
funding.figures' figures. PostgreSQL only: the bench's SQL is PostgreSQL's (CI runs it there)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bench.floor_sql import CITY_SHARED_SQL, OVERVIEW_SHARED_SQL
from commitments.models import ExchangeRate
from funding import figures
from funding.models import Opportunity
from funding.tests.factories import DisbursementFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _same(app_rows, floor_rows, keys):
    app = {tuple(row[key] for key in keys): row for row in app_rows}
    floor = {tuple(row[key] for key in keys): row for row in floor_rows}
    assert app.keys() == floor.keys()
    for key, row in app.items():
        for field, value in floor[key].items():
            if field not in keys:
                assert row[field] == value, (key, field)


@pytest.fixture
def pipeline(ambassador, other_ambassador):
    """Lima's opportunities in dollars, soles at two rates and euros, Rosario's in pesos without a
    rate; identified last year and this one, in every kind of stage, some disbursed."""
    today = timezone.localdate()
    rates = [("PEN", "0.25", "2025-01-01"), ("PEN", "0.30", "2026-01-01"), ("EUR", "1.1", "2025-01-01")]
    for currency, rate, since in rates:
        ExchangeRate.objects.create(
            currency=currency, usd_per_unit=Decimal(rate), effective_on=datetime.date.fromisoformat(since)
        )
    soon = today + datetime.timedelta(days=5)

    def found(by, currency, amount, identified_on, stage, awarded=None, deadline=soon):
        return OpportunityFactory(
            by=by,
            currency=currency,
            amount=Decimal(amount),
            identified_on=datetime.date.fromisoformat(identified_on),
            stage=stage,
            amount_awarded=awarded and Decimal(awarded),
            deadline=deadline,
        )

    loan = found(ambassador, "USD", "100000.00", "2026-02-01", "awarded", "80000.00")
    DisbursementFactory(opportunity=loan, amount=Decimal("30000.00"))
    DisbursementFactory(opportunity=loan, amount=Decimal("10000.50"))
    found(ambassador, "PEN", "250000.00", "2025-06-01", "submitted")
    grant = found(ambassador, "PEN", "120000.00", "2026-03-01", "awarded")
    DisbursementFactory(opportunity=grant, amount=Decimal("60000.00"))
    found(ambassador, "EUR", "45000.00", "2026-04-01", "identified", deadline=today + datetime.timedelta(days=2))
    found(ambassador, "PEN", "33333.33", "2026-05-01", "preparing", deadline=today)
    found(ambassador, "USD", "5000.00", "2026-05-02", "rejected")
    found(ambassador, "USD", "7000.00", "2026-05-03", "identified", deadline=today - datetime.timedelta(days=1))
    pesos = found(other_ambassador, "ARS", "9000000.00", "2026-01-15", "awarded")
    DisbursementFactory(opportunity=pesos, amount=Decimal("1000000.00"))
    found(other_ambassador, "ARS", "100.00", "2026-06-01", "identified", deadline=today + datetime.timedelta(days=1))
    return today


STAGE_KEYS = ["stage", "currency"]


def test_the_overview_floor_counts_the_money_of_the_period_as_the_app_does(pipeline, lima, rosario):
    if connection.vendor != "postgresql":
        pytest.skip("the bench's SQL is PostgreSQL's (CI runs this on it)")
    today = pipeline
    params = {"cities": [lima.pk, rosario.pk], "start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 12, 31)}
    params["today"] = today
    cohort = Opportunity.objects.filter(city__in=[lima, rosario]).identified_between(params["start"], params["end"])
    _same(figures.per_stage_and_currency(cohort), _rows(OVERVIEW_SHARED_SQL["pipeline"], params), STAGE_KEYS)
    _same(figures.disbursed_per_currency(cohort), _rows(OVERVIEW_SHARED_SQL["disbursed"], params), ["currency"])
    upcoming = Opportunity.objects.filter(city__in=[lima, rosario]).upcoming_deadlines(today=today)
    assert [row["id"] for row in _rows(OVERVIEW_SHARED_SQL["deadlines"], params)] == [
        opportunity.pk for opportunity in upcoming[:5]
    ]
    assert _rows(OVERVIEW_SHARED_SQL["pipeline"], params)  # the comparison had something to compare


def test_the_city_floor_counts_all_its_money_and_this_years_as_the_app_does(pipeline, lima):
    if connection.vendor != "postgresql":
        pytest.skip("the bench's SQL is PostgreSQL's (CI runs this on it)")
    today = pipeline
    params = {"city_id": lima.pk, "today": today, "year_start": datetime.date(today.year, 1, 1)}
    everything = Opportunity.objects.filter(city=lima)
    this_year = everything.identified_between(params["year_start"], today)
    for opportunities, suffix in ((everything, ""), (this_year, "_this_year")):
        floor = _rows(CITY_SHARED_SQL["pipeline" + suffix], params)
        _same(figures.per_stage_and_currency(opportunities), floor, STAGE_KEYS)
        floor = _rows(CITY_SHARED_SQL["disbursed" + suffix], params)
        _same(figures.disbursed_per_currency(opportunities), floor, ["currency"])
    upcoming = everything.upcoming_deadlines(today=today)[:5]
    assert [row["id"] for row in _rows(CITY_SHARED_SQL["deadlines"], params)] == [o.pk for o in upcoming]
