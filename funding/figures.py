"""The figures of money every page, report and export shows, all read from the pipeline.

Per stage and currency (an awarded opportunity by the amount granted, any other by the amount
asked for), and three headline figures never added together: money sought (the
opportunities still open: identified, preparing, submitted), money awarded and money disbursed.
Each is in its currencies and in USD at the admins' rate in force on the day the opportunity was
identified; an amount with no rate in force is counted apart, never guessed. USD is summed whole
in the database and rounded to cents once, at the end of each figure. The conversion rate is
awarded ÷ decided (awarded or rejected; a withdrawn one was not decided by the funder).

A period selects the opportunities identified within it: a cohort, so its awarded and disbursed
money are what came of the opportunities found in that period.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.db.models import Count, F, Sum
from django.utils.translation import gettext_lazy as _

from commitments.models import usd_per_unit

from .models import Disbursement, Opportunity

CENT = Decimal("0.01")


def to_cents(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class MoneyFigure:
    """One figure: per currency, and in USD (the amounts with a rate in force, rounded once)."""

    name: str
    label: str
    exact_usd: Decimal = Decimal(0)
    without_rate: int = 0
    count: int = 0
    by_currency: dict = field(default_factory=dict)

    def add(self, *, currency, amount, usd, count, without_rate):
        """`usd` sums the amounts with a rate in force; `without_rate` counts the others."""
        if amount is None:
            return
        self.count += count
        self.without_rate += without_rate
        self.exact_usd += usd or 0
        self.by_currency[currency] = self.by_currency.get(currency, Decimal(0)) + amount

    @property
    def usd(self):
        return to_cents(self.exact_usd)

    @property
    def currencies(self):
        return [{"currency": code, "amount": self.by_currency[code]} for code in sorted(self.by_currency)]


FIGURES = {
    "sought": _("Buscado"),
    "awarded": _("Otorgado"),
    "disbursed": _("Desembolsado"),
}


@dataclass
class Pipeline:
    stages: list
    sought: MoneyFigure
    awarded: MoneyFigure
    disbursed: MoneyFigure
    awarded_count: int
    decided_count: int
    deadlines: list

    @property
    def figures(self):
        return [self.sought, self.awarded, self.disbursed]

    @property
    def recorded(self):
        return any(stage["count"] for stage in self.stages)

    @property
    def conversion(self):
        """Awarded ÷ decided, in percent (None before any decision)."""
        if not self.decided_count:
            return None
        return (Decimal(100) * self.awarded_count / self.decided_count).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _plus(total, value):
    """SQL's SUM: None until a value is added, and a None value adds nothing."""
    if value is None:
        return total
    return value if total is None else total + value


def _times(amount, rate):
    if amount is None or rate is None:
        return None
    with localcontext() as exact:
        exact.prec = 60  # amounts of 30 digits by rates of 30: exact, as the database's numeric
        return amount * rate


def per_stage_and_currency(opportunities):
    """Per stage and currency, how many, the amount sought and awarded, and both in USD (whole,
    unrounded) with how many have no rate in force.

    One GROUP BY that also groups by the rate in force: the rate is a subquery, which PostgreSQL
    would run again for each expression that names it (three lookups per opportunity, a second
    at a million actions); grouped, it runs once per opportunity, and each group's USD is its
    amount times its one rate, multiplied and added up here, exactly."""
    groups = (
        opportunities.with_usd()
        .values("stage", "currency", "usd_rate")
        .annotate(count=Count("pk"), total=Sum("amount"), awarded=Sum("amount_awarded"))
        .order_by()
    )
    rows = {}
    for group in groups:
        row = rows.setdefault(
            (group["stage"], group["currency"]),
            {
                "stage": group["stage"],
                "currency": group["currency"],
                "count": 0,
                "usd": None,
                "awarded_total_usd": None,
                "awarded": None,
                "without_rate": 0,
                "total": None,
            },
        )
        row["count"] += group["count"]
        row["total"] = _plus(row["total"], group["total"])
        row["awarded"] = _plus(row["awarded"], group["awarded"])
        if group["usd_rate"] is None:
            row["without_rate"] += group["count"]
        row["usd"] = _plus(row["usd"], _times(group["total"], group["usd_rate"]))
        row["awarded_total_usd"] = _plus(row["awarded_total_usd"], _times(group["awarded"], group["usd_rate"]))
    return [rows[key] for key in sorted(rows)]


def disbursed_per_currency(opportunities):
    """The money received on `opportunities`, per currency, whole USD beside it: one GROUP BY
    that also groups by the rate in force (as per_stage_and_currency, one lookup per
    disbursement instead of two). An opportunity has one rate, so its disbursements fall in one
    group and the distinct counts add up."""
    groups = (
        Disbursement.objects.filter(opportunity__in=opportunities.values("pk"))
        .annotate(
            usd_rate=usd_per_unit(currency="opportunity__currency", day="opportunity__identified_on"),
            currency=F("opportunity__currency"),
        )
        .values("currency", "usd_rate")
        .annotate(count=Count("opportunity", distinct=True), total=Sum("amount"))
        .order_by()
    )
    rows = {}
    for group in groups:
        empty = {"currency": group["currency"], "count": 0, "usd": None, "without_rate": 0, "total": None}
        row = rows.setdefault(group["currency"], empty)
        row["count"] += group["count"]
        row["total"] = _plus(row["total"], group["total"])
        if group["usd_rate"] is None:
            row["without_rate"] += group["count"]
        row["usd"] = _plus(row["usd"], _times(group["total"], group["usd_rate"]))
    return [rows[key] for key in sorted(rows)]


def pipeline(opportunities, *, today=None, deadlines=5):
    """The figures of `opportunities` (already narrowed to a scope and a period): three
    aggregate queries, and one more for the next deadlines when `today` is given."""
    stages = {
        value: {"stage": value, "label": label, "count": 0, "exact_usd": Decimal(0), "without_rate": 0}
        | {"currencies": []}
        for value, label in Opportunity.Stage.choices
    }
    figures = {name: MoneyFigure(name=name, label=label) for name, label in FIGURES.items()}
    for row in per_stage_and_currency(opportunities):
        stage = stages[row["stage"]]
        # An awarded opportunity counts what was granted; every other stage what was asked for.
        awarded = row["stage"] == Opportunity.Stage.AWARDED
        stage["count"] += row["count"]
        stage["exact_usd"] += (row["awarded_total_usd"] if awarded else row["usd"]) or 0
        stage["without_rate"] += row["without_rate"]
        stage["currencies"].append(
            {"currency": row["currency"], "amount": row["awarded"] if awarded else row["total"], "count": row["count"]}
        )
        if row["stage"] in Opportunity.OPEN:
            figures["sought"].add(
                currency=row["currency"],
                amount=row["total"],
                usd=row["usd"],
                count=row["count"],
                without_rate=row["without_rate"],
            )
        if row["stage"] == Opportunity.Stage.AWARDED:
            figures["awarded"].add(
                currency=row["currency"],
                amount=row["awarded"],
                usd=row["awarded_total_usd"],
                count=row["count"],
                without_rate=row["without_rate"],
            )
    for row in disbursed_per_currency(opportunities):
        figures["disbursed"].add(
            currency=row["currency"],
            amount=row["total"],
            usd=row["usd"],
            count=row["count"],
            without_rate=row["without_rate"],
        )
    for stage in stages.values():
        stage["usd"] = to_cents(stage.pop("exact_usd"))
    upcoming = next_deadlines(opportunities, today=today, limit=deadlines) if today is not None and deadlines else []
    counts = {value: stages[value]["count"] for value in Opportunity.DECIDED}
    return Pipeline(
        stages=list(stages.values()),
        sought=figures["sought"],
        awarded=figures["awarded"],
        disbursed=figures["disbursed"],
        awarded_count=counts[Opportunity.Stage.AWARDED],
        decided_count=sum(counts.values()),
        deadlines=upcoming,
    )


def next_deadlines(opportunities, *, today, limit):
    """The next `limit` deadlines of `opportunities` still being prepared, soonest first. One query."""
    return list(opportunities.upcoming_deadlines(today=today).select_related("city", "funder")[:limit])
