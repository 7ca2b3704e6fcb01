"""Every write of the hazard log and of a hazard response's details.

The ambassador in office in a city records its events and corrects them; coordinators and
admins read them (HazardEvent.objects.visible_to). Each write leaves its audit entry, who and
when; what the form refuses at its fields is refused here too, so no caller records an event
that starts tomorrow or ends before it began."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.services import active_appointment, keeps_city
from core.history import history_deferred, history_stamp, history_write

from .models import HazardEvent, HazardResponse

# Who may do what -------------------------------------------------------------------------


def date_errors(*, started_on, ended_on, today=None):
    """What is wrong with an event's dates, at their fields: it already happened (or is
    happening), and it ends on or after the day it started."""
    today = today or timezone.localdate()
    errors = {}
    if started_on and started_on > today:
        errors["started_on"] = [_("La fecha de inicio no puede estar en el futuro: registre lo que ya pasó.")]
    if ended_on and ended_on > today:
        errors["ended_on"] = [_("La fecha de fin no puede estar en el futuro: déjela vacía si el evento sigue.")]
    elif started_on and ended_on and ended_on < started_on:
        errors["ended_on"] = [_("La fecha de fin no puede ser anterior a la de inicio.")]
    return errors


def _write_event(event, *, data, by, created):
    fields = [name for name in HazardEvent.AUTHOR_FIELDS if name in data and getattr(event, name) != data[name]]
    for name in fields:
        setattr(event, name, data[name])
    errors = date_errors(started_on=event.started_on, ended_on=event.ended_on)
    if event.economic_loss is not None and not event.currency:
        errors["currency"] = [_("Indique la moneda de la pérdida.")]
    if errors:
        raise ValidationError(errors)
    if not event.currency:
        event.currency = HazardEvent._meta.get_field("currency").default
    if created or fields:
        event.full_clean()
        history_stamp(event, by=by).save()
    return event


# The event log ---------------------------------------------------------------------------


@transaction.atomic
def event_create(*, by, data):
    """An event of the ambassador's city. `data` holds HazardEvent.AUTHOR_FIELDS."""
    appointment = active_appointment(by)
    if appointment is None:
        raise PermissionDenied(_("Solo el embajador en funciones de una ciudad registra sus eventos."))
    event = HazardEvent(city=appointment.city, recorded_by=by)
    return _write_event(event, data=data, by=by, created=True)


@transaction.atomic
def event_update(*, event, by, data):
    """Correct what was recorded (the city and who recorded it stay)."""
    event = HazardEvent.objects.select_for_update().get(pk=event.pk)
    if not keeps_city(by, event.city_id):
        raise PermissionDenied(_("Solo el embajador de la ciudad corrige sus eventos."))
    return _write_event(event, data=data, by=by, created=False)


# A hazard response's details (commitments.kinds, hazards.sections) -----------------------


def response_save(*, action, data, events, by, at):
    """The action's phase, hazard and the city's events it answers (others' events are dropped)."""
    response = HazardResponse.objects.filter(action=action).first() or HazardResponse(action=action)
    created = response._state.adding
    fields = [name for name in data if getattr(response, name) != data[name]]
    for name in fields:
        setattr(response, name, data[name])
    wanted = {event.pk for event in events if event.city_id == action.city_id}
    with history_deferred(response):
        if created or fields:
            response.full_clean(exclude=["action", "events"])
            response.save()
        current = set() if created else set(response.events.values_list("pk", flat=True))
        if current != wanted:
            response.events.set(wanted)
    if created or fields or current != wanted:
        history_write(response, created=created, by=by, at=at)
    return response
