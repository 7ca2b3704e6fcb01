"""One truth for money: the fund rows. Money sought (identified, applied for) and money secured
(awarded, disbursed) are two figures on the panel, "Mi ciudad", a report and its exports, each
equal to a recount of the fund rows in USD at the rate in force on the action's date; nothing
adds them together, and an amount without a rate is never guessed."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse

from commitments import services, tallies
from commitments.models import Commitment, ExchangeRate, Fund, Indicator
from reports import tasks
from reports.content import present
from reports.models import ProgressReport
from reports.tests.factories import ReportedActionFactory

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
YEAR_2026 = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
NBSP = "\xa0"  # Spanish groups thousands with a non-breaking space


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def fund(amount, currency, stage):
    return {"amount": Decimal(amount), "currency": currency, "funder": "Fondo", "stage": stage}


@pytest.fixture
def money(ambassador, other_ambassador, coordinator, admin, pen_rate):
    """Lima in 2026: 500 USD applied for and 1,000 PEN awarded (250 USD at 0.25), then after a new
    rate (0.30 from July) 2,000 PEN identified (600 USD) and 100 USD disbursed; 3,000 CLP awarded
    with no CLP rate. Not counted: funds of a submitted action, of 2025, and of Rosario."""
    ExchangeRate.objects.create(currency="PEN", usd_per_unit=Decimal("0.30"), effective_on=datetime.date(2026, 7, 1))
    ReportedActionFactory(
        by=ambassador,
        reviewer=coordinator,
        commitment="1.4",
        started_on=datetime.date(2026, 6, 1),
        funds=[fund(500, "USD", "applied"), fund(1000, "PEN", "awarded")],
    )
    ReportedActionFactory(
        by=ambassador,
        reviewer=coordinator,
        commitment="1.4",
        started_on=datetime.date(2026, 8, 1),
        funds=[fund(2000, "PEN", "identified"), fund(100, "USD", "disbursed"), fund(3000, "CLP", "awarded")],
    )
    ReportedActionFactory(by=ambassador, status="submitted", commitment="1.4", funds=[fund(7777, "USD", "awarded")])
    ReportedActionFactory(
        by=ambassador,
        reviewer=coordinator,
        commitment="1.4",
        started_on=datetime.date(2025, 12, 1),
        funds=[fund(4000, "USD", "awarded"), fund(40, "USD", "applied")],
    )
    ReportedActionFactory(by=other_ambassador, reviewer=admin, commitment="1.4", funds=[fund(9000, "USD", "awarded")])


def recount(stages, **filters):
    """The USD of the approved funds of `stages`, written independently of the dashboards."""
    funds = Fund.objects.filter(action__status="approved", stage__in=stages, **filters).with_usd()
    return funds.aggregate(usd=Sum("amount_usd"))["usd"] or Decimal(0)


def funds_section(page):
    return page[page.index('id="funds-heading"') : page.index("</section>", page.index('id="funds-heading"'))]


@pytest.mark.django_db
def test_the_panel_shows_money_sought_and_secured_apart_each_equal_to_a_recount(client_for, coordinator, money, lima):
    response = client_for(coordinator).get(reverse("reports:overview"), YEAR_2026)
    funds = response.context["funds"]
    in_2026 = {"action__city": lima, "action__started_on__year": 2026}
    assert funds["sought"].usd == recount(Fund.SOUGHT, **in_2026) == Decimal("1100")  # 500 + 2000 PEN at 0.30
    assert funds["secured"].usd == recount(Fund.SECURED, **in_2026) == Decimal("350")  # 1000 PEN at 0.25 + 100
    assert funds["secured"].without_rate == 1  # the CLP: its dollars are unknown, not zero
    assert [(row["currency"], row["amount"]) for row in funds["secured"].currencies] == [
        ("CLP", Decimal("3000")),
        ("PEN", Decimal("1000")),
        ("USD", Decimal("100")),
    ]
    page = response.content.decode()
    assert "Fondos buscados" in page and "Fondos asegurados" in page
    assert "1 monto sin tipo de cambio no se cuenta en USD" in page
    section = funds_section(page)
    assert re.search(rf">\s*1{NBSP}100\s*<", section) and re.search(r">\s*350\s*<", section)
    assert f"1{NBSP}450" not in page  # sought and secured never added together


@pytest.mark.django_db
def test_the_funds_chart_draws_each_stage_once_in_the_colour_of_its_figure(client_for, coordinator, money):
    chart = client_for(coordinator).get(reverse("reports:overview"), YEAR_2026).context["charts"]["funds"]
    sought, secured = chart["datasets"]
    assert chart["labels"] == ["Identificado", "Solicitado", "Otorgado", "Desembolsado"]
    assert sought["data"] == [600.0, 500.0, None, None]
    assert secured["data"] == [None, None, 250.0, 100.0]


@pytest.mark.django_db
def test_a_coordinator_sees_no_money_of_another_country(client_for, coordinator_elsewhere, money):
    funds = client_for(coordinator_elsewhere).get(reverse("reports:overview"), YEAR_2026).context["funds"]
    assert (funds["sought"].usd, funds["secured"].usd, funds["recorded"]) == (0, 0, False)


@pytest.mark.django_db
def test_my_city_shows_money_sought_and_secured_this_year_and_in_all(client_for, ambassador, money, lima):
    response = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk]))
    funds = response.context["funds"]
    assert (funds["sought"].usd_since, funds["sought"].usd) == (
        recount(Fund.SOUGHT, action__city=lima, action__started_on__year=2026),
        recount(Fund.SOUGHT, action__city=lima),
    )
    assert (funds["sought"].usd_since, funds["sought"].usd) == (Decimal("1100"), Decimal("1140"))
    assert (funds["secured"].usd_since, funds["secured"].usd) == (Decimal("350"), Decimal("4350"))
    page = response.content.decode()
    section = funds_section(page)
    assert "Fondos buscados" in section and "Fondos asegurados" in section
    assert "1 monto sin tipo de cambio no se cuenta en USD" in section
    assert f"5{NBSP}490" not in page and f"1{NBSP}450" not in page  # never one total


@pytest.mark.django_db
def test_my_city_says_plainly_when_no_funds_are_recorded(client_for, ambassador, lima):
    page = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk])).content.decode()
    assert "Las acciones aprobadas todavía no registran fondos." in page


@pytest.mark.django_db
def test_a_report_and_its_exports_give_money_sought_and_secured_apart(money, lima):
    tasks.generate_city_report.delay(lima.pk, "year", "2026-01-01")
    report = ProgressReport.objects.get(city=lima, kind="year")
    presented = present(report.snapshot, "es")
    assert (presented["sought_usd"], presented["secured_usd"]) == (Decimal("1100.00"), Decimal("350.00"))
    html = report.html_file.read().decode()
    assert "Fondos buscados" in html and "Fondos asegurados" in html and f"1{NBSP}450" not in html
    rows = list(csv.reader(io.StringIO(report.csv_file.read().decode("utf-8-sig"))))
    usd = {row[2]: Decimal(row[3]) for row in rows if row[2] in ("Fondos buscados", "Fondos asegurados")}
    assert usd == {"Fondos buscados": Decimal("1100.00"), "Fondos asegurados": Decimal("350.00")}
    assert "Total en USD" not in {row[2] for row in rows}


@pytest.mark.django_db
def test_a_report_leaves_out_funds_typed_on_the_retired_indicator_before_its_retirement(ambassador, coordinator, lima):
    """A value of 1.4-a typed before it was retired repeats the fund rows: a report, like the
    panel, counts the funds only, whether it reads the tally or the values."""
    retired, other = Indicator.objects.get(code="1.4-a"), Indicator.objects.get(code="1.4-b")
    funds_commitment = Commitment.objects.with_axis().get(axis__number=1, number=4)
    action = services.action_create(
        by=ambassador,
        commitment=funds_commitment,
        data={"title": "Fondo", "description": "Hecho.", "started_on": datetime.date(2026, 3, 10)},
        focus_areas=list(funds_commitment.focus_areas.all()[:1]),
        indicator_values={retired.pk: Decimal(250000), other.pk: Decimal(3)},
        funds=[fund(1000, "USD", "applied")],
    )
    services.action_submit(action=action, by=ambassador)
    services.action_approve(action=action, by=coordinator)
    # March whole (the indicator tally), then part of it (the values).
    for start, end in (
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 3, 5), datetime.date(2026, 3, 20)),
    ):
        rows = tallies.indicator_values(city=lima, start=start, end=end, today=TODAY.date())
        assert {row["indicator"] for row in rows} == {other.pk}
    tasks.generate_city_report.delay(lima.pk, "year", "2026-01-01")
    html = ProgressReport.objects.get(city=lima, kind="year").html_file.read().decode()
    assert "Fondos internacionales movilizados" not in html
