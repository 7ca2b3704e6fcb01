"""What a progress report says: the snapshot frozen at generation, and its reading in a language.

`build_snapshot` runs a fixed number of aggregate queries and returns plain JSON: numbers,
ISO dates, decimals as strings, and every wording in all the languages of the site. It is
stored on the report, so the report reads the same forever. `present` turns a snapshot into
what the templates and spreadsheets show, in one language, with the narrative.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django_countries import countries

from axes.models import Axis
from commitments import tallies
from commitments.models import (
    Action,
    Commitment,
    Evidence,
    Horizon,
    Indicator,
    Target,
    TargetStatus,
)
from practices import figures as practice_figures
from practices.models import Replication

from . import dashboards, visuals
from .kinds_content import hazards_entry, kinds_entry, presented_hazards, presented_kinds
from .models import ReportKind
from .money_content import decimal_text, money_entry, presented_funds, presented_money, sought_and_secured
from .narrative import narrative
from .periods import Period, previous_period

# 2: with "practices". A snapshot stored before (version 1) has no such key and reads without it.
# 3: money from the funding pipeline ("money"); one stored before holds the action's fund rows
# ("funds", in their own stages), and reads as it did.
# 4: the totals count people with disabilities, indigenous and Afro-descendant people
# (dashboards.PEOPLE); in one stored before they are unknown (None, shown as "—"). And the kinds'
# figures ("kinds": trainings, mechanisms, policies) and the hazard events ("hazards"),
# reports.kinds_content; one stored before has neither and reads without them.
# 5: the approved actions per month and axis over the twelve months up to the period's end
# ("series", reports.visuals), which the trend chart draws, and each highlight's shared photo
# ("photo"); one stored before has neither, and reads without the trend chart and the photos.
SNAPSHOT_VERSION = 5
HIGHLIGHTS = 5
# The targets the first page names: those that need the city's attention.
AT_RISK = (TargetStatus.AT_RISK, TargetStatus.OFF_TRACK)


def _languages():
    """Language codes of the site and the suffix translated_fields gives each ("pt-br" → "pt_br")."""
    return [(code, code.replace("-", "_")) for code, _name in settings.LANGUAGES]


def wording_of(instance, field):
    return {code: getattr(instance, f"{field}_{suffix}") for code, suffix in _languages()}


def build_snapshot(*, city, kind, period):
    """The figures of `city` over `period`, compared with the period before, as plain JSON."""
    previous = previous_period(kind, period)
    counted = _counted_by_commitment(city, period, previous)
    every_commitment = _commitments_with_counts(counted)
    codes = {commitment.pk: commitment.code for commitment in every_commitment}
    every_axis = list(Axis.objects.order_by("number"))
    axes = _axis_entries(every_commitment, every_axis)
    indicators = _indicator_entries(city, period)
    today = timezone.localdate()
    money = dashboards.money(cities=[city], period=period, today=today)
    targets = Target.objects.filter(city=city).with_progress(today=period.end).order_by("indicator__code", "due_on")
    actions = _period_actions(city, period)
    highlights = list(
        actions.filter(evidence_count__gt=0).order_by(F("people_reached").desc(nulls_last=True), "-started_on", "-pk")[
            :HIGHLIGHTS
        ]
    )
    photos = visuals.shared_photos([action["pk"] for action in highlights])
    return {
        "version": SNAPSHOT_VERSION,
        "city": {"id": city.pk, "name": city.name, "region": city.region, "country": city.country_id},
        "kind": kind,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "previous_period": {"start": previous.start.isoformat(), "end": previous.end.isoformat()},
        "totals": {
            "approved": sum(row["approved"] for row in counted.values()),
            **{name: sum(row[name] for row in counted.values()) for name in dashboards.PEOPLE},
        },
        "previous_totals": {
            "approved": sum(row["previous"] for row in counted.values()),
            "people": sum(row["previous_people"] for row in counted.values()),
        },
        "axes": axes,
        "commitments": [
            _commitment_entry(commitment) for commitment in every_commitment if commitment.active or commitment.approved
        ],
        "indicators": indicators,
        "targets": [_target_entry(target) for target in targets],
        "money": money_entry(money, deadlines_on=today),
        "highlights": [{**_action_entry(action, codes), "photo": photos.get(action["pk"])} for action in highlights],
        "actions": [_action_entry(action, codes) for action in actions.order_by("started_on", "pk")],
        "practices": _practices_entry(city, period),
        "kinds": kinds_entry(cities=[city], period=period, city_count=1),
        "hazards": hazards_entry(cities=[city], period=period, populations={city.pk: city.population}),
        "series": visuals.series_entry(city=city, period=period, axes=every_axis),
    }


def _practices_entry(city, period):
    """The city's good practices: what it published and the replications it started and finished
    in the period (practices.figures.practice_counts), the practices it had published by the
    period's end, and those it was replicating then, with their state on that day. Four queries."""
    counts = practice_figures.practice_counts(cities=[city], start=period.start, end=period.end)
    return {
        **counts,
        "own": [
            {"id": row["pk"], "title": row["title"], "published_on": _local_day(row["published_at"])}
            for row in practice_figures.published_by_city_until(city=city, end=period.end)
        ],
        "replicating": [
            {
                "id": replication.practice_id,
                "title": replication.practice.title,
                "city": replication.practice.city.name,
                "country": replication.practice.city.country_id,
                "state": replication.state,
                "started_on": _local_day(replication.started_at),
            }
            for replication in practice_figures.replicated_by_city_until(city=city, end=period.end)
        ],
    }


def _local_day(moment):
    return timezone.localdate(moment).isoformat()


def _counted_by_commitment(city, period, previous):
    """The approved tally of each commitment: its actions in the period and in the one before,
    the people it reached in the period (each of dashboards.PEOPLE) and in the one before. One query."""
    in_period = Q(month__range=(period.start, period.end))
    in_previous = Q(month__range=(previous.start, previous.end))
    return {
        row["commitment"]: row
        for row in tallies.approved(cities=[city], start=previous.start, end=period.end, today=period.end)
        .values("commitment")
        .annotate(
            approved=Coalesce(Sum("actions", filter=in_period), 0),
            previous=Coalesce(Sum("actions", filter=in_previous), 0),
            previous_people=Coalesce(Sum("people_reached", filter=in_previous), 0),
            **{name: Coalesce(Sum(field, filter=in_period), 0) for name, field in dashboards.PEOPLE.items()},
        )
        .order_by()
    }


def _commitments_with_counts(counted):
    """Every commitment, inactive ones too, in catalogue order, with its `counted` figures."""
    every_commitment = list(Commitment.objects.with_axis().order_by("axis__number", "order", "number"))
    for commitment in every_commitment:
        row = counted.get(commitment.pk, {})
        commitment.approved, commitment.previous = row.get("approved", 0), row.get("previous", 0)
        commitment.people = row.get("people", 0)
    return every_commitment


def _axis_entries(every_commitment, every_axis):
    """Each axis with the approved actions of its commitments, in the period and the one before."""
    entries = []
    for axis in every_axis:
        of_axis = [commitment for commitment in every_commitment if commitment.axis_id == axis.pk]
        entries.append(
            {
                "number": axis.number,
                "colour": axis.colour,
                "name": wording_of(axis, "name"),
                "approved": sum(commitment.approved for commitment in of_axis),
                "previous": sum(commitment.previous for commitment in of_axis),
            }
        )
    return entries


def _commitment_entry(commitment):
    return {
        "code": commitment.code,
        "axis": commitment.axis.number,
        "title": wording_of(commitment, "title"),
        "text": wording_of(commitment, "text"),
        "approved": commitment.approved,
        "previous": commitment.previous,
        "people": commitment.people,
    }


def _indicator_entries(city, period):
    """The indicators the city's approved actions reported in the period, by code: the total of a
    cumulative indicator, the latest value of the others. Two queries."""
    rows = list(tallies.indicator_values(city=city, start=period.start, end=period.end, today=period.end))
    indicators = Indicator.objects.in_bulk([row["indicator"] for row in rows])
    entries = []
    for row in sorted(rows, key=lambda row: indicators[row["indicator"]].code):
        indicator = indicators[row["indicator"]]
        cumulative = indicator.aggregation == Indicator.Aggregation.CUMULATIVE
        entries.append(
            {
                "code": indicator.code,
                "name": wording_of(indicator, "name"),
                "unit": wording_of(indicator, "unit"),
                "aggregation": indicator.aggregation,
                "value": decimal_text(row["total"] if cumulative else row["latest"]),
                "actions": row["actions"],
            }
        )
    return entries


def _target_entry(target):
    """A target annotated by with_progress."""
    return {
        "indicator": target.indicator.code,
        "name": wording_of(target.indicator, "name"),
        "unit": wording_of(target.indicator, "unit"),
        "horizon": target.horizon,
        "baseline": decimal_text(target.baseline),
        "baseline_year": target.baseline_year,
        "target_value": decimal_text(target.target_value),
        "due_on": target.due_on.isoformat(),
        "current_value": decimal_text(target.current_value),
        "expected_value": decimal_text(target.expected_value),
        "status": target.status,
        "progress": target.progress_percent,
    }


ACTION_FIELDS = ["pk", "title", "commitment_id", "started_on", "people_reached"]


def _period_actions(city, period):
    """The city's approved actions started in the period, as ACTION_FIELDS rows with their
    evidence_count. Plain rows, not model instances with their relations: the busiest city has
    thousands of actions in a month, and building the objects cost more than the query."""
    return (
        Action.objects.approved()
        .filter(city=city)
        .filter(started_on__range=(period.start, period.end))
        .annotate(
            evidence_count=Subquery(
                Evidence.objects.filter(action=OuterRef("pk")).values("action").annotate(n=Count("pk")).values("n")[:1]
            )
        )
        .values(*ACTION_FIELDS, "evidence_count")
    )


def _action_entry(action, codes):
    """One action row (ACTION_FIELDS and evidence_count); `codes` maps commitment ids to their codes."""
    return {
        "id": action["pk"],
        "title": action["title"],
        "commitment": codes[action["commitment_id"]],
        "started_on": action["started_on"].isoformat(),
        "people": action["people_reached"],
        "evidence": action["evidence_count"] or 0,
    }


# Reading a snapshot in one language.


@dataclass
class Change:
    current: int
    previous: int

    @property
    def difference(self):
        return self.current - self.previous


def _quarter_number(period):
    return (period.start.month - 1) // 3 + 1


# Month names as they are written inside a sentence: Django's own catalogues capitalise them for
# Portuguese ("Outubro"), which reads wrong in the middle of a phrase.
MONTHS = [
    pgettext_lazy("month name inside a sentence", "enero"),
    pgettext_lazy("month name inside a sentence", "febrero"),
    pgettext_lazy("month name inside a sentence", "marzo"),
    pgettext_lazy("month name inside a sentence", "abril"),
    pgettext_lazy("month name inside a sentence", "mayo"),
    pgettext_lazy("month name inside a sentence", "junio"),
    pgettext_lazy("month name inside a sentence", "julio"),
    pgettext_lazy("month name inside a sentence", "agosto"),
    pgettext_lazy("month name inside a sentence", "septiembre"),
    pgettext_lazy("month name inside a sentence", "octubre"),
    pgettext_lazy("month name inside a sentence", "noviembre"),
    pgettext_lazy("month name inside a sentence", "diciembre"),
]


def _month_year(day):
    """ "octubre de 2026", "October 2026", "outubro de 2026"."""
    return gettext("%(month)s de %(year)s") % {"month": MONTHS[day.month - 1], "year": day.year}


def period_label(kind, period):
    """ "Octubre de 2026", "Trimestre 3 de 2026", "Año 2026": the period as a title, in the active
    language. Never glued to a preposition: sentences are composed whole per kind (period_phrase,
    figures_caption), since each language contracts differently ("del trimestre", "do trimestre")."""
    if kind == ReportKind.MONTH:
        return capfirst(_month_year(period.start))
    if kind == ReportKind.QUARTER:
        return gettext("Trimestre %(number)s de %(year)s") % {
            "number": _quarter_number(period),
            "year": period.start.year,
        }
    return gettext("Año %(year)s") % {"year": period.start.year}


def period_phrase(kind, period):
    """The period with its preposition, to open or close a sentence: "en octubre de 2026", "en el
    trimestre 3 de 2026", "en 2026" (languages differ in the preposition each one takes)."""
    if kind == ReportKind.MONTH:
        return gettext("en %(month)s") % {"month": _month_year(period.start)}
    if kind == ReportKind.QUARTER:
        return gettext("en el trimestre %(number)s de %(year)s") % {
            "number": _quarter_number(period),
            "year": period.start.year,
        }
    return gettext("en %(year)s") % {"year": period.start.year}


def figures_caption(kind, period, previous):
    """The caption of the table that compares the period with the one before, one whole sentence
    per kind: "Cifras del trimestre 3 de 2026 y del trimestre 2 de 2026"."""
    if kind == ReportKind.MONTH:
        return gettext("Cifras de %(month)s y de %(previous)s") % {
            "month": _month_year(period.start),
            "previous": _month_year(previous.start),
        }
    if kind == ReportKind.QUARTER:
        return gettext(
            "Cifras del trimestre %(number)s de %(year)s y del trimestre %(previous_number)s de %(previous_year)s"
        ) % {
            "number": _quarter_number(period),
            "year": period.start.year,
            "previous_number": _quarter_number(previous),
            "previous_year": previous.start.year,
        }
    return gettext("Cifras de %(year)s y de %(previous_year)s") % {
        "year": period.start.year,
        "previous_year": previous.start.year,
    }


def present(snapshot, language=None):
    """What the report shows, in `language` (the active one by default)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        return _present(snapshot, _language_code(language))


def _language_code(language):
    codes = [code for code, _suffix in _languages()]
    language = language.lower()
    return language if language in codes else language.split("-")[0] if language.split("-")[0] in codes else "es"


def _present(snapshot, language):
    """The snapshot in `language`, the active one, with the narrative that states its figures."""
    kind = snapshot["kind"]
    period, previous = _period(snapshot["period"]), _period(snapshot["previous_period"])
    totals, previous_totals = {**dict.fromkeys(dashboards.PEOPLE), **snapshot["totals"]}, snapshot["previous_totals"]
    commitments = [_presented_commitment(entry, language) for entry in snapshot["commitments"]]
    funds = presented_funds(snapshot.get("funds"))
    targets = _presented_targets(snapshot["targets"], language)
    presented = {
        "city": snapshot["city"]["name"],
        "region": snapshot["city"]["region"],
        "country": countries.name(snapshot["city"]["country"]),
        **_period_wording(kind, period, previous),
        "totals": totals,
        "change": Change(totals["approved"], previous_totals["approved"]),
        "people_change": Change(totals["people"], previous_totals["people"]),
        "axes": [
            {**axis, "name": _text(axis["name"], language), "change": axis["approved"] - axis["previous"]}
            for axis in snapshot["axes"]
        ],
        "commitments": commitments,
        "gaps": [entry for entry in commitments if entry["approved"] == 0],
        "indicators": [
            {
                **row,
                "name": _text(row["name"], language),
                "unit": _text(row["unit"], language),
                "value": Decimal(row["value"] or 0),
            }
            for row in snapshot["indicators"]
        ],
        "targets": targets,
        "target_counts": {
            status: sum(1 for target in targets if target["status"] == status) for status in TargetStatus.values
        },
        # A report written before the funding pipeline has its actions' fund rows (`funds`,
        # money sought and secured); one written since, the pipeline (`money`). Never both.
        "funds": funds,
        **sought_and_secured(funds),
        "money": presented_money(snapshot.get("money")),
        # A copy of each photo: the files' renderer adds its bytes (visuals.embed_photos).
        "highlights": [
            {**_dated(entry), "photo": dict(entry.get("photo") or {}) or None} for entry in snapshot["highlights"]
        ],
        "actions": [_dated(entry) for entry in snapshot["actions"]],
        "practices": _presented_practices(snapshot.get("practices")),
        "kinds": presented_kinds(snapshot.get("kinds")),
        "hazards": presented_hazards(snapshot.get("hazards")),
    }
    presented["series"] = visuals.presented_series(snapshot.get("series"), presented["axes"])
    # Nothing approved in the period: the report is its first page, without the tables of zeros.
    presented["quiet"] = not totals["approved"]
    presented["risks"] = [target for target in targets if target["status"] in AT_RISK]
    presented["narrative"] = narrative(presented)
    presented["charts"] = visuals.report_charts(presented)
    return presented


def _text(wording, language):
    """One language of a wording (wording_of), the site's language when that one is missing."""
    return wording.get(language) or wording.get(settings.LANGUAGE_CODE) or ""


def _period(dates):
    return Period(*(datetime.date.fromisoformat(dates[key]) for key in ("start", "end")))


def _period_wording(kind, period, previous):
    """The kind and both periods, with their titles, phrases and the caption of the figures."""
    return {
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "period": period,
        "period_label": period_label(kind, period),
        "previous_period": previous,
        "previous_label": period_label(kind, previous),
        "period_phrase": period_phrase(kind, period),
        "previous_phrase": period_phrase(kind, previous),
        "figures_caption": figures_caption(kind, period, previous),
    }


def _presented_commitment(entry, language):
    return {
        **entry,
        "title": _text(entry["title"], language),
        "text": _text(entry["text"], language),
        "change": entry["approved"] - entry["previous"],
    }


def _presented_targets(targets, language):
    status_labels, horizon_labels = dict(TargetStatus.choices), dict(Horizon.choices)
    presented = [
        {
            **target,
            "name": _text(target["name"], language),
            "unit": _text(target["unit"], language),
            "horizon_label": horizon_labels.get(target["horizon"], target["horizon"]),
            "status_label": status_labels.get(target["status"], target["status"]),
            "due_on": datetime.date.fromisoformat(target["due_on"]),
            **{key: Decimal(target[key]) for key in ("baseline", "target_value", "current_value", "expected_value")},
        }
        for target in targets
    ]
    for target in presented:
        target["expected_progress"] = visuals.expected_percent(target)
    return presented


def _presented_practices(practices):
    """The practices part, or None for a report written before it existed (SNAPSHOT_VERSION 1)."""
    if practices is None:
        return None
    states = dict(Replication.State.choices)
    return {
        **practices,
        "own": [_dated(entry, "published_on") for entry in practices["own"]],
        "replicating": [
            {
                **_dated(entry, "started_on"),
                "country": countries.name(entry["country"]),
                "state_label": states.get(entry["state"], entry["state"]),
            }
            for entry in practices["replicating"]
        ],
    }


def _dated(entry, key="started_on"):
    return {**entry, key: datetime.date.fromisoformat(entry[key])}
