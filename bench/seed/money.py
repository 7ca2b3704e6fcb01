"""Currencies: each country's, one exchange rate per currency and quarter; and the funders of the
pipeline, with the stages its opportunities are drawn in."""

import datetime

from commitments.models import Currency, ExchangeRate
from funding.demo_content import FUNDERS
from funding.models import Funder, Opportunity

from .moments import quarter
from .tables import Table, reset_sequences

# The currency of each country that has one of its own among Currency; the rest use USD.
CURRENCY_OF_COUNTRY = {
    "AR": "ARS", "BO": "BOB", "BR": "BRL", "CL": "CLP", "CO": "COP", "CR": "CRC", "CU": "CUP",
    "DO": "DOP", "GT": "GTQ", "HN": "HNL", "HT": "HTG", "JM": "JMD", "MX": "MXN", "NI": "NIO",
    "PA": "PAB", "PE": "PEN", "PY": "PYG", "TT": "TTD", "UY": "UYU", "VE": "VES",
    "AG": "XCD", "AI": "XCD", "DM": "XCD", "GD": "XCD", "KN": "XCD", "LC": "XCD", "MS": "XCD", "VC": "XCD",
    "GF": "EUR", "GP": "EUR", "MQ": "EUR", "BL": "EUR", "MF": "EUR",
}  # fmt: skip
# USD per unit today, and the factor per quarter going forward (below 1: the currency loses value).
RATES = {
    "EUR": (1.08, 1.0), "ARS": (0.00105, 0.86), "BOB": (0.145, 1.0), "BRL": (0.18, 0.99),
    "CLP": (0.00105, 0.995), "COP": (0.00025, 0.99), "CRC": (0.00195, 1.005), "CUP": (0.0417, 0.97),
    "DOP": (0.0165, 0.99), "GTQ": (0.13, 1.0), "HNL": (0.039, 0.995), "HTG": (0.0076, 0.99),
    "JMD": (0.0064, 0.995), "MXN": (0.055, 1.0), "NIO": (0.027, 0.997), "PAB": (1.0, 1.0),
    "PEN": (0.27, 1.0), "PYG": (0.000128, 0.99), "TTD": (0.147, 1.0), "UYU": (0.025, 0.99),
    "VES": (0.0025, 0.8), "XCD": (0.37, 1.0),
}  # fmt: skip

# The funders' catalogue is the demo's (funding.demo_content.FUNDERS); these are named by hand
# on an opportunity (Opportunity.funder_name), for a share of them.
OTHER_FUNDERS = ["Gobierno nacional", "Gobierno estatal", "Fundación local", "Empresa privada local"]
OTHER_FUNDER_SHARE = 0.15
Stage = Opportunity.Stage
STAGES = [Stage.IDENTIFIED, Stage.PREPARING, Stage.SUBMITTED, Stage.AWARDED, Stage.REJECTED, Stage.WITHDRAWN]
STAGE_WEIGHTS = [20, 15, 20, 25, 12, 8]


def exchange_rates(rng, *, first_day, today):
    """One rate per currency and quarter from first_day's quarter to today's: a random walk
    around today's rate, with the drift of the currencies that lose value. Returns
    ({currency: {quarter number: USD per unit}}, rows written)."""
    first, last = quarter(first_day), quarter(today)
    table = Table(ExchangeRate, ["id", "currency", "usd_per_unit", "effective_on"])
    next_id = table.next_id()
    rows, rates = [], {}
    for currency in sorted(RATES):
        if currency not in Currency.values:
            continue
        rate, drift = RATES[currency]
        by_quarter = {}
        for number in range(last, first - 1, -1):
            by_quarter[number] = rate
            rows.append((next_id, currency, f"{rate:.10f}", datetime.date(number // 4, number % 4 * 3 + 1, 1)))
            next_id += 1
            rate = rate / drift * (1 + (rng.random() - 0.5) * 0.04)  # one quarter earlier
        rates[currency] = by_quarter
    table.write(rows)
    reset_sequences([ExchangeRate])
    return rates, len(rows)


def funders():
    """The catalogue of FUNDERS, those not there yet added. Returns their ids, in FUNDERS' order."""
    existing = dict(Funder.objects.filter(name__in=[row[0] for row in FUNDERS]).values_list("name", "pk"))
    table = Table(Funder, ["id", "name", "kind", "country", "website", "active"])
    next_id = table.next_id()
    rows, ids = [], []
    for name, kind, country, website in FUNDERS:
        funder_id = existing.get(name)
        if funder_id is None:
            funder_id, next_id = next_id, next_id + 1
            rows.append((funder_id, name, kind, country, website, True))
        ids.append(funder_id)
    table.write(rows)
    if rows:
        reset_sequences([Funder])
    return ids
