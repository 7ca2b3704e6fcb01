"""What the hazard log's pages read, each filtered by the user's scope. The figures of the
dashboards and reports (SDG 11.5, 13.1) are hazards.figures'."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from commitments.models import Action, usd_per_unit

from .models import HazardEvent, HazardResponse

CENT = Decimal("0.01")


def event_list(user, *, city=None, hazard=None):
    """The events of the user's scope (optionally of one city, one hazard), newest first, each
    with its city and the number of actions that answer it, in one query. Those actions are
    of the event's city (services.response_save keeps no other), so whoever sees the event
    sees them."""
    events = HazardEvent.objects.visible_to(user)
    if city is not None:
        events = events.filter(city=city)
    if hazard:
        events = events.filter(hazard=hazard)
    return (
        events.select_related("city")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-started_on", "-pk")
    )


def event_for(user, pk):
    """One event of the user's scope (else HazardEvent.DoesNotExist), with `usd_rate`: USD per
    unit of its currency on the day it started (None when no rate was in force then), and
    `economic_loss_usd`."""
    event = (
        HazardEvent.objects.visible_to(user)
        .select_related("city__country", "recorded_by")
        .annotate(usd_rate=usd_per_unit(day="started_on"))
        .get(pk=pk)
    )
    event.economic_loss_usd = None
    if event.economic_loss is not None and event.usd_rate is not None:
        event.economic_loss_usd = (event.economic_loss * event.usd_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return event


def responses_to(event, user):
    """The actions linked to the event that the user may see, with their phase, newest first."""
    return (
        HazardResponse.objects.filter(events=event, action__in=Action.objects.visible_to(user))
        .select_related("action__commitment__axis", "action__city")
        .order_by("-action__started_on", "-action__pk")
    )
