"""The figures of trainings, participation mechanisms and public policies that dashboards and
reports show, each kind one aggregate query over the cities given.

`cities` is what reports/dashboards.py passes as its scope: a queryset of cities, or a list of
cities or of their ids; nothing here widens it. A period is [start, end] with both days in it,
as reports.periods.Period and the dashboards count it. Only approved actions count:

- a training or a mechanism counts in the period its action started in (Action.started_on), with
  everything it brings: all its sessions and hours, its participants (the action's people, by
  group: commitments.models.PEOPLE_GROUPS), as the panel counts the action and its people;
- a policy counts in the period it was adopted in (PublicPolicy.adopted_on, in one of
  PublicPolicy.ADOPTED_STAGES), whenever its action started.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from commitments.models import PEOPLE_GROUPS, Action

from .models import ParticipationMechanism, PublicPolicy, Training, TrainingSession

# The people figures, by the name dashboards use, and the action field each adds up.
PEOPLE = {"people": "people_reached", **{group.removesuffix("_reached"): group for group in PEOPLE_GROUPS}}
HUNDREDTH = Decimal("0.01")
WHOLE = DecimalField(max_digits=20, decimal_places=2)


def _approved(cities, *, start=None, end=None):
    """The approved actions of `cities`, started within [start, end] when given, as a filter on
    the kind's details (through their `action`)."""
    counted = Q(action__status=Action.Status.APPROVED, action__city__in=cities)
    if start is not None:
        counted &= Q(action__started_on__range=(start, end))
    return counted


def _people(row):
    return {name: row[name] or 0 for name in PEOPLE}


def _people_sums():
    return {name: Sum(f"action__{field}") for name, field in PEOPLE.items()}


def _hundredths(value):
    return None if value is None else Decimal(value).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def training_figures(*, cities, start, end):
    """The approved trainings of `cities` that started in [start, end]. One query.

    trainings held; their sessions and hours (all of each training's sessions, whatever day they
    were held on: a training counts whole in the period it started in); people trained, in all
    and by group (the actions' people counts); public servants trained; certificates issued; and
    the average satisfaction, WEIGHTED BY PARTICIPANTS: the mean rating a participant gave, not
    the mean of the trainings' ratings (a training of 200 weighs ten times one of 20). A training
    rated without a participant count is left out of the average; `rated` says how many trainings
    it stands on and `rated_people` how many participants."""
    sessions = TrainingSession.objects.filter(training=OuterRef("pk")).values("training").order_by()
    weighed = Q(satisfaction__isnull=False, action__people_reached__isnull=False, action__people_reached__gt=0)
    row = (
        Training.objects.filter(_approved(cities, start=start, end=end))
        .annotate(
            session_count=Subquery(sessions.annotate(n=Count("pk")).values("n")),
            session_hours=Subquery(sessions.annotate(h=Sum("hours")).values("h"), output_field=WHOLE),
            rating_weight=ExpressionWrapper(F("satisfaction") * F("action__people_reached"), output_field=WHOLE),
        )
        .aggregate(
            trainings=Count("pk"),
            sessions=Coalesce(Sum("session_count"), 0),
            hours=Sum("session_hours", output_field=WHOLE),
            public_servants=Sum("public_servants"),
            certificates=Sum("certificates_issued"),
            rated=Count("pk", filter=weighed),
            rated_people=Sum("action__people_reached", filter=weighed),
            rating_total=Sum("rating_weight", filter=weighed, output_field=WHOLE),
            **_people_sums(),
        )
    )
    rated_people = row["rated_people"] or 0
    return {
        "trainings": row["trainings"],
        "sessions": row["sessions"],
        "hours": _hundredths(row["hours"] or 0),
        "people": _people(row),
        "public_servants": row["public_servants"] or 0,
        "certificates": row["certificates"] or 0,
        "satisfaction": _hundredths(Decimal(row["rating_total"]) / rated_people) if rated_people else None,
        "rated": row["rated"],
        "rated_people": rated_people,
    }


def participation_figures(*, cities, start, end):
    """The approved participation mechanisms of `cities` that started in [start, end]. One query.

    How many, how many of each type, how many offered at least one accessibility measure and how
    many each measure (ParticipationMechanism.ACCESSIBILITY), how many changed at least one
    decision (wrote one down), and their participants in all and by group."""
    measures = ParticipationMechanism.ACCESSIBILITY
    any_measure = Q()
    for measure in measures:
        any_measure |= Q(**{measure: True})
    row = ParticipationMechanism.objects.filter(_approved(cities, start=start, end=end)).aggregate(
        mechanisms=Count("pk"),
        accessible=Count("pk", filter=any_measure),
        changed_decisions=Count("pk", filter=~Q(decisions_changed="")),
        **{f"mechanism_{value}": Count("pk", filter=Q(mechanism=value)) for value in ParticipationMechanism.Mechanism},
        **{f"measure_{measure}": Count("pk", filter=Q(**{measure: True})) for measure in measures},
        **_people_sums(),
    )
    return {
        "mechanisms": row["mechanisms"],
        "by_mechanism": {value: row[f"mechanism_{value}"] for value in ParticipationMechanism.Mechanism.values},
        "accessible": row["accessible"],
        "by_measure": {measure: row[f"measure_{measure}"] for measure in measures},
        "changed_decisions": row["changed_decisions"],
        "people": _people(row),
    }


def policy_figures(*, cities, start, end):
    """The approved policies of `cities` adopted in [start, end] (an adopted stage and its
    adoption day in the period), whenever their action started. One query.

    How many, how many of each instrument, the population they cover, how many are local
    disaster-risk strategies; and `cities_with_strategy`: how many of the cities had adopted a
    local disaster-risk strategy by the period's end (on any day before it: a strategy adopted
    stays in force), the numerator of SDG 11.b.2 / 13.1.3 (disaster_risk_share)."""
    adopted = Q(stage__in=PublicPolicy.ADOPTED_STAGES, adopted_on__lte=end)
    in_period = Q(adopted_on__gte=start)
    row = PublicPolicy.objects.filter(_approved(cities), adopted).aggregate(
        adopted=Count("pk", filter=in_period),
        population_covered=Sum("population_covered", filter=in_period),
        strategies=Count("pk", filter=in_period & Q(disaster_risk_strategy=True)),
        cities_with_strategy=Count("action__city", filter=Q(disaster_risk_strategy=True), distinct=True),
        **{
            f"instrument_{value}": Count("pk", filter=in_period & Q(instrument=value))
            for value in PublicPolicy.Instrument
        },
    )
    return {
        "adopted": row["adopted"],
        "by_instrument": {value: row[f"instrument_{value}"] for value in PublicPolicy.Instrument.values},
        "population_covered": row["population_covered"] or 0,
        "strategies": row["strategies"],
        "cities_with_strategy": row["cities_with_strategy"],
    }


def disaster_risk_share(*, cities_with_strategy, city_count):
    """SDG 11.b.2 / 13.1.3: the percentage of the `city_count` cities that had adopted a local
    disaster-risk reduction strategy (policy_figures' cities_with_strategy), to one decimal;
    None without cities."""
    if not city_count:
        return None
    return (Decimal(100) * cities_with_strategy / city_count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def kind_figures(*, cities, start, end, city_count=None):
    """Every kind's figures for the cities and period: three queries. With `city_count` (how
    many cities `cities` holds, which the caller knows), the share of them with a local
    disaster-risk strategy (disaster_risk_share)."""
    policy = policy_figures(cities=cities, start=start, end=end)
    if city_count is not None:
        policy["strategy_share"] = disaster_risk_share(
            cities_with_strategy=policy["cities_with_strategy"], city_count=city_count
        )
        policy["city_count"] = city_count
    return {
        "training": training_figures(cities=cities, start=start, end=end),
        "participation": participation_figures(cities=cities, start=start, end=end),
        "policy": policy,
    }
