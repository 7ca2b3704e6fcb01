"""Factories of the commitments app. ActionFactory writes through commitments.services, as an
ambassador does, so an action's history, tallies and notifications are the workflow's own."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory, CityFactory, UserFactory
from axes.tests.factories import AxisFactory
from commitments import services
from commitments.models import (
    Action,
    ActionStatusChange,
    Commitment,
    Evidence,
    ExchangeRate,
    FocusArea,
    Indicator,
    IndicatorTally,
    IndicatorValue,
    MonthlyTally,
    Notification,
    ReviewTally,
    Target,
)

EMPTY_FORMSETS = {
    "links-TOTAL_FORMS": "0",
    "links-INITIAL_FORMS": "0",
}
DECISIONS = (Action.Status.APPROVED, Action.Status.RETURNED)
# What services.action_create takes beside the action's own fields.
DETAILS = ("focus_areas", "cities_involved", "indicator_values", "links")


def water_management():
    """3.1, integrated water management (seeded by the migrations): it has focus areas and
    indicators of every kind."""
    return Commitment.objects.with_axis().get(axis__number=3, number=1)


def seeded_commitment(commitment):
    """A commitment, or one of the seeded catalogue by its code ("3.1")."""
    if not isinstance(commitment, str):
        return commitment
    axis, number = commitment.split(".")
    return Commitment.objects.with_axis().get(axis__number=axis, number=number)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    axis = factory.SubFactory(AxisFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_es = factory.Sequence(lambda n: f"Compromiso {n}")
    text_es = "Texto del compromiso."


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    commitment = factory.SubFactory(CommitmentFactory)
    name_es = factory.Sequence(lambda n: f"Área {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    commitment = factory.SubFactory(CommitmentFactory)
    code = factory.Sequence(lambda n: f"9.{n}-z")
    name_es = factory.Sequence(lambda n: f"Indicador {n}")
    unit_es = "personas"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    city = factory.SubFactory(CityFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    horizon = "short"
    baseline = Decimal(0)
    baseline_year = 2025
    target_value = Decimal(100)
    due_on = datetime.date(2027, 12, 31)
    updated_by = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    """ActionFactory(by=ambassador): a draft of `by`'s city (by default a new city's
    ambassador's), complete enough to be sent for review; incomplete=True: a title only.
    `commitment` may be a seeded one's code ("2.1"). status="submitted", "approved" or "returned"
    runs the workflow that far, the decision by `reviewer` (by default a new admin). Details
    (focus_areas, cities_involved, indicator_values, links) go to services.action_create."""

    class Meta:
        model = Action

    class Params:
        incomplete = factory.Trait(started_on=None, description="", focus_areas=[])

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    status = Action.Status.DRAFT
    reviewer = factory.Maybe(
        factory.LazyAttribute(lambda action: action.status in DECISIONS),
        factory.LazyFunction(lambda: UserFactory(is_staff=True, is_superuser=True)),
        None,
    )
    comment = "Corrija."
    commitment = factory.LazyFunction(water_management)
    title = "Jornada de limpieza del río"
    started_on = datetime.date(2026, 10, 5)
    description = "Limpieza con 40 vecinos."
    focus_areas = factory.LazyAttribute(lambda action: list(seeded_commitment(action.commitment).focus_areas.all()[:1]))

    @classmethod
    def _create(cls, model_class, *, by, status, reviewer, comment, commitment, **fields):
        details = {key: fields.pop(key) for key in DETAILS if key in fields}
        action = services.action_create(by=by, commitment=seeded_commitment(commitment), data=fields, **details)
        if status != Action.Status.DRAFT:
            action = services.action_submit(action=action, by=by)
        if status == Action.Status.APPROVED:
            action = services.action_approve(action=action, by=reviewer)
        elif status == Action.Status.RETURNED:
            action = services.action_return(action=action, by=reviewer, comment=comment)
        return action


class ActionFormFactory(factory.DictFactory):
    """What the action form posts for a new action: a title, no links. Other fields,
    formset ones included ("links-TOTAL_FORMS"), are passed as keyword arguments."""

    title = "Cosecha de lluvia"
    save = ""

    @classmethod
    def _build(cls, model_class, *args, **fields):
        return {**EMPTY_FORMSETS, **fields}

    _create = _build


class _ActionChild(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    action = factory.SubFactory(ActionFactory)


class IndicatorValueFactory(_ActionChild):
    class Meta:
        model = IndicatorValue

    indicator = factory.LazyAttribute(lambda value: value.action.commitment.indicators.first())
    value = Decimal(1)


class EvidenceFactory(_ActionChild):
    """A link as evidence (files go through services.evidence_add_file)."""

    class Meta:
        model = Evidence

    url = "https://example.org/acta"
    title = "Acta"
    uploaded_by = factory.LazyAttribute(lambda evidence: evidence.action.ambassador.user)


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    currency = "PEN"
    usd_per_unit = Decimal("0.25")
    effective_on = datetime.date(2025, 1, 1)


class ActionStatusChangeFactory(_ActionChild):
    class Meta:
        model = ActionStatusChange

    city = factory.LazyAttribute(lambda change: change.action.city)
    from_status = Action.Status.DRAFT
    to_status = Action.Status.SUBMITTED
    by = factory.LazyAttribute(lambda change: change.action.ambassador.user)
    at = factory.LazyFunction(timezone.now)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    status_change = factory.SubFactory(ActionStatusChangeFactory)
    recipient = factory.LazyAttribute(lambda notification: notification.status_change.action.ambassador.user)


class MonthlyTallyFactory(factory.django.DjangoModelFactory):
    """A row of the tally (commitments.tallies keeps them; a test writes one by hand to see it read)."""

    class Meta:
        model = MonthlyTally

    city = factory.SubFactory(CityFactory)
    commitment = factory.LazyFunction(water_management)
    month = datetime.date(2026, 1, 1)
    actions = 1
    last_started_on = datetime.date(2026, 1, 5)


class ReviewTallyFactory(factory.django.DjangoModelFactory):
    """A cell of the review tally (commitments.review_tally keeps them): decisions of a city by a
    reviewer in a month, in one band of wait."""

    class Meta:
        model = ReviewTally

    city = factory.SubFactory(CityFactory)
    reviewer = factory.SubFactory(UserFactory)
    month = datetime.date(2026, 1, 1)
    bucket = 20
    decisions = 1


class IndicatorTallyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTally

    city = factory.SubFactory(CityFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    month = datetime.date(2026, 1, 1)
    value_count = 1
    total = Decimal(1)
    latest_started_on = datetime.date(2026, 1, 5)
    latest_action_pk = 0
    latest_value = Decimal(1)
