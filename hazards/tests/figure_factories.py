"""Factories for the hazard figures' tests: an event of a city's log, and an action answering
events, written through hazards.services and moved through the workflow as the app does."""

import datetime

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory, CityFactory
from commitments import services as commitment_services
from commitments.models import Action
from commitments.tests.factories import ActionFactory
from core.tests.factories import UserFactory
from hazards import services
from hazards.models import HazardEvent, HazardResponse


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


class HazardEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HazardEvent

    city = factory.SubFactory(CityFactory)
    hazard = HazardEvent.Hazard.FLOOD
    title = factory.Sequence(lambda n: f"Inundación {n}")
    started_on = datetime.date(2026, 10, 3)
    recorded_by = factory.SubFactory(UserFactory)


class HazardResponseFactory(factory.Factory):
    """An action (3.1) of `by` that answers `events` of its city, moved to `status`."""

    class Meta:
        model = HazardResponse

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    status = Action.Status.APPROVED
    reviewer = None
    action = factory.LazyFunction(dict)
    events = factory.LazyFunction(list)
    phase = HazardResponse.Phase.RESPOND
    hazard = ""

    @classmethod
    def _create(cls, model_class, *, by, status, reviewer, action, events, **data):
        drafted = ActionFactory(by=by, kind=Action.Kind.HAZARD_RESPONSE, commitment="3.1", **action)
        response = services.response_save(action=drafted, data=data, events=events, by=by, at=timezone.now())
        decide(drafted, by=by, status=status, reviewer=reviewer)
        return response
