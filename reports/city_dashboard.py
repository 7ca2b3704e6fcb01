"""A city's dashboard, "Mi ciudad": its targets with their progress, approved actions per axis and
commitment, the commitments without action this year, recent activity, its funding pipeline, and its good
practices: its own and the ones it replicates."""

from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from axes.models import Axis
from commitments.models import Action, ActionStatusChange, Commitment, MonthlyTally, Target
from funding import figures as funding_figures
from funding.models import Opportunity
from practices import figures as practice_figures

from . import kinds_content
from .series import city_last_twelve_months, monthly_chart


def city_progress(*, city, user, year_start, today):
    """Everything "Mi ciudad" shows to `user`, each part one aggregate query. Money: the city's
    funding pipeline (funding.figures), all of it with its next deadlines, and the opportunities
    identified this year. Practices: those the user may read (every status for the city's scope),
    and the ones the city replicates."""
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
    series = city_last_twelve_months(city=city, today=today, axes=axes)
    timeline = list(Action.objects.approved().filter(city=city).for_list().order_by("-started_on", "-pk")[:12])
    recent = list(
        ActionStatusChange.objects.filter(city=city).select_related("action", "by").order_by("-at", "-pk")[:10]
    )
    return {
        "commitments": commitments,
        **_money(city, year_start=year_start, today=today),
        "axes": axes,
        "targets": targets,
        "recent": recent,
        "series": series,
        "chart": monthly_chart(series),
        "timeline": timeline,
        "without_action": [c for c in commitments if not c.logged_this_year],
        "practices": practice_figures.city_practices(city=city, user=user),
        "replications": practice_figures.city_replications(city=city, user=user),
        # Trainings, mechanisms, policies and hazard events this year (reports.kinds_content).
        **kinds_content.city_figures(city=city, start=year_start, end=today),
    }


def _money(city, *, year_start, today):
    """The city's pipeline with its next deadlines, and each of its figures in all and for the
    opportunities identified this year, side by side."""
    opportunities = Opportunity.objects.filter(city=city)
    money = funding_figures.pipeline(opportunities, today=today)
    money_this_year = funding_figures.pipeline(opportunities.identified_between(year_start, today))
    return {"money": money, "money_rows": list(zip(money.figures, money_this_year.figures, strict=True))}
