"""Reads on actions, their review and notices, already filtered by the user's scope, and the
summary of an action set's money (sought and secured) that the dashboards show."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy

from .models import Action, ActionStatusChange, Evidence, Fund, IndicatorValue, Notification


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
