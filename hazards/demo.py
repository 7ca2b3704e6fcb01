"""Demo of the hazard log (commitment 3.1): floods, droughts, landslides, heatwaves and spills in
every demo city over the demo's months, with people affected, deaths and missing (mostly none)
and their losses in the city's currency; and in each city two actions of commitment 3.1 that
prepared for or answered one of them, most approved by the coordinator of the city's country.

Everything goes through the services, as real use would: the ambassador records each event
(hazards.services) and logs the actions on the hazard-response kind (commitments.services, then
hazards.services.response_save). The services stamp "now"; afterwards the moments are moved
back with queryset updates (demo data only), as the other demos do, so the log reads like
months of work: an event is recorded the day after it started. The content is in demo_content.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ambassadors.demo import DEMO_COORDINATORS
from ambassadors.models import Ambassador
from commitments import services as commitment_services
from commitments.demo import CURRENCY_OF_COUNTRY, DEMO_RATES, _backdate
from commitments.models import Action, Commitment
from commitments.sample_files import png_bytes, upload

from . import services
from .demo_content import APPROVE_COMMENT, EVENTS, RESPONSES
from .models import HazardEvent


def _moment(day, hour=9):
    """`day` at `hour`, or two hours ago if that is earlier: the demo tells of the past."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(at, timezone.now() - datetime.timedelta(hours=2))


def _local(usd, currency):
    """A loss in dollars in the city's currency at the demo's rate, to the thousand."""
    if usd is None:
        return None
    amount = Decimal(usd) / Decimal(DEMO_RATES[currency]) if currency in DEMO_RATES else Decimal(usd)
    return (amount / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000


def _event(user, city, spec, *, today):
    """One event of EVENTS, recorded by the city's ambassador the day after it started."""
    hazard, title, days_ago, days_long, area, affected, deaths, missing, loss_usd, description = spec
    started_on = today - datetime.timedelta(days=days_ago)
    ended_on = None if days_long is None else min(started_on + datetime.timedelta(days=days_long), today)
    currency = CURRENCY_OF_COUNTRY.get(city.country_id, "USD")
    event = services.event_create(
        by=user,
        data={
            "hazard": hazard,
            "title": title,
            "started_on": started_on,
            "ended_on": ended_on,
            "area": area,
            "people_affected": affected,
            "deaths": deaths,
            "missing": missing,
            "economic_loss": _local(loss_usd, currency),
            "currency": currency,
            "description": description,
        },
    )
    recorded = _moment(started_on + datetime.timedelta(days=1))
    HazardEvent.objects.filter(pk=event.pk).update(created_at=recorded, updated_at=recorded)
    HazardEvent.history.filter(id=event.pk).update(history_date=recorded)
    return event


def _response(appointment, event, spec, reviewer, *, commitment, today):
    """An action of commitment 3.1 answering `event`, taken as far as its status, then dated."""
    _index, phase, status, days_after, days_long, title, description, outcome, people = spec
    user = appointment.user
    started_on = min(event.started_on + datetime.timedelta(days=days_after), today - datetime.timedelta(days=2))
    ended_on = min(started_on + datetime.timedelta(days=days_long), today - datetime.timedelta(days=1))
    women = people // 2
    action = commitment_services.action_create(
        by=user,
        commitment=commitment,
        data={
            "kind": Action.Kind.HAZARD_RESPONSE,
            "title": title,
            "description": description,
            "outcome": outcome,
            "started_on": started_on,
            "ended_on": ended_on,
            "people_reached": people,
            "women_reached": women,
            "men_reached": people - women,
            "partners": "Defensa civil\nJuntas vecinales",
        },
        focus_areas=list(commitment.focus_areas.all()[:2]),
    )
    # Logged once it ended (at the latest a week ago, so its review is over by now).
    logged_on = max(started_on, min(ended_on, today - datetime.timedelta(days=7)))
    services.response_save(
        action=action,
        data={"phase": phase, "hazard": event.hazard},
        events=[event],
        by=user,
        at=_moment(logged_on, hour=10),
    )
    commitment_services.evidence_add_file(
        action=action, by=user, uploaded_file=upload("foto.png", png_bytes(64, 48)), title="Foto de la actividad"
    )
    if status != "draft":
        commitment_services.action_submit(action=action, by=user)
    if status == "approved":
        commitment_services.action_approve(action=action, by=reviewer, comment=APPROVE_COMMENT)
    # Sent two days after it was logged, decided three days later.
    _backdate(action, logged_on, datetime.timedelta(days=3))
    return action


@transaction.atomic
def load_demo_hazards(today=None):
    """Add the events and response actions of each demo city that has no events yet."""
    today = today or timezone.localdate()
    commitment = Commitment.objects.with_axis().get(axis__number=3, number=1)
    users = get_user_model().objects
    coordinator_of = {
        code: users.get(username=username) for username, _first, _last, codes in DEMO_COORDINATORS for code in codes
    }
    for username, events in EVENTS.items():
        appointment = (
            Ambassador.objects.filter(user__username=username, status=Ambassador.Status.ACTIVE)
            .select_related("city", "user")
            .first()
        )
        if appointment is None or HazardEvent.objects.filter(city=appointment.city).exists():
            continue
        city = appointment.city
        recorded = [_event(appointment.user, city, spec, today=today) for spec in events]
        for spec in RESPONSES[username]:
            _response(
                appointment,
                recorded[spec[0]],
                spec,
                coordinator_of[city.country_id],
                commitment=commitment,
                today=today,
            )
