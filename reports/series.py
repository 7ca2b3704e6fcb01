"""Approved actions and people reached month by month, and the chart that draws them: what the
network's dashboard and a city's ("Mi ciudad") share."""

import datetime

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext

from axes.models import Axis
from commitments import tallies
from commitments.models import PEOPLE_GROUPS

# The groups among the people reached, named as reports.dashboards.PEOPLE names them ("women"…).
GROUPS = {field.removesuffix("_reached"): field for field in PEOPLE_GROUPS}


def city_last_twelve_months(*, city, today, axes=None):
    """`by_month` of a city's approved actions over the twelve calendar months up to `today`'s:
    what "Mi ciudad" and the city's public page draw."""
    months_back = today.year * 12 + today.month - 1 - 11
    start = datetime.date(months_back // 12, months_back % 12 + 1, 1)
    rows = tallies.approved(cities=[city], start=start, end=today, today=today)
    return by_month(rows=rows, start=start, end=today, axes=axes)


def by_month(*, rows, start, end, axes=None):
    """Actions and people reached per month from `start` to `end`, by axis: one GROUP BY query.
    With the people reached over the whole span, in all and by group ("reached", keyed as
    reports.dashboards.PEOPLE).

    `rows` are approved actions in scope as tallies.approved gives them; months without
    actions count zero.
    """
    rows = (
        rows.values("month", "commitment__axis")
        .annotate(
            approved=Sum("actions"),
            people=Coalesce(Sum("people_reached"), 0),
            **{name: Coalesce(Sum(field), 0) for name, field in GROUPS.items()},
        )
        .order_by()
    )
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    axes = axes if axes is not None else list(Axis.objects.order_by("number"))
    counts = {(axis.pk, month): 0 for axis in axes for month in months}
    people = dict.fromkeys(months, 0)
    reached = dict.fromkeys(GROUPS, 0)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        counts[(row["commitment__axis"], month)] = row["approved"]
        people[month] += row["people"]
        for name in GROUPS:
            reached[name] += row[name]
    return {
        "months": months,
        "axes": [{"axis": axis, "counts": [counts[(axis.pk, month)] for month in months]} for axis in axes],
        "people": [people[month] for month in months],
        "reached": {"people": sum(people.values()), **reached},
        # The same figures month by month, for the table beside the charts.
        "rows": [
            {"month": month, "counts": [counts[(axis.pk, month)] for axis in axes], "people": people[month]}
            for month in months
        ],
    }


def monthly_chart(series):
    """The stacked bar chart of by_month, as static/js/dashboard.js reads it."""
    return {
        "labels": [formats.date_format(month, "YEAR_MONTH_FORMAT") for month in series["months"]],
        "datasets": [
            {
                "label": gettext("Eje %(number)s") % {"number": entry["axis"].number},
                "data": entry["counts"],
                "color": entry["axis"].colour,
            }
            for entry in series["axes"]
        ],
    }
