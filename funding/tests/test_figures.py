"""Money figures read from the pipeline: Decimal end to end, USD at the admins' rate in force on
the day an opportunity was identified, rounded once, amounts without a rate counted apart."""

import datetime
from decimal import Decimal

import pytest

from commitments.tests.factories import ExchangeRateFactory
from funding.figures import pipeline
from funding.models import Opportunity
from funding.tests.factories import DisbursementFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


def _figures(**filters):
    return pipeline(Opportunity.objects.filter(**filters), today=DAY)


def test_usd_is_summed_whole_and_rounded_once_across_currencies(ambassador):
    ExchangeRateFactory(currency="MXN", usd_per_unit=Decimal("0.0551234567"), effective_on=datetime.date(2026, 1, 1))
    ExchangeRateFactory(currency="PEN", usd_per_unit=Decimal("0.2666666667"), effective_on=datetime.date(2026, 1, 1))
    for _ in range(3):
        OpportunityFactory(by=ambassador, currency="MXN", amount=Decimal("1.00"), identified_on=DAY)
    OpportunityFactory(by=ambassador, currency="PEN", amount=Decimal("0.05"), identified_on=DAY)
    OpportunityFactory(by=ambassador, currency="USD", amount=Decimal("10.10"), identified_on=DAY)
    figures = _figures()
    # 3 * 0.0551234567 + 0.05 * 0.2666666667 + 10.10 = 10.2787037034...: 10.28. Rounding each
    # amount first would give 3 * 0.06 + 0.01 + 10.10 = 10.29.
    assert figures.sought.usd == Decimal("10.28")
    assert isinstance(figures.sought.usd, Decimal)
    assert figures.sought.currencies == [
        {"currency": "MXN", "amount": Decimal("3.00")},
        {"currency": "PEN", "amount": Decimal("0.05")},
        {"currency": "USD", "amount": Decimal("10.10")},
    ]
    identified = next(stage for stage in figures.stages if stage["stage"] == "identified")
    assert identified["count"] == 5 and identified["usd"] == Decimal("10.28")


def test_the_rate_in_force_on_the_day_it_was_identified_converts_it_and_without_one_it_is_left_out(ambassador):
    ExchangeRateFactory(currency="BRL", usd_per_unit=Decimal("0.20"), effective_on=datetime.date(2025, 1, 1))
    ExchangeRateFactory(currency="BRL", usd_per_unit=Decimal("0.18"), effective_on=datetime.date(2026, 1, 1))
    OpportunityFactory(
        by=ambassador, currency="BRL", amount=Decimal("1000.00"), identified_on=datetime.date(2025, 7, 1)
    )
    OpportunityFactory(
        by=ambassador, currency="BRL", amount=Decimal("1000.00"), identified_on=datetime.date(2026, 7, 1)
    )
    OpportunityFactory(by=ambassador, currency="CLP", amount=Decimal("500000.00"), identified_on=DAY)
    figures = _figures()
    assert figures.sought.usd == Decimal("380.00")
    assert figures.sought.without_rate == 1, "the CLP amount has no rate: counted apart, not as zero dollars"
    assert {"currency": "CLP", "amount": Decimal("500000.00")} in figures.sought.currencies


def test_sought_awarded_and_disbursed_are_three_figures_never_added_together(ambassador):
    ExchangeRateFactory(currency="PEN", usd_per_unit=Decimal("0.25"), effective_on=datetime.date(2026, 1, 1))
    OpportunityFactory(by=ambassador, currency="PEN", amount=Decimal("400.00"), stage="preparing", identified_on=DAY)
    awarded = OpportunityFactory(
        by=ambassador,
        currency="PEN",
        amount=Decimal("1000.00"),
        amount_awarded=Decimal("800.00"),
        stage="awarded",
        identified_on=DAY,
    )
    DisbursementFactory(opportunity=awarded, amount=Decimal("300.00"))
    DisbursementFactory(opportunity=awarded, amount=Decimal("100.00"))
    OpportunityFactory(by=ambassador, currency="PEN", amount=Decimal("999.00"), stage="rejected", identified_on=DAY)
    OpportunityFactory(by=ambassador, currency="PEN", amount=Decimal("999.00"), stage="withdrawn", identified_on=DAY)
    figures = _figures()
    assert (figures.sought.usd, figures.awarded.usd, figures.disbursed.usd) == (
        Decimal("100.00"),
        Decimal("200.00"),
        Decimal("100.00"),
    )
    assert figures.awarded.currencies == [{"currency": "PEN", "amount": Decimal("800.00")}]
    awarded_stage = next(stage for stage in figures.stages if stage["stage"] == "awarded")
    assert awarded_stage["usd"] == Decimal("200.00"), "an awarded one counts what was granted, not what was asked"
    assert figures.disbursed.count == 1, "one opportunity received money, in two disbursements"
    assert (figures.awarded_count, figures.decided_count, figures.conversion) == (1, 2, Decimal("50"))


def test_no_decision_yet_means_no_conversion_rate_rather_than_zero(ambassador):
    OpportunityFactory(by=ambassador, stage="submitted")
    OpportunityFactory(by=ambassador, stage="withdrawn")
    assert _figures().conversion is None


def test_a_period_reads_the_opportunities_identified_in_it(ambassador):
    OpportunityFactory(by=ambassador, amount=Decimal("10.00"), identified_on=datetime.date(2026, 1, 15))
    OpportunityFactory(by=ambassador, amount=Decimal("20.00"), identified_on=datetime.date(2026, 3, 15))
    cohort = Opportunity.objects.identified_between(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert pipeline(cohort).sought.usd == Decimal("20.00")


def test_upcoming_deadlines_are_the_ones_still_being_prepared_soonest_first(ambassador):
    later = OpportunityFactory(by=ambassador, deadline=DAY + datetime.timedelta(days=20))
    sooner = OpportunityFactory(by=ambassador, deadline=DAY + datetime.timedelta(days=3), stage="preparing")
    OpportunityFactory(by=ambassador, deadline=DAY + datetime.timedelta(days=1), stage="submitted")
    OpportunityFactory(by=ambassador, deadline=DAY - datetime.timedelta(days=1))
    assert _figures().deadlines == [sooner, later]


def test_the_figures_take_a_fixed_number_of_queries(ambassador, other_ambassador, django_assert_max_num_queries):
    for by in (ambassador, other_ambassador):
        for stage in ("identified", "awarded", "rejected"):
            OpportunityFactory(by=by, stage=stage, amount_awarded=Decimal("5.00") if stage == "awarded" else None)
    with django_assert_max_num_queries(3):
        figures = _figures()
        [(opportunity.city.name, opportunity.funder_label) for opportunity in figures.deadlines]
    assert figures.awarded.usd == Decimal("10.00")
