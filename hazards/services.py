"""Every write of the hazard log and of a hazard response's details."""

from core.history import history_deferred, history_stamp, history_write

from .models import HazardResponse


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


def response_discard(*, action, by, at):
    for response in HazardResponse.objects.filter(action=action):
        history_stamp(response, by=by, at=at).delete()
