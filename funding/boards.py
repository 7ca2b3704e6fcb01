"""What the pipeline pages show, read in a bounded number of queries: a city's board (a column
per stage), the scope's table of cities (one GROUP BY), an opportunity's money, the deadlines
ahead, the plans waiting for the reader's review. The money figures themselves are
funding.figures'; this module only lays them out and converts single amounts the same way (the
rate of the day the opportunity was identified, USD rounded once, no rate no USD)."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from ambassadors.models import City
from commitments.models import EXACT

from . import figures
from .models import Opportunity, TransitionPlan


def usd_of(amount, rate):
    """An amount in USD at `rate`, rounded to cents once; None without an amount or a rate."""
    if amount is None or rate is None:
        return None
    return figures.to_cents(amount * rate)


def with_money(opportunity):
    """The opportunity (annotated with usd_rate, OpportunityQuerySet.with_usd) with its amounts
    in USD beside: amount_usd, amount_awarded_usd."""
    opportunity.amount_usd = usd_of(opportunity.amount, opportunity.usd_rate)
    opportunity.amount_awarded_usd = usd_of(opportunity.amount_awarded, opportunity.usd_rate)
    return opportunity


def with_days_left(opportunities, *, today):
    """Each with days_left to its deadline (None without one) and awaits_deadline: whether it is
    still being prepared, so its deadline is one to meet."""
    for opportunity in opportunities:
        opportunity.days_left = (opportunity.deadline - today).days if opportunity.deadline else None
        opportunity.awaits_deadline = opportunity.stage in Opportunity.BEFORE_SUBMISSION
    return opportunities


# A board column shows the first cards of its stage by deadline; all of them are a link away
# (stage_page), so a city with thousands of opportunities still has a board that reads.
CARDS_PER_STAGE = 12
# The order of a stage's cards: the nearest deadline first, those without one last (on every
# database: SQLite would put them first).
CARD_ORDER = (F("deadline").asc(nulls_last=True), F("pk").asc())


def stage_columns(opportunities, stages):
    """The board: per stage (in the pipeline's order), its figures from funding.figures, its first
    opportunities (already read, with their USD) in deadline order and how many more it has."""
    cards = {value: [] for value in Opportunity.Stage.values}
    for opportunity in opportunities:
        cards[opportunity.stage].append(with_money(opportunity))
    return [
        stage | {"opportunities": cards[stage["stage"]], "more": stage["count"] - len(cards[stage["stage"]])}
        for stage in stages
    ]


def _cards(opportunities):
    """Opportunities as cards show them: with their rate and funder, in card order."""
    return opportunities.with_usd().select_related("funder").order_by(*CARD_ORDER)


def first_cards(opportunities, *, per_stage=CARDS_PER_STAGE):
    """The first `per_stage` opportunities of each stage in card order, in one query (a window)."""
    rank = Window(RowNumber(), partition_by=[F("stage")], order_by=list(CARD_ORDER))
    return _cards(opportunities).annotate(stage_rank=rank).filter(stage_rank__lte=per_stage)


def stage_page(city, stage, *, number, per_page, today):
    """One page of every opportunity of one stage of a city, as cards (their USD and days left)."""
    page = Paginator(_cards(Opportunity.objects.filter(city=city, stage=stage)), per_page).get_page(number)
    page.object_list = with_days_left([with_money(opportunity) for opportunity in page.object_list], today=today)
    return page


def city_board(city, *, today):
    """A city's pipeline: its figures (three aggregate queries and the next deadlines) and the
    first cards of each stage in one query."""
    opportunities = Opportunity.objects.filter(city=city)
    pipeline = figures.pipeline(opportunities, today=today)
    cards = with_days_left(list(first_cards(opportunities)), today=today)
    return {
        "pipeline": pipeline,
        "columns": stage_columns(cards, pipeline.stages),
        "deadlines": with_days_left(pipeline.deadlines, today=today),
    }


def cities_page(opportunities, *, number, per_page):
    """One page of the cities of `opportunities` (by name) with their cities_table rows: the
    cities are paginated first and only the page's are added up (a whole network's opportunities
    were most of the scope page's time)."""
    cities = (
        City.objects.filter(pk__in=opportunities.values("city")).order_by("name", "pk").values_list("pk", flat=True)
    )
    page = Paginator(cities, per_page).get_page(number)
    page.object_list = cities_table(opportunities.filter(city__in=list(page.object_list)))
    return page


def cities_table(opportunities):
    """Per city of `opportunities`, in one GROUP BY: for each stage how many and their amount
    sought in USD (rounded once per cell) and how many have no rate in force (left out of it);
    and the amount awarded in USD."""
    usd = F("amount") * F("usd_rate")
    per_stage = {}
    for stage in Opportunity.Stage.values:
        per_stage[f"stage_{stage}_count"] = Count("pk", filter=Q(stage=stage))
        per_stage[f"stage_{stage}_usd"] = Sum(usd, filter=Q(stage=stage), output_field=EXACT)
        per_stage[f"stage_{stage}_without_rate"] = Count("pk", filter=Q(stage=stage, usd_rate__isnull=True))
    rows = (
        opportunities.with_usd()
        .values("city", "city__name")
        .annotate(
            **per_stage,
            count=Count("pk"),
            awarded_amount_usd=Sum(F("amount_awarded") * F("usd_rate"), output_field=EXACT),
        )
        .order_by("city__name", "city")
    )
    table = []
    for row in rows:
        cells = [
            {
                "stage": stage,
                "label": label,
                "count": row[f"stage_{stage}_count"],
                "without_rate": row[f"stage_{stage}_without_rate"],
                "usd": figures.to_cents(row[f"stage_{stage}_usd"] or Decimal(0)),
            }
            for stage, label in Opportunity.Stage.choices
        ]
        awarded = {
            "count": row[f"stage_{Opportunity.Stage.AWARDED}_count"],
            "without_rate": row[f"stage_{Opportunity.Stage.AWARDED}_without_rate"],
            "usd": figures.to_cents(row["awarded_amount_usd"] or Decimal(0)),
        }
        table.append(
            {
                "city_id": row["city"],
                "name": row["city__name"],
                "count": row["count"],
                "stages": cells,
                "awarded": awarded,
            }
        )
    return table


def plans_awaiting_review(user):
    """The plan versions waiting for this user's decision, oldest sent first."""
    return (
        TransitionPlan.objects.awaiting_review_by(user).select_related("city__country").order_by("submitted_at", "pk")
    )


def opportunity_money(opportunity):
    """The opportunity's money (it is annotated with usd_rate, its disbursements prefetched): what
    was sought, awarded and received, in its currency and USD, and what is left to receive."""
    with_money(opportunity)
    disbursements = list(opportunity.disbursements.all())
    for disbursement in disbursements:
        disbursement.amount_usd = usd_of(disbursement.amount, opportunity.usd_rate)
    received = sum((d.amount for d in disbursements), Decimal(0))
    left = opportunity.amount_awarded - received if opportunity.amount_awarded is not None else None
    return {
        "disbursements": disbursements,
        "received": received,
        "received_usd": usd_of(received, opportunity.usd_rate),
        "left": left,
        "left_usd": usd_of(left, opportunity.usd_rate),
    }
