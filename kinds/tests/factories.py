"""Factories of the kinds' details: a draft action of `by`'s city (by default a new city's
ambassador's) on the commitment that offers the kind, its details written through
kinds.services, as the action's form writes them."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory
from commitments.models import Action
from commitments.tests.factories import ActionFactory
from kinds import services
from kinds.models import ParticipationMechanism, PublicPolicy, Training, TrainingSession


def _action(by, commitment, kind):
    return ActionFactory(by=by, commitment=commitment, kind=kind, started_on=datetime.date(2026, 10, 1))


class TrainingFactory(factory.django.DjangoModelFactory):
    """A course of commitment 1.2 with `sessions` [(day, hours)]."""

    class Meta:
        model = Training

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    format = Training.Format.COURSE
    modality = Training.Modality.IN_PERSON
    public_servants = 20
    satisfaction = Decimal("4.5")
    sessions = ((datetime.date(2026, 10, 5), Decimal(3)),)

    @classmethod
    def _create(cls, model_class, *, by, sessions, **data):
        action = _action(by, "1.2", Action.Kind.TRAINING)
        return services.training_save(
            action=action,
            data=data,
            sessions=[{"held_on": day, "hours": hours, "topic": ""} for day, hours in sessions],
            by=by,
            at=timezone.now(),
        )


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """One more session of a training (by default a new one without sessions)."""

    class Meta:
        model = TrainingSession

    training = factory.SubFactory(TrainingFactory, sessions=())
    held_on = datetime.date(2026, 10, 12)
    hours = Decimal("2.5")
    topic = "Escucha activa"

    @classmethod
    def _create(cls, model_class, *, training, **session):
        by = training.action.ambassador.user
        kept = [{"held_on": s.held_on, "hours": s.hours, "topic": s.topic} for s in training.sessions.all()]
        services.training_save(action=training.action, data={}, sessions=[*kept, session], by=by, at=timezone.now())
        return training.sessions.filter(**session).latest("pk")


class ParticipationMechanismFactory(factory.django.DjangoModelFactory):
    """An open council of commitment 1.3 with sign language and a step-free venue."""

    class Meta:
        model = ParticipationMechanism

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    mechanism = factory.LazyFunction(lambda: ParticipationMechanism.Mechanism.values[0])
    sign_language = True
    step_free_venue = True

    @classmethod
    def _create(cls, model_class, *, by, **data):
        action = _action(by, "1.3", Action.Kind.PARTICIPATION)
        return services.participation_save(action=action, data=data, by=by, at=timezone.now())


class PublicPolicyFactory(factory.django.DjangoModelFactory):
    """An ordinance of commitment 2.1, adopted."""

    class Meta:
        model = PublicPolicy

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    instrument = PublicPolicy.Instrument.ORDINANCE
    stage = PublicPolicy.Stage.ADOPTED
    adopted_on = datetime.date(2026, 9, 15)
    population_covered = 250000
    official_text_url = "https://example.org/ordenanza"

    @classmethod
    def _create(cls, model_class, *, by, **data):
        action = _action(by, "2.1", Action.Kind.POLICY)
        return services.policy_save(action=action, data=data, by=by, at=timezone.now())
