"""Factories of the hazard log. Events and responses are written through hazards.services, as
the city's ambassador writes them."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory
from commitments.models import Action
from commitments.tests.factories import ActionFactory
from hazards import services
from hazards.models import HazardEvent, HazardResponse


class HazardEventFactory(factory.django.DjangoModelFactory):
    """HazardEventFactory(by=ambassador): an event of `by`'s city (by default a new city's
    ambassador's), recorded by them."""

    class Meta:
        model = HazardEvent

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    hazard = HazardEvent.Hazard.FLOOD
    title = "Desborde del río en la temporada de lluvias"
    started_on = datetime.date(2026, 2, 10)
    ended_on = datetime.date(2026, 2, 14)
    area = "Barrios ribereños del norte"
    people_affected = 1200
    deaths = 0
    missing = 0
    economic_loss = Decimal("350000.00")
    currency = "USD"

    @classmethod
    def _create(cls, model_class, *, by, **data):
        return services.event_create(by=by, data=data)


class HazardResponseFactory(factory.django.DjangoModelFactory):
    """HazardResponseFactory(by=ambassador, events=[event]): a draft action of `by`'s city on
    commitment 3.1, of the hazard-response kind, answering `events` (of the same city)."""

    class Meta:
        model = HazardResponse

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    phase = HazardResponse.Phase.RESPOND
    hazard = HazardEvent.Hazard.FLOOD
    events = ()
    title = "Brigadas de limpieza de cauces tras la inundación"
    started_on = datetime.date(2026, 2, 16)

    @classmethod
    def _create(cls, model_class, *, by, phase, hazard, events, title, started_on):
        action = ActionFactory(
            by=by, commitment="3.1", kind=Action.Kind.HAZARD_RESPONSE, title=title, started_on=started_on
        )
        return services.response_save(
            action=action, data={"phase": phase, "hazard": hazard}, events=list(events), by=by, at=timezone.now()
        )
