"""Reads on actions, targets and a city's progress, already filtered by the user's scope."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy

from axes.models import Axis

from . import tallies
from .models import (
    Action,
    ActionStatusChange,
    Commitment,
    Evidence,
    Fund,
    IndicatorValue,
    MonthlyTally,
    Notification,
    Target,
)


def actions_for(*, user):
    """The actions the user may see, ready for a list page (a fixed number of queries)."""
    return (
        Action.objects.visible_to(user)
        .for_list()
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("-started_on", "-created_at", "-pk")
    )


def review_queue(*, user):
    """Submitted actions the user may decide on, oldest submission first (never their own)."""
    return (
        Action.objects.awaiting_review_by(user)
        .for_list()
        .select_related("city__country")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("submitted_at", "pk")
    )


def notifications_for(*, user):
    """The user's notifications about actions still in their scope, newest first."""
    return Notification.objects.filter(
        recipient=user, status_change__action__in=Action.objects.visible_to(user)
    ).select_related("status_change__action__commitment__axis", "status_change__by")


def action_for(*, user, pk):
    """One action in the user's scope with everything its page shows; DoesNotExist otherwise."""
    return (
        Action.objects.visible_to(user)
        .select_related("commitment__axis", "city__country", "ambassador__user")
        .prefetch_related(
            "focus_areas",
            "cities_involved",
            Prefetch("indicator_values", queryset=IndicatorValue.objects.select_related("indicator")),
            Prefetch("funds", queryset=Fund.objects.with_usd()),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch("status_changes", queryset=ActionStatusChange.objects.select_related("by")),
        )
        .get(pk=pk)
    )


def last_review_comment(action):
    """The reviewer's comment that returned the action, if it is returned (uses the prefetch)."""
    if action.status != Action.Status.RETURNED:
        return None
    returns = [change for change in action.status_changes.all() if change.to_status == Action.Status.RETURNED]
    return returns[-1] if returns else None


def city_progress(*, city, year_start, today):
    """Everything "Mi ciudad" shows, each part one aggregate query. Funds: money sought and
    money secured by the city's approved actions, this year and in all."""
    tally = {
        row["commitment"]: row
        for row in MonthlyTally.objects.filter(city=city)
        .values("commitment", "commitment__axis")
        .annotate(approved=Sum("actions"), this_year=Coalesce(Sum("actions", filter=Q(month__gte=year_start)), 0))
        .order_by()
    }
    commitments = list(
        Commitment.objects.active()
        .with_axis()
        .annotate(
            logged_this_year=Exists(
                Action.objects.filter(commitment=OuterRef("pk"), city=city, started_on__gte=year_start).exclude(
                    status=Action.Status.DRAFT
                )
            ),
        )
        .order_by("axis__number", "order", "number")
    )
    for commitment in commitments:
        counted = tally.get(commitment.pk, {})
        commitment.approved_count = counted.get("approved", 0)
        commitment.approved_this_year = counted.get("this_year", 0)
    axes = list(Axis.objects.order_by("number"))
    for axis in axes:
        axis.approved_count = sum(row["approved"] for row in tally.values() if row["commitment__axis"] == axis.pk)
    targets = list(Target.objects.filter(city=city).with_progress(today=today).order_by("indicator__code", "due_on"))
    # The twelve calendar months up to this one.
    months_back = today.year * 12 + today.month - 1 - 11
    last_year = datetime.date(months_back // 12, months_back % 12 + 1, 1)
    series = monthly_series(
        rows=tallies.approved(cities=[city], start=last_year, end=today, today=today),
        start=last_year,
        end=today,
        axes=axes,
    )
    timeline = list(Action.objects.approved().filter(city=city).for_list().order_by("-started_on", "-pk")[:12])
    recent = list(
        ActionStatusChange.objects.filter(city=city).select_related("action", "by").order_by("-at", "-pk")[:10]
    )
    funds = funds_summary(Fund.objects.of_approved_actions(cities=[city]).per_stage_and_currency(since=year_start))
    return {
        "commitments": commitments,
        "funds": funds,
        "axes": axes,
        "targets": targets,
        "recent": recent,
        "series": series,
        "chart": monthly_chart(series),
        "timeline": timeline,
        "without_action": [c for c in commitments if not c.logged_this_year],
    }


def monthly_series(*, rows, start, end, axes=None):
    """Actions and people reached per month from `start` to `end`, by axis: one GROUP BY query.

    `rows` are approved actions in scope as tallies.approved gives them; months without
    actions count zero.
    """
    rows = (
        rows.values("month", "commitment__axis")
        .annotate(approved=Sum("actions"), people=Coalesce(Sum("people_reached"), 0))
        .order_by()
    )
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    axes = axes if axes is not None else list(Axis.objects.order_by("number"))
    counts = {(axis.pk, month): 0 for axis in axes for month in months}
    people = dict.fromkeys(months, 0)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        counts[(row["commitment__axis"], month)] = row["approved"]
        people[month] += row["people"]
    return {
        "months": months,
        "axes": [{"axis": axis, "counts": [counts[(axis.pk, month)] for month in months]} for axis in axes],
        "people": [people[month] for month in months],
        # The same figures month by month, for the table beside the charts.
        "rows": [
            {"month": month, "counts": [counts[(axis.pk, month)] for axis in axes], "people": people[month]}
            for month in months
        ],
    }


def monthly_chart(series):
    """The stacked bar chart of monthly_series, as static/js/dashboard.js reads it."""
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


@dataclass
class FundFigure:
    """Money sought or money secured: in USD (the amounts with an exchange rate in force), how
    many amounts have none (their USD is unknown, not zero: left out, never guessed), and the
    amounts per currency. The `*_since` figures count the actions started since a given day."""

    name: str
    label: str
    stages: str  # which stages it counts, in words
    usd: Decimal = Decimal(0)
    without_rate: int = 0
    usd_since: Decimal = Decimal(0)
    without_rate_since: int = 0
    by_currency: dict = field(default_factory=dict)

    def add(self, row):
        self.usd += row["usd"] or 0
        self.without_rate += row["without_rate"]
        amounts = self.by_currency.setdefault(
            row["currency"], {"currency": row["currency"], "amount": Decimal(0), "amount_since": Decimal(0)}
        )
        amounts["amount"] += row["amount"]
        if "amount_since" in row:
            self.usd_since += row["usd_since"] or 0
            self.without_rate_since += row["without_rate_since"]
            amounts["amount_since"] += row["amount_since"] or 0

    @property
    def currencies(self):
        return [self.by_currency[code] for code in sorted(self.by_currency)]


# The two figures of money every page and export shows, never added together.
FUND_GROUPS = {
    "sought": (gettext_lazy("Fondos buscados"), gettext_lazy("identificados o solicitados"), Fund.SOUGHT),
    "secured": (gettext_lazy("Fondos asegurados"), gettext_lazy("otorgados o desembolsados"), Fund.SECURED),
}


def funds_summary(rows):
    """Fund.objects.per_stage_and_currency() rows, per stage (each with its currencies and USD)
    and folded into the two figures: money sought and money secured (FundFigure)."""
    labels = dict(Fund.Stage.choices)
    groups = {
        name: FundFigure(name=name, label=label, stages=words) for name, (label, words, _s) in FUND_GROUPS.items()
    }
    group_of = {stage: name for name, (_label, _words, stages) in FUND_GROUPS.items() for stage in stages}
    stages = {
        stage: {"stage": stage, "label": label, "group": group_of[stage], "currencies": [], "usd": Decimal(0)}
        for stage, label in labels.items()
    }
    for row in rows:
        stage = stages[row["stage"]]
        stage["currencies"].append(row)
        stage["usd"] += row["usd"] or 0
        groups[stage["group"]].add(row)
    recorded = any(stage["currencies"] for stage in stages.values())
    return {"stages": list(stages.values()), "groups": list(groups.values()), "recorded": recorded, **groups}
