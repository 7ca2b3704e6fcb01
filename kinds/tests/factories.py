"""Factories of the kinds app. Each writes as the app does: a draft action of its kind through
commitments.services, its details through kinds.services, then the workflow to `status`
(approved by default, the decision by `reviewer`, by default a new admin). `action` holds the
action's own fields (started_on, people_reached, women_reached…)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory
from commitments import services as commitment_services
from commitments.models import Action
from commitments.tests.factories import ActionFactory
from core.tests.factories import UserFactory
from kinds import services
from kinds.models import ParticipationMechanism, PublicPolicy, Training, TrainingSession


def decide(action, *, by, status, reviewer=None):
    """Move a draft through the workflow to `status`, as its ambassador and a reviewer do."""
    if status == Action.Status.DRAFT:
        return action
    commitment_services.action_submit(action=action, by=by)
    reviewer = reviewer or UserFactory(is_staff=True, is_superuser=True)
    if status == Action.Status.APPROVED:
        commitment_services.action_approve(action=action, by=reviewer)
    elif status == Action.Status.RETURNED:
        commitment_services.action_return(action=action, by=reviewer, comment="Corrija.")
    return action


class _KindFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    status = Action.Status.APPROVED
    reviewer = None
    action = factory.LazyFunction(dict)

    _kind = None
    _commitment = None

    @classmethod
    def _create(cls, model_class, *, by, status, reviewer, action, **data):
        drafted = ActionFactory(by=by, kind=cls._kind, commitment=cls._commitment, **action)
        details = cls._write(drafted, by=by, at=timezone.now(), **data)
        decide(drafted, by=by, status=status, reviewer=reviewer)
        return model_class.objects.select_related("action").get(pk=details.pk)


class TrainingFactory(_KindFactory):
    """A training (1.2) with its sessions: a list of (day, hours); by default one of three hours
    on the action's first day."""

    class Meta:
        model = Training

    _kind, _commitment = Action.Kind.TRAINING, "1.2"
    format = Training.Format.COURSE
    modality = Training.Modality.IN_PERSON
    public_servants = None
    certificates_issued = None
    satisfaction = None
    sessions = None

    @staticmethod
    def _write(action, *, by, at, sessions, **data):
        return services.training_save(
            action=action,
            data=data,
            sessions=[
                {"held_on": day, "hours": hours, "topic": ""}
                for day, hours in (sessions if sessions is not None else [(action.started_on, 3)])
            ],
            by=by,
            at=at,
        )


class ParticipationFactory(_KindFactory):
    """A participation mechanism (1.3); accessibility measures as keyword arguments."""

    class Meta:
        model = ParticipationMechanism

    _kind, _commitment = Action.Kind.PARTICIPATION, "1.3"
    mechanism = ParticipationMechanism.Mechanism.OPEN_COUNCIL
    decisions_changed = ""

    @staticmethod
    def _write(action, *, by, at, **data):
        return services.participation_save(action=action, data=data, by=by, at=at)


class PolicyFactory(_KindFactory):
    """A public policy (2.1), adopted on 1 October 2026 unless told otherwise."""

    class Meta:
        model = PublicPolicy

    _kind, _commitment = Action.Kind.POLICY, "2.1"
    instrument = PublicPolicy.Instrument.ORDINANCE
    stage = PublicPolicy.Stage.ADOPTED
    adopted_on = datetime.date(2026, 10, 1)
    population_covered = None
    disaster_risk_strategy = False

    @staticmethod
    def _write(action, *, by, at, **data):
        return services.policy_save(action=action, data=data, by=by, at=at)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """One more session of a training (by default a new one without sessions)."""

    class Meta:
        model = TrainingSession

    training = factory.SubFactory(TrainingFactory, sessions=(), status=Action.Status.DRAFT)
    held_on = datetime.date(2026, 10, 12)
    hours = Decimal("2.5")
    topic = "Escucha activa"

    @classmethod
    def _create(cls, model_class, *, training, **session):
        by = training.action.ambassador.user
        kept = [{"held_on": s.held_on, "hours": s.hours, "topic": s.topic} for s in training.sessions.all()]
        data = {"format": training.format, "modality": training.modality}
        services.training_save(action=training.action, data=data, sessions=[*kept, session], by=by, at=timezone.now())
        return training.sessions.filter(**session).latest("pk")
