"""What a scope's progress report says: a country's cities (or the whole network's) side by side.

`build_scope_snapshot` freezes plain JSON, as reports.content does for a city, in a fixed number
of aggregate queries over all the scope's cities at once (never one query per city): the cities
with their latest approved action and reviews waiting, the approved tally by city and axis, the
targets by city and status, the decisions by city, the monthly series and the axes.
`present_scope` reads a snapshot in one language, with the cities that need attention first.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_countries import countries

from ambassadors.models import City
from axes.models import Axis
from commitments import tallies
from commitments.dbfunctions import Median
from commitments.models import (
    REVIEW_REMINDER_DAYS,
    TARGET_STATUS_ORDER,
    Action,
    ActionStatusChange,
    MonthlyTally,
    TargetStatus,
)
from core.dates import local_days
from core.text import folded

from . import dashboards
from .content import figures_caption, period_label, period_phrase, wording_of
from .models import ReportKind, ReportScope
from .periods import Period, previous_period
from .scope_charts import scope_charts
from .series import by_month

SNAPSHOT_VERSION = 1

# Why a city needs attention, the first reason the most pressing (the order of the list):
# - "off_track": it has targets off track, as judged on the period's last day;
# - "quiet": no approved action started in the tallies.INACTIVE_AFTER_DAYS days up to the
#   period's end (or none ever): tallies.is_inactive, the cities table's and map's rule;
# - "old_reviews": actions sent for review REVIEW_REMINDER_DAYS days ago or more and still
#   undecided when the report was written (Action.objects.waiting_for_review's rule).
ATTENTION_REASONS = ("off_track", "quiet", "old_reviews")


def scope_cities(*, scope, country_id=None):
    """The cities a scope's report covers: the network's cities (City.objects.in_network, as the
    dashboards count them), of one country for a country's report."""
    cities = City.objects.in_network()
    if scope == ReportScope.COUNTRY:
        cities = cities.filter(country_id=country_id)
    return cities


def build_scope_snapshot(*, scope, country_id, kind, period, now=None):
    """The figures of the scope's cities over `period`, compared with the period before, as plain
    JSON. Eight queries whatever the number of cities."""
    now = now or timezone.now()
    cities = scope_cities(scope=scope, country_id=country_id)
    previous = previous_period(kind, period)
    axes = list(Axis.objects.order_by("number"))
    rows = _city_rows(cities, period, now)
    tally = _tally_by_city_and_axis(cities, period, previous)
    targets = dashboards.targets_by_city(cities, judged_on=period.end)
    reviews = _reviews_by_city(cities, period)
    entries = [_city_entry(row, axes, tally, targets, reviews, period) for row in rows]
    approved = dashboards.approved_tally(cities, period, period.end)
    series = by_month(rows=approved, start=period.start, end=period.end, axes=axes)
    overall = _decisions(cities, period).aggregate(count=Count("pk"), median=Median("review_time"))
    return {
        "version": SNAPSHOT_VERSION,
        "scope": scope,
        "country": country_id,
        "kind": kind,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "previous_period": {"start": previous.start.isoformat(), "end": previous.end.isoformat()},
        "written_at": now.isoformat(),
        "rules": {"inactive_days": tallies.INACTIVE_AFTER_DAYS, "review_days": REVIEW_REMINDER_DAYS},
        "totals": {
            "cities": len(entries),
            "active_cities": sum(1 for entry in entries if entry["approved"]),
            "approved": sum(entry["approved"] for entry in entries),
            "previous": sum(entry["previous"] for entry in entries),
            "previous_people": sum(entry["previous_people"] for entry in entries),
            **{name: sum(entry["people"][name] for entry in entries) for name in dashboards.PEOPLE},
            "targets": {status: sum(entry["targets"][status] for entry in entries) for status in TargetStatus.values},
            "waiting": sum(entry["waiting"] for entry in entries),
            "old_waiting": sum(entry["old_waiting"] for entry in entries),
            "decisions": overall["count"],
            "median_review_seconds": _seconds(overall["median"]),
        },
        "axes": [
            {
                "number": axis.number,
                "colour": axis.colour,
                "name": wording_of(axis, "name"),
                "approved": sum(entry["axes"][index] for entry in entries),
                "previous": sum(tally.get((entry["id"], axis.pk), {}).get("previous", 0) for entry in entries),
            }
            for index, axis in enumerate(axes)
        ],
        "cities": entries,
        "attention": attention(entries),
        "monthly": {
            "months": [month.isoformat() for month in series["months"]],
            "axes": [row["counts"] for row in series["axes"]],
            "people": series["people"],
        },
    }


def _city_rows(cities, period, now):
    """The cities with the start of their latest approved action up to the period's end, and the
    actions waiting for review when the report is written (how many, how many for long, since
    when). One query."""
    latest = (
        MonthlyTally.objects.filter(city=OuterRef("pk"), month__lte=period.end)
        .order_by("-last_started_on")
        .values("last_started_on")[:1]
    )
    waiting = Action.objects.filter(city=OuterRef("pk"), status=Action.Status.SUBMITTED).order_by().values("city")
    long_ago = now - datetime.timedelta(days=REVIEW_REMINDER_DAYS)
    return list(
        cities.annotate(
            last_action_on=Subquery(latest),
            waiting=Coalesce(Subquery(waiting.annotate(n=Count("pk")).values("n")), 0),
            old_waiting=Coalesce(
                Subquery(waiting.filter(submitted_at__lt=long_ago).annotate(n=Count("pk")).values("n")), 0
            ),
            oldest_waiting=Subquery(waiting.annotate(oldest=Min("submitted_at")).values("oldest")),
        )
        .order_by("name", "pk")
        .values("pk", "name", "region", "country_id", "last_action_on", "waiting", "old_waiting", "oldest_waiting")
    )


def _tally_by_city_and_axis(cities, period, previous):
    """{(city id, axis id): approved in the period and the one before, people (each of
    dashboards.PEOPLE) in the period and in the one before}. One query on the approved tally."""
    in_period = Q(month__range=(period.start, period.end))
    in_previous = Q(month__range=(previous.start, previous.end))
    rows = (
        tallies.approved(cities=cities, start=previous.start, end=period.end, today=period.end)
        .values("city", "commitment__axis")
        .annotate(
            approved=Coalesce(Sum("actions", filter=in_period), 0),
            previous=Coalesce(Sum("actions", filter=in_previous), 0),
            previous_people=Coalesce(Sum("people_reached", filter=in_previous), 0),
            **{name: Coalesce(Sum(field, filter=in_period), 0) for name, field in dashboards.PEOPLE.items()},
        )
        .order_by()
    )
    return {(row["city"], row["commitment__axis"]): row for row in rows}


def _decisions(cities, period):
    """Decisions (approve, return) on the cities' actions taken during the period's local days, on
    the (to_status, at) index: what dashboards.review_times counts."""
    since, until = local_days(period.start, period.end)
    return ActionStatusChange.objects.filter(
        to_status__in=ActionStatusChange.DECISIONS, city__in=cities, at__gte=since, at__lt=until
    )


def _reviews_by_city(cities, period):
    """{city id: (decisions, median review time)} over the period. One query."""
    rows = _decisions(cities, period).values("city").annotate(n=Count("pk"), median=Median("review_time")).order_by()
    return {row["city"]: (row["n"], row["median"]) for row in rows}


def _seconds(duration):
    return None if duration is None else round(duration.total_seconds())


def _city_entry(row, axes, tally, targets, reviews, period):
    pk = row["pk"]
    cells = [tally.get((pk, axis.pk), {}) for axis in axes]
    decisions, median = reviews.get(pk, (0, None))
    last = row["last_action_on"]
    return {
        "id": pk,
        "name": row["name"],
        "region": row["region"],
        "country": row["country_id"],
        "approved": sum(cell.get("approved", 0) for cell in cells),
        "previous": sum(cell.get("previous", 0) for cell in cells),
        "previous_people": sum(cell.get("previous_people", 0) for cell in cells),
        "people": {name: sum(cell.get(name, 0) for cell in cells) for name in dashboards.PEOPLE},
        "axes": [cell.get("approved", 0) for cell in cells],
        "targets": {status: targets.get((pk, status), 0) for status in TargetStatus.values},
        "last_action_on": last.isoformat() if last else None,
        "days_since": tallies.days_since(last, period.end),
        "waiting": row["waiting"],
        "old_waiting": row["old_waiting"],
        "oldest_waiting": row["oldest_waiting"].isoformat() if row["oldest_waiting"] else None,
        "decisions": decisions,
        "median_review_seconds": _seconds(median),
    }


def attention_reasons(entry):
    """The ATTENTION_REASONS that hold for a city entry of the snapshot, in their order."""
    reasons = []
    if entry["targets"][TargetStatus.OFF_TRACK]:
        reasons.append("off_track")
    if tallies.is_inactive(entry["days_since"]):
        reasons.append("quiet")
    if entry["old_waiting"]:
        reasons.append("old_reviews")
    return reasons


def attention(entries):
    """The cities that need attention, the most pressing first: more reasons first; then more
    targets off track; then longer without an approved action (never, the longest); then more
    reviews waiting for long; then by name. [{"id", "reasons"}]."""

    def urgency(entry):
        days = entry["days_since"]
        quiet = float("inf") if days is None else days
        off_track = entry["targets"][TargetStatus.OFF_TRACK]
        return (-len(attention_reasons(entry)), -off_track, -quiet, -entry["old_waiting"], folded(entry["name"]))

    flagged = [entry for entry in entries if attention_reasons(entry)]
    return [{"id": entry["id"], "reasons": attention_reasons(entry)} for entry in sorted(flagged, key=urgency)]


# Reading a snapshot in one language.


def scope_title(scope, country_code):
    """The scope as a title in the active language: "Perú: todas las ciudades", "Red OMCS"."""
    if scope == ReportScope.NETWORK:
        return gettext("Red OMCS: todas las ciudades")
    return gettext("%(country)s: todas las ciudades") % {"country": countries.name(country_code)}


def reason_text(reason, entry, rules):
    """One reason for attention as a phrase in the active language."""
    if reason == "off_track":
        count = entry["targets"][TargetStatus.OFF_TRACK]
        return ngettext("%(count)d meta fuera de camino", "%(count)d metas fuera de camino", count) % {"count": count}
    if reason == "quiet":
        days = entry["days_since"]
        if days is None:
            return gettext("Ninguna acción aprobada todavía")
        return ngettext(
            "%(days)d día sin acciones aprobadas al cierre", "%(days)d días sin acciones aprobadas al cierre", days
        ) % {"days": days}
    count = entry["old_waiting"]
    return ngettext(
        "%(count)d acción espera revisión desde hace %(days)d días o más",
        "%(count)d acciones esperan revisión desde hace %(days)d días o más",
        count,
    ) % {"count": count, "days": rules["review_days"]}


def _period(dates):
    return Period(*(datetime.date.fromisoformat(dates[key]) for key in ("start", "end")))


def present_scope(snapshot, language=None):
    """What the scope's report shows, in `language` (the active one by default)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        return _present(snapshot, language.lower().split("-")[0] if language.lower() != "pt-br" else "pt-br")


def _present(snapshot, language):
    kind, rules = snapshot["kind"], snapshot["rules"]
    period, previous = _period(snapshot["period"]), _period(snapshot["previous_period"])
    status_labels = dict(TargetStatus.choices)
    cities = [
        {
            **entry,
            "country_name": countries.name(entry["country"]),
            "last_action_on": datetime.date.fromisoformat(entry["last_action_on"]) if entry["last_action_on"] else None,
            "median_review_days": _days(entry["median_review_seconds"]),
            "target_cells": [entry["targets"][status] for status in TARGET_STATUS_ORDER],
            "reasons": [reason_text(reason, entry, rules) for reason in attention_reasons(entry)],
        }
        for entry in snapshot["cities"]
    ]
    by_id = {entry["id"]: entry for entry in cities}
    totals = snapshot["totals"]
    presented = {
        "scope": snapshot["scope"],
        "title": scope_title(snapshot["scope"], snapshot["country"]),
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "period": period,
        "period_label": period_label(kind, period),
        "period_phrase": period_phrase(kind, period),
        "previous_label": period_label(kind, previous),
        "figures_caption": figures_caption(kind, period, previous),
        "written_at": datetime.datetime.fromisoformat(snapshot["written_at"]),
        "rules": rules,
        "totals": {**totals, "median_review_days": _days(totals["median_review_seconds"])},
        "target_statuses": [status_labels[status] for status in TARGET_STATUS_ORDER],
        "target_totals": [totals["targets"][status] for status in TARGET_STATUS_ORDER],
        "axes": [{**axis, "name": _text(axis["name"], language)} for axis in snapshot["axes"]],
        "cities": cities,
        "attention": [by_id[item["id"]] for item in snapshot["attention"]],
        "monthly": {
            **snapshot["monthly"],
            "months": [datetime.date.fromisoformat(month) for month in snapshot["monthly"]["months"]],
        },
    }
    presented["charts"], presented["people_chart"] = scope_charts(presented)
    return presented


def _text(wording, language):
    return wording.get(language) or wording.get(settings.LANGUAGE_CODE) or ""


def _days(seconds):
    """A review time in days with one decimal: what coordinators compare."""
    return None if seconds is None else round(seconds / 86400, 1)
