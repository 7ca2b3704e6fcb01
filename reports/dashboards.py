"""The coordinators' dashboards: every figure is one aggregate query over the cities given.

Callers pass cities already filtered by the user's scope (reports.periods.DashboardForm starts
from City.objects.visible_to); nothing here widens them. The number of queries does not grow
with the data: each function below runs a fixed number.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from axes.models import Axis
from commitments import review_tally, tallies
from commitments.dbfunctions import Median
from commitments.models import (
    TARGET_STATUS_ORDER,
    Action,
    ActionStatusChange,
    Commitment,
    Horizon,
    Indicator,
    IndicatorTally,
    Target,
    TargetStatus,
)
from core.dates import local_days
from core.text import folded
from funding import figures as funding_figures
from funding.models import Opportunity
from practices import figures as practice_figures

from .series import by_month, monthly_chart


def approved_tally(cities, period, today=None):
    """The approved actions of the period as rows to add up (commitments.tallies.approved)."""
    return tallies.approved(cities=cities, start=period.start, end=period.end, today=today or timezone.localdate())


def _decisions(cities, period, reviewer=None):
    """Decisions on the cities' actions taken during the period's days (local time), on the
    (to_status, at) index; only `reviewer`'s if given."""
    since, until = local_days(period.start, period.end)
    decisions = ActionStatusChange.objects.filter(
        to_status__in=ActionStatusChange.DECISIONS, city__in=cities, at__gte=since, at__lt=until
    )
    return decisions if reviewer is None else decisions.filter(by=reviewer)


# The people figures of dashboards and reports, and the action field each adds up: the total,
# its breakdown (women, men, other) and the groups that may overlap it (commitments.models.PEOPLE_GROUPS).
PEOPLE = {
    "people": "people_reached",
    "women": "women_reached",
    "men": "men_reached",
    "other": "other_reached",
    "youth": "youth_reached",
    "disability": "disability_reached",
    "indigenous": "indigenous_reached",
    "afro": "afro_reached",
}


def city_activity(*, cities, period, today):
    """Per city of the scope, in two queries: approved actions and people reached in the period,
    the start of its latest approved action ever, ambassadors in office and actions waiting for
    review. The headline figures add these up; the map colours the cities by them."""
    in_period = {
        row["city"]: row
        for row in approved_tally(cities, period, today)
        .values("city")
        .annotate(approved=Sum("actions"), **{name: Sum(field) for name, field in PEOPLE.items()})
        .order_by()
    }
    submitted = Action.objects.filter(city=OuterRef("pk"), status=Action.Status.SUBMITTED).order_by()
    rows = (
        tallies.with_last_action(cities)
        .annotate(
            in_office=Count(
                "ambassadors",
                filter=(Q(ambassadors__ended_on__isnull=True) | Q(ambassadors__ended_on__gte=period.start))
                & Q(ambassadors__appointed_on__lte=period.end)
                & ~Q(ambassadors__status=Ambassador.Status.PAUSED),
            ),
            waiting=Coalesce(Subquery(submitted.values("city").annotate(n=Count("pk")).values("n")), 0),
            oldest_waiting=Subquery(submitted.values("city").annotate(oldest=Min("submitted_at")).values("oldest")),
        )
        .order_by("name")
    )
    activity = []
    for city in rows:
        counted = in_period.get(city.pk, {})
        city.approved = counted.get("approved", 0)
        city.people = {name: counted.get(name) or 0 for name in PEOPLE}
        city.days_since = tallies.days_since(city.last_action_on, today)
        activity.append(city)
    return activity


def overview(*, cities, period, now=None):
    """The headline figures of a scope and period, and the cities they add up (`cities`); with
    the practices the cities published and the replications they started and finished
    (practices.figures.practice_counts)."""
    now = now or timezone.now()
    activity = city_activity(cities=cities, period=period, today=timezone.localdate(now))
    oldest = min((city.oldest_waiting for city in activity if city.oldest_waiting), default=None)
    return {
        "approved_actions": sum(city.approved for city in activity),
        "active_cities": sum(1 for city in activity if city.approved),
        "people": {name: sum(city.people[name] for city in activity) for name in PEOPLE},
        "ambassadors_in_office": sum(city.in_office for city in activity),
        "network_cities": len(activity),
        "waiting": sum(city.waiting for city in activity),
        "oldest_waiting": (now - oldest) if oldest else None,
        "practices": practice_figures.practice_counts(cities=cities, start=period.start, end=period.end),
        "cities": activity,
    }


def decisions_by_city(*, cities, period):
    """{city id: decisions taken on its actions during the period}. One query."""
    rows = _decisions(cities, period).values("city").annotate(n=Count("pk")).order_by()
    return {row["city"]: row["n"] for row in rows}


# How many upcoming deadlines a page lists.
DEADLINES = 5


def money(*, cities, period, today=None):
    """The funding pipeline of `cities` over `period` (funding.figures.pipeline): the
    opportunities identified in the period, a cohort, per stage and currency with their USD, and
    money sought, awarded and disbursed (three figures no one adds together) with the conversion
    rate. With `today`, the cities' next deadlines from that day, whenever the opportunity was
    identified: a deadline ahead matters whatever the period looked at. Three queries, one more
    with `today`."""
    cohort = Opportunity.objects.filter(city__in=cities).identified_between(period.start, period.end)
    found = funding_figures.pipeline(cohort)
    if today is not None:
        found.deadlines = funding_figures.next_deadlines(
            Opportunity.objects.filter(city__in=cities), today=today, limit=DEADLINES
        )
    return found


def coverage(*, cities, period):
    """For each commitment, how many of the cities had an approved action in the period."""
    covered = (
        approved_tally(cities, period)
        .filter(commitment=OuterRef("pk"))
        .values("commitment")
        .annotate(n=Count("city", distinct=True))
        .order_by()
        .values("n")
    )
    return list(
        Commitment.objects.active()
        .with_axis()
        .annotate(cities_covered=Coalesce(Subquery(covered), 0))
        .order_by("axis__number", "order", "number")
    )


def network_indicators(*, cities, period, today):
    """What the network achieved: the total of each active cumulative indicator over the cities
    and period (approved values only), with how many cities reported it. One query. When the
    period is whole months it reads the indicator tally, a correlated sum per indicator (index
    probes); otherwise the values, joined once to their actions and summed with a filter: a
    correlated sum there made PostgreSQL scan the period's actions twice per indicator (1.6 s
    at 100,000 actions). Retired indicators (inactive) are left out: 1.4-a's typed money is now
    counted from the funding pipeline."""
    cumulative = Indicator.objects.filter(active=True, aggregation=Indicator.Aggregation.CUMULATIVE).order_by("code")
    amount = DecimalField(max_digits=24, decimal_places=2)
    if tallies.covers(period.start, period.end, today):
        cells = IndicatorTally.objects.filter(
            indicator=OuterRef("pk"), city__in=cities, month__range=(period.start, period.end)
        )
        total = cells.values("indicator").annotate(n=Sum("total")).values("n")
        reporting = cells.values("indicator").annotate(n=Count("city", distinct=True)).values("n")
        return list(
            cumulative.annotate(
                total=Coalesce(Subquery(total), Value(Decimal(0)), output_field=amount),
                cities_reporting=Coalesce(Subquery(reporting), 0),
            )
        )
    counted = Q(
        values__action__status=Action.Status.APPROVED,
        values__action__city__in=cities,
        values__action__started_on__range=(period.start, period.end),
    )
    return list(
        cumulative.annotate(
            total=Coalesce(Sum("values__value", filter=counted), Value(Decimal(0)), output_field=amount),
            cities_reporting=Count("values__action__city", filter=counted, distinct=True),
        )
    )


def network_targets(*, cities, today, commitments):
    """The targets of the cities by commitment and horizon, counted by status as judged on
    `today` (Target.objects.with_progress decides): one GROUP BY query. `commitments` (with
    their axes, e.g. coverage's) give the titles; a commitment not among them shows its code."""
    of = "indicator__commitment"
    counted = (
        Target.objects.filter(city__in=cities)
        .with_progress(today=today)
        .values(of, f"{of}__axis__number", f"{of}__number", "horizon", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    titles = {commitment.pk: commitment.title for commitment in commitments}
    horizons, statuses = Horizon.values, TARGET_STATUS_ORDER

    def grid():
        return {(status, horizon): 0 for status in statuses for horizon in horizons}

    network, per_commitment = grid(), {}
    for row in counted:
        number = (row[f"{of}__axis__number"], row[f"{of}__number"])
        entry = per_commitment.setdefault(
            number, {"code": f"{number[0]}.{number[1]}", "title": titles.get(row[of], ""), "counts": grid()}
        )
        entry["counts"][(row["status"], row["horizon"])] += row["n"]
        network[(row["status"], row["horizon"])] += row["n"]

    def rows(counts):
        return [
            {
                "status": status,
                "label": TargetStatus(status).label,
                "cells": [counts[(status, horizon)] for horizon in horizons],
            }
            for status in statuses
        ]

    return {
        "horizons": [Horizon(horizon).label for horizon in horizons],
        "total": sum(network.values()),
        "rows": rows(network),
        "commitments": [
            {**entry, "total": sum(entry["counts"].values()), "rows": rows(entry["counts"])}
            for _key, entry in sorted(per_commitment.items())
        ],
    }


# How many cities the overview lists by review time: the slowest; the review-time page lists all.
SLOWEST_CITIES = 20


def review_times(*, cities, period, today, reviewer=None, exact=False):
    """Review times (submission to decision) of the period's decisions: {"exact": bool, "overall": entry,
    "per_reviewer": [entries], "per_city": [entries]}, each entry with `key` (city or reviewer
    id), `decisions`, `median` (a timedelta or None) and names (`name`; `username`,
    `first_name`, `last_name`). Reviewers by decisions, cities slowest first.

    Over whole months the medians come from commitments.ReviewTally, in one query, within one
    displayed unit of the exact ones. A period that cuts a month, `exact`, or one `reviewer`'s
    decisions (a person drilling into one city or reviewer) read the decisions themselves."""
    exact = exact or reviewer is not None or not tallies.covers(period.start, period.end, today)
    if exact:
        overall, per_reviewer, per_city = _exact_review_times(_decisions(cities, period, reviewer=reviewer))
    else:
        found = review_tally.medians(cities=cities, start=period.start, end=period.end)
        overall, per_reviewer, per_city = found["overall"], found["reviewer"], found["city"]
    return {
        "exact": exact,
        "overall": overall,
        "per_reviewer": sorted(per_reviewer, key=lambda row: (-row["decisions"], row["username"])),
        "per_city": sorted(per_city, key=_slowest_first),
    }


def _slowest_first(row):
    return (row["median"] is None, -(row["median"] or datetime.timedelta(0)).total_seconds(), row["name"])


def _exact_review_times(decisions):
    """review_times' entries from the decisions themselves, with exact medians. Three queries."""
    timed = {"decisions": Count("pk"), "median": Median("review_time")}
    overall = {"key": 0, **decisions.aggregate(**timed)}
    per_reviewer = decisions.values(
        key=F("by"), username=F("by__username"), first_name=F("by__first_name"), last_name=F("by__last_name")
    ).annotate(**timed)
    per_city = decisions.values(key=F("city"), name=F("city__name")).annotate(**timed)
    return overall, list(per_reviewer.order_by()), list(per_city.order_by())


def monthly_series(*, cities, period):
    """Approved actions and people reached per month, by axis: the charts' data."""
    return by_month(rows=approved_tally(cities, period), start=period.start, end=period.end)


@dataclass(frozen=True)
class Column:
    key: str
    label: str


# The order statuses are counted in, here and in the cities table.
TARGET_COLUMNS = {
    TargetStatus.ON_TRACK: "on_track",
    TargetStatus.AT_RISK: "at_risk",
    TargetStatus.OFF_TRACK: "off_track",
    TargetStatus.ACHIEVED: "achieved",
}


def city_columns(axes):
    """The cities table's columns, in order: the page, the CSV and the XLSX all use these."""
    return [
        Column("name", _("Ciudad")),
        Column("country", _("País")),
        Column("last_action_on", _("Última acción aprobada")),
        Column("days_since", _("Días desde entonces")),
        *[Column(f"axis_{axis.number}", _("Eje %(number)s") % {"number": axis.number}) for axis in axes],
        Column("approved", _("Aprobadas en el periodo")),
        Column("on_track", _("Metas en camino")),
        Column("at_risk", _("Metas en riesgo")),
        Column("off_track", _("Metas fuera de camino")),
        Column("achieved", _("Metas alcanzadas")),
        Column("inactive", _("Inactiva (%(days)s días o más)") % {"days": tallies.INACTIVE_AFTER_DAYS}),
    ]


@dataclass
class CityRow:
    city: object
    values: dict  # column key -> value
    columns: list

    @property
    def cells(self):
        return [self.values[column.key] for column in self.columns]

    @property
    def items(self):
        return [(column, self.values[column.key]) for column in self.columns]


def targets_by_city(cities, *, judged_on):
    """{(city id, status): targets}, judged on `judged_on` by Target.objects.with_progress. One query."""
    rows = (
        Target.objects.filter(city__in=cities)
        .with_progress(today=judged_on)
        .values("city", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["city"], row["status"]): row["n"] for row in rows}


def cities_table(*, cities, period, today, sort="name"):
    """One row per city: a query for the cities with their latest approval, one on the tally for
    the period, one for targets by status.

    `sort` is a column key, with "-" for descending; ties go by name. A city with no approved
    action sorts as the oldest last action and the most days since.
    """
    axes = list(Axis.objects.order_by("number"))
    columns = city_columns(axes)
    per_axis = {
        (row["city"], row["commitment__axis"]): row["approved"]
        for row in approved_tally(cities, period, today)
        .values("city", "commitment__axis")
        .annotate(approved=Sum("actions"))
        .order_by()
    }
    target_counts = targets_by_city(cities, judged_on=today)
    table = []
    for city in tallies.with_last_action(cities.select_related("country")):
        last_on = city.last_action_on
        days_since = tallies.days_since(last_on, today)
        by_axis = {f"axis_{axis.number}": per_axis.get((city.pk, axis.pk), 0) for axis in axes}
        values = {
            "name": city.name,
            "country": city.country.name,
            "last_action_on": last_on,
            "days_since": days_since,
            "approved": sum(by_axis.values()),
            "inactive": tallies.is_inactive(days_since),
            **by_axis,
            **{key: target_counts.get((city.pk, status), 0) for status, key in TARGET_COLUMNS.items()},
        }
        table.append(CityRow(city=city, values=values, columns=columns))
    field = sort.removeprefix("-")
    if field not in {column.key for column in columns}:
        sort, field = "name", "name"
    table.sort(key=lambda row: (_sort_key(field, row.values[field]), _sort_key("name", row.values["name"])))
    if sort.startswith("-"):
        table.reverse()
    return {"columns": columns, "rows": table, "sort": sort}


def _sort_key(field, value):
    """Names sort without regard to case or accents; a city never active is the quietest."""
    if value is None:
        return datetime.date.min if field == "last_action_on" else float("inf")
    if isinstance(value, str):
        return folded(value)
    return value


def chart_data(*, series, money):
    """What static/js/dashboard.js draws; every chart also has a table on the page."""
    actions = monthly_chart(series)
    labels = actions["labels"]
    return {
        "actions": actions,
        "people": {"labels": labels, "datasets": [{"label": str(_("Personas alcanzadas")), "data": series["people"]}]},
        "funds": money_chart(money),
    }


# Which stages each bar colour stands for: still open (money sought), awarded, and closed without
# money (rejected or withdrawn).
STAGE_GROUPS = {
    "open": (_("Abiertas"), Opportunity.OPEN),
    "awarded": (_("Otorgadas"), (Opportunity.Stage.AWARDED,)),
    "closed": (_("Rechazadas o retiradas"), (Opportunity.Stage.REJECTED, Opportunity.Stage.WITHDRAWN)),
}
# Open in a muted blue, awarded in the site's green, closed in grey (each 3:1 or more against white).
STAGE_COLOURS = {"open": "#1f5fa8", "awarded": "#145c43", "closed": "#6c757d"}


def money_chart(money):
    """One bar per stage: the USD of the opportunities at that stage (what was granted for the
    awarded ones, what was asked for otherwise; the table beside it says the same), coloured by
    its group; drawn stacked, each dataset empty at the other groups' stages, so every bar has its
    full width. Amounts as strings: exact decimals, which Chart.js reads as numbers."""
    stages = money.stages
    return {
        "labels": [str(stage["label"]) for stage in stages],
        "datasets": [
            {
                "label": f"{label} (USD)",
                "data": [str(stage["usd"]) if stage["stage"] in members else None for stage in stages],
                "color": STAGE_COLOURS[group],
            }
            for group, (label, members) in STAGE_GROUPS.items()
        ],
    }


ACTIVITY_ACTIVE, ACTIVITY_QUIET, ACTIVITY_NONE = "active", "quiet", "none"


def activity_of(days_since):
    """A city's activity for the map: active, quiet (tallies.is_inactive) or never active."""
    if days_since is None:
        return ACTIVITY_NONE
    return ACTIVITY_QUIET if tallies.is_inactive(days_since) else ACTIVITY_ACTIVE


# Up to this many cities, the map's table lists each; beyond, it counts them by activity and
# points to the cities table, which lists them all (paginated, sortable, exportable).
MAP_TABLE_CITIES = 50


def _map_legend():
    days = {"days": tallies.INACTIVE_AFTER_DAYS}
    return {
        ACTIVITY_ACTIVE: _("Acción aprobada iniciada en los últimos %(days)s días") % days,
        ACTIVITY_QUIET: _("Ninguna acción aprobada iniciada en los últimos %(days)s días") % days,
        ACTIVITY_NONE: str(_("Sin acciones aprobadas")),
    }


def map_data(activity, *, countries, hazards=()):
    """The map's data (the page embeds it as JSON): cities with coordinates (city_activity's),
    coloured by activity, as columns (a name, a latitude… per city, in the same order), so that a
    thousand cities weigh a few tens of kilobytes; over the outlines of `countries`; and
    `hazards`, the markers of the cities hit by hazard events in the period
    (reports.kinds_content.hazard_markers), drawn apart."""
    placed = [city for city in activity if city.latitude is not None and city.longitude is not None]
    return {
        "countries": countries,
        "hazards": list(hazards),
        "hazard_legend": str(_("Ciudad con eventos de riesgo en el periodo")),
        "approved_label": str(_("acciones aprobadas en el periodo")),
        "legend": _map_legend(),
        # Three decimals of a degree: about a hundred metres, finer than a dot on the map.
        "cities": {
            "name": [city.name for city in placed],
            "latitude": [round(float(city.latitude), 3) for city in placed],
            "longitude": [round(float(city.longitude), 3) for city in placed],
            "approved": [city.approved for city in placed],
            "activity": [activity_of(city.days_since) for city in placed],
        },
    }


def map_table(activity):
    """The map in words, for screen readers and without JavaScript: each city (name, activity,
    approved actions) when there are at most MAP_TABLE_CITIES, else how many cities have each
    activity (the cities table lists them)."""
    legend = _map_legend()
    if len(activity) <= MAP_TABLE_CITIES:
        rows = [
            {"name": city.name, "activity": legend[activity_of(city.days_since)], "approved": city.approved}
            for city in activity
        ]
        return {"cities": rows, "counts": None}
    counted = Counter(activity_of(city.days_since) for city in activity)
    return {"cities": None, "counts": [(label, counted[key]) for key, label in legend.items()]}
