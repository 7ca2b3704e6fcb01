"""Factories of the practices app. PracticeFactory writes through practices.services, as an
ambassador does: its sources are approved actions of its city, its review the workflow's own."""

import datetime

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory, CityFactory, UserFactory
from commitments.models import Action
from commitments.tests.factories import ActionFactory, CommitmentFactory
from practices import services
from practices.models import (
    CommitmentFollow,
    Exchange,
    ExchangeParticipation,
    PartnerCity,
    Practice,
    PracticeGoal,
    PracticeStatusChange,
    Replication,
    ReplicationAction,
)

PRACTICE_TEXT = {
    "summary_es": "Una escuela municipal de gobernanza emocional para el personal de atención.",
    "problem": "El trato a la ciudadanía en ventanilla generaba quejas.",
    "what_was_done": "Talleres mensuales de escucha activa con 120 servidores públicos.",
    "results": "Las quejas bajaron un 30 % en un año.",
    "funding": "Presupuesto municipal de capacitación.",
    "lessons": "Empezar por los equipos con más contacto con el público.",
    "how_to_replicate": "Un convenio con la universidad local y un ciclo de seis talleres.",
}


def _admin():
    return UserFactory(is_staff=True, is_superuser=True)


class PracticeFactory(factory.django.DjangoModelFactory):
    """PracticeFactory(by=ambassador): a draft of `by`'s city (by default a new city's
    ambassador's) from one approved action of that city (or `actions`), complete enough to be
    sent. status="submitted", "published" or "returned" runs the review that far, the decision
    by `reviewer` (by default a new admin). `goals`, `focus_areas`, `evidence`, `commitments` go
    to services.practice_create; other keywords are the practice's own fields."""

    class Meta:
        model = Practice

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    actions = factory.LazyAttribute(
        lambda practice: [ActionFactory(by=practice.by, status=Action.Status.APPROVED, reviewer=_admin())]
    )
    status = Practice.Status.DRAFT
    reviewer = factory.Maybe(
        factory.LazyAttribute(
            lambda practice: practice.status in (Practice.Status.PUBLISHED, Practice.Status.RETURNED)
        ),
        factory.LazyFunction(_admin),
        None,
    )
    comment = "Falta el costo."
    title = "Escuela de Gobernanza Emocional"

    @classmethod
    def _create(cls, model_class, *, by, actions, status, reviewer, comment, **fields):
        related = {key: fields.pop(key) for key in ("goals", "focus_areas", "evidence", "commitments") if key in fields}
        data = {**PRACTICE_TEXT, **fields}
        practice = services.practice_create(by=by, data=data, actions=actions, **related)
        if status != Practice.Status.DRAFT:
            services.practice_submit(practice=practice, by=by)
        if status == Practice.Status.PUBLISHED:
            services.practice_approve(practice=practice, by=reviewer)
        elif status == Practice.Status.RETURNED:
            services.practice_return(practice=practice, by=reviewer, comment=comment)
        practice.refresh_from_db()
        return practice


class PracticeGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeGoal

    practice = factory.SubFactory(PracticeFactory)
    goal = 11


class PracticeStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeStatusChange

    practice = factory.SubFactory(PracticeFactory)
    from_status = Practice.Status.DRAFT
    to_status = Practice.Status.SUBMITTED
    by = factory.SubFactory(UserFactory)
    at = factory.LazyFunction(timezone.now)


class ReplicationFactory(factory.django.DjangoModelFactory):
    """ReplicationFactory(by=ambassador of another city): that city replicates a published
    practice (by default a new one), through services.replication_start."""

    class Meta:
        model = Replication

    practice = factory.SubFactory(PracticeFactory, status=Practice.Status.PUBLISHED)
    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    notes = "La adaptamos a los mercados municipales."

    @classmethod
    def _create(cls, model_class, *, practice, by, notes):
        return services.replication_start(practice=practice, by=by, notes=notes)


class ReplicationActionFactory(factory.django.DjangoModelFactory):
    """A draft action of the replicating city, linked to the replication."""

    class Meta:
        model = ReplicationAction

    replication = factory.SubFactory(ReplicationFactory)
    completes = False

    @classmethod
    def _create(cls, model_class, *, replication, completes, action=None):
        by = replication.started_by
        action = action or ActionFactory(by=by)
        return services.replication_link(replication=replication, action=action, by=by, completes=completes)


class ExchangeFactory(factory.django.DjangoModelFactory):
    """An exchange recorded by an ambassador (by default a new one) with one other network city."""

    class Meta:
        model = Exchange

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    kind = Exchange.Kind.WEBINAR
    title = "Webinar sobre gobernanza emocional"
    description = "Dos ciudades comparten su escuela."
    started_on = datetime.date(2026, 10, 20)
    cities = factory.LazyFunction(lambda: [CityFactory()])
    partner_cities = ()
    practices = ()

    @classmethod
    def _create(cls, model_class, *, by, cities, partner_cities, practices, **data):
        return services.exchange_save(
            by=by, data=data, cities=cities, partner_cities=partner_cities, practices=practices
        )


class PartnerCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerCity

    exchange = factory.SubFactory(ExchangeFactory)
    name = "Barcelona"
    country = "ES"


class CommitmentFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentFollow

    user = factory.SubFactory(UserFactory)
    commitment = factory.SubFactory(CommitmentFactory)


class ExchangeParticipationFactory(factory.django.DjangoModelFactory):
    """An exchange action (1.1) of the exchange's recording ambassador's city, which organised it."""

    class Meta:
        model = ExchangeParticipation

    exchange = factory.SubFactory(ExchangeFactory)
    role = ExchangeParticipation.Role.ORGANISED

    @classmethod
    def _create(cls, model_class, *, exchange, role):
        by = exchange.created_by
        action = ActionFactory(by=by, commitment="1.1", kind="exchange", started_on=exchange.started_on)
        return services.exchange_participation_save(
            action=action, data={"exchange": exchange, "role": role}, by=by, at=timezone.now()
        )
