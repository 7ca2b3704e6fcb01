"""The money part of a progress report's snapshot: written from the funding pipeline
(funding.figures) since SNAPSHOT_VERSION 3, and presented again from the stored JSON, including
the fund rows of a report written before the pipeline existed."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy

from funding.figures import FIGURES
from funding.models import Opportunity


def decimal_text(value):
    """A Decimal as the snapshot's JSON keeps it: a string, to the cent."""
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _figure_entry(figure):
    """A funding.figures.MoneyFigure: USD (of the amounts with a rate), per currency, and how
    many opportunities it counts and how many of them have no rate."""
    return {
        "usd": decimal_text(figure.usd),
        "count": figure.count,
        "without_rate": figure.without_rate,
        "currencies": [
            {"currency": row["currency"], "amount": decimal_text(row["amount"])} for row in figure.currencies
        ],
    }


def money_entry(money, *, deadlines_on):
    """The city's pipeline (dashboards.money): the opportunities identified in the period per
    stage and currency, money sought, awarded and disbursed, the conversion, and the deadlines
    ahead on the day the report was written."""
    return {
        "stages": [
            {
                "stage": stage["stage"],
                "count": stage["count"],
                "usd": decimal_text(stage["usd"]),
                "without_rate": stage["without_rate"],
                "currencies": [
                    {"currency": row["currency"], "amount": decimal_text(row["amount"]), "count": row["count"]}
                    for row in stage["currencies"]
                ],
            }
            for stage in money.stages
        ],
        "figures": {figure.name: _figure_entry(figure) for figure in money.figures},
        "awarded_count": money.awarded_count,
        "decided_count": money.decided_count,
        "conversion": None if money.conversion is None else str(money.conversion),
        "deadlines_on": deadlines_on.isoformat(),
        "deadlines": [
            {
                "id": opportunity.pk,
                "title": opportunity.title,
                "funder": opportunity.funder_label,
                "deadline": opportunity.deadline.isoformat(),
                "stage": opportunity.stage,
                "amount": decimal_text(opportunity.amount),
                "currency": opportunity.currency,
            }
            for opportunity in money.deadlines
        ],
    }


# The stages of the fund rows of a report written before the funding pipeline (SNAPSHOT_VERSION
# 2 or older), and which were money sought and which money secured.
OLD_FUND_STAGES = {
    "identified": gettext_lazy("Identificado"),
    "applied": gettext_lazy("Solicitado"),
    "awarded": gettext_lazy("Otorgado"),
    "disbursed": gettext_lazy("Desembolsado"),
}
OLD_SOUGHT, OLD_SECURED = ("identified", "applied"), ("awarded", "disbursed")


def presented_funds(rows):
    """The fund rows of an older report, or None for one that reads the pipeline."""
    if rows is None:
        return None
    return [
        {
            **row,
            "stage_label": OLD_FUND_STAGES.get(row["stage"], row["stage"]),
            "amount": Decimal(row["amount"]),
            "usd": None if row["usd"] is None else Decimal(row["usd"]),
        }
        for row in rows
    ]


def _presented_figure(name, entry):
    return {
        "name": name,
        "label": FIGURES[name],
        "usd": Decimal(entry["usd"]),
        "count": entry["count"],
        "without_rate": entry["without_rate"],
        "currencies": [{**row, "amount": Decimal(row["amount"])} for row in entry["currencies"]],
    }


def presented_money(money):
    """The pipeline part of a report written since SNAPSHOT_VERSION 3 (None before)."""
    if money is None:
        return None
    stage_labels = dict(Opportunity.Stage.choices)
    figures = [_presented_figure(name, money["figures"][name]) for name in FIGURES]
    return {
        "stages": [
            {
                **stage,
                "label": stage_labels.get(stage["stage"], stage["stage"]),
                "usd": Decimal(stage["usd"]),
                "currencies": [{**row, "amount": Decimal(row["amount"])} for row in stage["currencies"]],
            }
            for stage in money["stages"]
        ],
        "figures": figures,
        **{figure["name"]: figure for figure in figures},
        "awarded_count": money["awarded_count"],
        "decided_count": money["decided_count"],
        "conversion": None if money["conversion"] is None else Decimal(money["conversion"]),
        "recorded": any(stage["count"] for stage in money["stages"]),
        "deadlines_on": datetime.date.fromisoformat(money["deadlines_on"]),
        "deadlines": [
            {
                **entry,
                "deadline": datetime.date.fromisoformat(entry["deadline"]),
                "stage_label": stage_labels.get(entry["stage"], entry["stage"]),
                "amount": Decimal(entry["amount"]),
            }
            for entry in money["deadlines"]
        ],
    }


def sought_and_secured(funds):
    """An older report's money sought and money secured in USD: two figures, never one total
    (sought money may not come). None for a report that reads the pipeline."""
    return {
        f"{name}_usd": None
        if funds is None
        else sum((row["usd"] for row in funds if row["usd"] is not None and row["stage"] in stages), Decimal(0))
        for name, stages in (("sought", OLD_SOUGHT), ("secured", OLD_SECURED))
    }
