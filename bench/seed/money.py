"""Currencies: each country's, one exchange rate per currency and quarter, and who funds actions."""

import datetime

from commitments.models import Currency, ExchangeRate

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

FUNDERS = [
    "Banco Interamericano de Desarrollo", "CAF, Banco de Desarrollo de América Latina", "Fondo Verde para el Clima",
    "Unión Europea", "Gobierno nacional", "Gobierno estatal", "Fundación local", "Cooperación alemana (GIZ)",
    "Cooperación española (AECID)", "Banco Mundial", "Empresa privada local",
    "Programa de las Naciones Unidas para el Desarrollo",
]  # fmt: skip
FUND_STAGES = ["identified", "applied", "awarded", "disbursed"]
FUND_STAGE_WEIGHTS = [30, 30, 25, 15]


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
