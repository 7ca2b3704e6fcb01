"""One truth for money: the funding pipeline. Money sought (the open opportunities), money awarded
and money disbursed are three figures on the panel, "Mi ciudad", a report and its exports, each
equal to a recount of the opportunities in USD at the rate in force on the day each was
identified; nothing adds them together, an amount without a rate is counted apart and never
guessed, and USD is rounded once. A period selects the opportunities identified in it."""

import csv
import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from commitments import services, tallies
from commitments.models import Commitment, ExchangeRate, Indicator
from funding.models import Opportunity
from funding.tests.factories import DisbursementFactory, OpportunityFactory
from reports import dashboards, tasks
from reports.content import present
from reports.models import ProgressReport
from reports.outputs import figure_rows, render_html
from reports.periods import Period

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
YEAR_2026 = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
NBSP = "\xa0"  # Spanish groups thousands with a non-breaking space


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def opportunity(by, amount, currency, stage, identified_on, **fields):
    return OpportunityFactory(
        by=by,
        amount=Decimal(amount),
        currency=currency,
        stage=stage,
        identified_on=identified_on,
        amount_awarded=Decimal(amount) if stage == Opportunity.Stage.AWARDED else None,
        **fields,
    )


@pytest.fixture
def money(ambassador, other_ambassador, pen_rate):
    """Lima's opportunities identified in 2026: 500 USD submitted and 1,000 PEN awarded (250 USD at
    0.25) in June, of which 400 PEN came in (100 USD); after a new rate (0.30 from July) 2,000 PEN
    identified (600 USD), 100 USD awarded and received, 3,000 CLP awarded with no CLP rate, and 800
    USD rejected. In 2025: 4,000 USD awarded and 40 USD in preparation (its deadline still ahead).
    Rosario: 9,000 USD awarded, out of a Peruvian coordinator's scope."""
    ExchangeRate.objects.create(currency="PEN", usd_per_unit=Decimal("0.30"), effective_on=datetime.date(2026, 7, 1))
    june, august = datetime.date(2026, 6, 1), datetime.date(2026, 8, 1)
    opportunity(ambassador, 500, "USD", "submitted", june)
    pen = opportunity(ambassador, 1000, "PEN", "awarded", june)
    DisbursementFactory(opportunity=pen, amount=Decimal("400"), received_on=datetime.date(2026, 10, 1))
    opportunity(ambassador, 2000, "PEN", "identified", august, deadline=datetime.date(2026, 12, 15), title="Agua")
    usd = opportunity(ambassador, 100, "USD", "awarded", august)
    DisbursementFactory(opportunity=usd, amount=Decimal("100"), received_on=datetime.date(2026, 9, 1))
    opportunity(ambassador, 3000, "CLP", "awarded", august)
    opportunity(ambassador, 800, "USD", "rejected", datetime.date(2026, 9, 1))
    opportunity(ambassador, 4000, "USD", "awarded", datetime.date(2025, 12, 1))
    opportunity(
        ambassador, 40, "USD", "preparing", datetime.date(2025, 12, 1), deadline=datetime.date(2027, 1, 10), title="Sol"
    )
    opportunity(other_ambassador, 9000, "USD", "awarded", datetime.date(2026, 3, 1), title="Rosario")


def rate_on(currency, day):
    """The admins' rate in force on `day`, read row by row (independently of funding.figures)."""
    if currency == "USD":
        return Decimal(1)
    rates = sorted(ExchangeRate.objects.filter(currency=currency), key=lambda rate: rate.effective_on)
    in_force = [rate.usd_per_unit for rate in rates if rate.effective_on <= day]
    return in_force[-1] if in_force else None


def recount(stages, *, amount="amount", **filters):
    """USD of the opportunities at `stages`, summed whole and rounded once; and how many have no rate."""
    total, without_rate = Decimal(0), 0
    for found in Opportunity.objects.filter(stage__in=stages, **filters):
        rate = rate_on(found.currency, found.identified_on)
        if rate is None:
            without_rate += 1
        else:
            total += getattr(found, amount) * rate
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), without_rate


def recount_disbursed(**filters):
    total = Decimal(0)
    for found in Opportunity.objects.filter(**filters).prefetch_related("disbursements"):
        rate = rate_on(found.currency, found.identified_on)
        total += sum((d.amount for d in found.disbursements.all()), Decimal(0)) * (rate or 0)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money_section(page):
    start = page.index('id="money-heading"')
    return page[start : page.index("</section>", start)]


@pytest.mark.django_db
def test_the_panel_shows_money_sought_awarded_and_disbursed_apart_each_equal_to_a_recount(
    client_for, coordinator, money, lima
):
    response = client_for(coordinator).get(reverse("reports:overview"), YEAR_2026)
    found = response.context["money"]
    in_2026 = {"city": lima, "identified_on__year": 2026}
    assert (found.sought.usd, found.sought.without_rate) == recount(Opportunity.OPEN, **in_2026)
    assert found.sought.usd == Decimal("1100.00")  # 500 + 2000 PEN at 0.30
    assert (found.awarded.usd, found.awarded.without_rate) == recount(["awarded"], amount="amount_awarded", **in_2026)
    assert found.awarded.usd == Decimal("350.00")  # 1000 PEN at 0.25 + 100
    assert found.awarded.without_rate == 1  # the CLP: its dollars are unknown, not zero
    assert found.disbursed.usd == recount_disbursed(**in_2026) == Decimal("200.00")  # 400 PEN at 0.25 + 100
    assert [(row["currency"], row["amount"]) for row in found.awarded.currencies] == [
        ("CLP", Decimal("3000")),
        ("PEN", Decimal("1000")),
        ("USD", Decimal("100")),
    ]
    assert (found.awarded_count, found.decided_count, found.conversion) == (3, 4, Decimal("75"))
    page = response.content.decode()
    assert "Buscado" in page and "Otorgado" in page and "Desembolsado" in page
    assert "1 monto sin tipo de cambio no se cuenta en USD" in page
    section = money_section(page)
    for usd in (f"1{NBSP}100", "350", "200"):
        assert re.search(rf">\s*{usd}\s*<", section), usd
    assert "75 % (3 de 4 decididas)" in section
    assert f"1{NBSP}450" not in page and f"1{NBSP}650" not in page  # never added together


@pytest.mark.django_db
def test_the_panel_lists_the_scopes_next_deadlines_whenever_the_opportunity_was_found(
    client_for, coordinator, money, lima
):
    response = client_for(coordinator).get(reverse("reports:overview"), YEAR_2026)
    assert [(o.title, o.deadline) for o in response.context["money"].deadlines] == [
        ("Agua", datetime.date(2026, 12, 15)),
        ("Sol", datetime.date(2027, 1, 10)),  # identified in 2025: its deadline is still ahead
    ]
    section = money_section(response.content.decode())
    assert "Próximas fechas límite" in section and "Agua" in section and "Rosario" not in section
    assert reverse("funding:opportunity", args=[response.context["money"].deadlines[0].pk]) in section
    assert reverse("funding:index") in section


@pytest.mark.django_db
def test_the_money_chart_draws_each_stage_once_in_the_colour_of_its_group(client_for, coordinator, money):
    chart = client_for(coordinator).get(reverse("reports:overview"), YEAR_2026).context["charts"]["funds"]
    open_, awarded, closed = chart["datasets"]
    assert chart["labels"] == ["Identificada", "En preparación", "Presentada", "Otorgada", "Rechazada", "Retirada"]
    # The amounts sought at each stage, exact: 2000 PEN at 0.30; 500; 1000 PEN at 0.25 + 100 (the CLP has no rate).
    assert open_["data"] == ["600.00", "0.00", "500.00", None, None, None]
    assert awarded["data"] == [None, None, None, "350.00", None, None]
    assert closed["data"] == [None, None, None, None, "800.00", "0.00"]


@pytest.mark.django_db
def test_a_coordinator_sees_no_money_of_another_country(client_for, coordinator_elsewhere, money):
    found = client_for(coordinator_elsewhere).get(reverse("reports:overview"), YEAR_2026).context["money"]
    assert [figure.usd for figure in found.figures] == [0, 0, 0]
    assert (found.recorded, found.deadlines, found.conversion) == (False, [], None)


@pytest.mark.django_db
def test_the_period_selects_the_opportunities_identified_in_it(money, lima):
    """A cohort: the money awarded and disbursed is what came of the opportunities found then."""
    june = dashboards.money(cities=[lima], period=Period(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)))
    assert (june.sought.usd, june.awarded.usd, june.disbursed.usd) == (Decimal(500), Decimal(250), Decimal(100))
    december = dashboards.money(cities=[lima], period=Period(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)))
    assert (december.sought.usd, december.awarded.usd, december.disbursed.usd) == (40, 4000, 0)


@pytest.mark.django_db
def test_amounts_keep_their_decimals_and_convert_at_the_rate_in_force_the_day_they_were_identified(ambassador, lima):
    ExchangeRate.objects.create(currency="COP", usd_per_unit=Decimal("0.00025"), effective_on=datetime.date(2026, 1, 1))
    ExchangeRate.objects.create(currency="COP", usd_per_unit=Decimal("0.00030"), effective_on=datetime.date(2026, 7, 1))
    june = datetime.date(2026, 6, 1)
    opportunity(ambassador, "4000000.10", "COP", "identified", june)
    opportunity(ambassador, "1500.50", "USD", "identified", june)
    opportunity(ambassador, "20", "EUR", "identified", june)  # no euro rate: counted apart, never guessed
    found = dashboards.money(cities=[lima], period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    [identified] = [stage for stage in found.stages if stage["stage"] == "identified"]
    assert identified["usd"] == Decimal("2500.50")  # 1000.000025 + 1500.50, rounded once
    assert identified["without_rate"] == 1
    assert {row["currency"]: row["amount"] for row in identified["currencies"]} == {
        "COP": Decimal("4000000.10"),
        "EUR": Decimal("20"),
        "USD": Decimal("1500.50"),
    }
    assert (found.sought.usd, found.sought.without_rate) == (Decimal("2500.50"), 1)


@pytest.mark.django_db
def test_usd_is_rounded_once_not_per_opportunity(ambassador, lima):
    ExchangeRate.objects.create(currency="COP", usd_per_unit=Decimal("0.00125"), effective_on=datetime.date(2026, 1, 1))
    for _ in range(3):
        opportunity(ambassador, "4", "COP", "identified", datetime.date(2026, 6, 1))  # 0.005 USD each
    found = dashboards.money(cities=[lima], period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    assert found.sought.usd == Decimal("0.02")  # 0.015 rounded once; per opportunity it would be 0.03


@pytest.mark.django_db
def test_my_city_shows_its_pipeline_this_year_and_in_all_with_its_deadlines(client_for, ambassador, money, lima):
    response = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk]))
    figures = {total.name: (this_year.usd, total.usd) for total, this_year in response.context["money_rows"]}
    assert figures["sought"] == (
        recount(Opportunity.OPEN, city=lima, identified_on__year=2026)[0],
        recount(Opportunity.OPEN, city=lima)[0],
    )
    assert figures == {
        "sought": (Decimal("1100.00"), Decimal("1140.00")),
        "awarded": (Decimal("350.00"), Decimal("4350.00")),
        "disbursed": (Decimal("200.00"), Decimal("200.00")),
    }
    assert response.context["money"].conversion == Decimal("80")  # 4 awarded of 5 decided
    assert [o.title for o in response.context["money"].deadlines] == ["Agua", "Sol"]
    page = response.content.decode()
    section = money_section(page)
    assert "Buscado" in section and "Otorgado" in section and "Desembolsado" in section
    assert "1 monto sin tipo de cambio no se cuenta en USD" in section
    assert reverse("funding:board", args=[lima.pk]) in section
    assert f"5{NBSP}490" not in page and f"1{NBSP}450" not in page  # never one total


@pytest.mark.django_db
def test_my_city_says_plainly_when_no_opportunity_is_recorded(client_for, ambassador, lima):
    page = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk])).content.decode()
    assert "La ciudad todavía no registra oportunidades de financiamiento." in page


@pytest.mark.django_db
def test_a_figure_whose_amounts_all_lack_a_rate_shows_no_dollars_rather_than_zero(client_for, ambassador, lima):
    opportunity(ambassador, 3000, "CLP", "identified", datetime.date(2026, 6, 1))
    response = client_for(ambassador).get(reverse("reports:city_progress", args=[lima.pk]))
    [sought] = [total for total, _this_year in response.context["money_rows"] if total.name == "sought"]
    assert (sought.usd, sought.without_rate, sought.count) == (0, 1, 1)
    row = money_section(response.content.decode()).split("Buscado", 1)[1].split("</tr>", 1)[0]
    assert "sin tipo de cambio" in row and not re.search(r">\s*0\s*<", row)


@pytest.mark.django_db
def test_a_report_and_its_exports_give_the_three_figures_apart(money, lima):
    tasks.generate_city_report.delay(lima.pk, "year", "2026-01-01")
    report = ProgressReport.objects.get(city=lima, kind="year")
    stored = report.snapshot["money"]
    assert {name: figure["usd"] for name, figure in stored["figures"].items()} == {
        "sought": "1100.00",
        "awarded": "350.00",
        "disbursed": "200.00",
    }
    stages = {
        (stage["stage"], row["currency"]): row["amount"] for stage in stored["stages"] for row in stage["currencies"]
    }
    assert stages == {
        ("identified", "PEN"): "2000.00",
        ("submitted", "USD"): "500.00",
        ("awarded", "CLP"): "3000.00",
        ("awarded", "PEN"): "1000.00",
        ("awarded", "USD"): "100.00",
        ("rejected", "USD"): "800.00",
    }
    assert [entry["title"] for entry in stored["deadlines"]] == ["Agua", "Sol"]
    presented = present(report.snapshot, "es")
    assert [(f["name"], f["usd"]) for f in presented["money"]["figures"]] == [
        ("sought", Decimal("1100.00")),
        ("awarded", Decimal("350.00")),
        ("disbursed", Decimal("200.00")),
    ]
    assert presented["money"]["conversion"] == Decimal("75")
    assert "El financiamiento otorgado suma 350,00 USD, de los que se recibieron 200,00 USD." in presented["narrative"]
    html = report.html_file.read().decode()
    assert "Financiamiento" in html and "Buscado" in html and "Desembolsado" in html
    assert f"1{NBSP}450" not in html and f"1{NBSP}650" not in html
    rows = list(csv.reader(io.StringIO(report.csv_file.read().decode("utf-8-sig"))))
    usd = {row[2]: Decimal(row[3]) for row in rows if row[0] == "Financiamiento" and row[1] == "USD"}
    assert usd == {"Buscado": Decimal("1100.00"), "Otorgado": Decimal("350.00"), "Desembolsado": Decimal("200.00")}
    concepts = {row[2]: row[3] for row in rows}
    assert concepts["Otorgado: montos sin tipo de cambio"] == "1"
    assert concepts["Tasa de conversión (otorgadas ÷ decididas)"] == "75"
    assert next(row[2] for row in rows if row[0] == "Próximas fechas límite").endswith("Agua (PEN)")
    assert "Total en USD" not in concepts


# A report written before the funding pipeline: its approved actions' fund rows, in their stages.
OLD_FUNDS = [
    {"stage": "applied", "currency": "USD", "amount": "500.00", "usd": "500.00", "without_rate": 0},
    {"stage": "awarded", "currency": "PEN", "amount": "1000.00", "usd": "250.00", "without_rate": 0},
    {"stage": "disbursed", "currency": "CLP", "amount": "3000.00", "usd": None, "without_rate": 1},
]


@pytest.mark.django_db
def test_a_report_stored_before_the_pipeline_still_reads_its_fund_rows(money, lima):
    tasks.generate_city_report.delay(lima.pk, "year", "2026-01-01")
    old = {key: value for key, value in ProgressReport.objects.get(city=lima).snapshot.items() if key != "money"}
    old.update(version=2, funds=OLD_FUNDS)
    report = present(old, "es")
    assert report["money"] is None
    assert [row["stage_label"] for row in report["funds"]] == ["Solicitado", "Otorgado", "Desembolsado"]
    assert (report["sought_usd"], report["secured_usd"]) == (Decimal("500.00"), Decimal("250.00"))
    assert "Los fondos otorgados o desembolsados suman 250,00 USD." in report["narrative"]
    html = render_html(report)
    assert "Fondos por etapa" in html and "Solicitado" in html and "sin tipo de cambio" in html
    assert "Buscado, otorgado y desembolsado" not in html
    rows = {row[2]: row[3] for row in figure_rows(report) if row[0] == "Fondos"}
    assert (rows["Fondos buscados"], rows["Fondos asegurados"]) == (Decimal("500.00"), Decimal("250.00"))
    with translation.override("en"):
        assert str(present(old, "en")["funds"][0]["stage_label"]) == "Applied for"  # in the reader's language


@pytest.mark.django_db
def test_a_report_leaves_out_funds_typed_on_the_retired_indicator_before_its_retirement(ambassador, coordinator, lima):
    """A value of 1.4-a typed before it was retired repeats money the pipeline holds: a report,
    like the panel, leaves it out, whether it reads the tally or the values."""
    retired, other = Indicator.objects.get(code="1.4-a"), Indicator.objects.get(code="1.4-b")
    funds_commitment = Commitment.objects.with_axis().get(axis__number=1, number=4)
    action = services.action_create(
        by=ambassador,
        commitment=funds_commitment,
        data={"title": "Fondo", "description": "Hecho.", "started_on": datetime.date(2026, 3, 10)},
        focus_areas=list(funds_commitment.focus_areas.all()[:1]),
        indicator_values={retired.pk: Decimal(250000), other.pk: Decimal(3)},
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
