"""The rules a training's and a policy's details keep against their action and city. The forms
show what these say at their fields; the services refuse the same (an import or the API writes
through them without a form)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import PublicPolicy


def _day(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _number(value):
    return formats.number_format(value, force_grouping=True)


def above_people_reached(people_reached, values):
    """{field: message} for each count above the people the action reached (none when the total
    is not known)."""
    if people_reached is None:
        return {}
    message = _("No puede ser más que las personas alcanzadas por la acción (%(total)s).") % {
        "total": _number(people_reached)
    }
    return {name: message for name, value in values.items() if value is not None and value > people_reached}


def session_outside_the_action(day, *, started_on, ended_on):
    """Why a session on `day` does not fit its action (from its start to its end, or to today when
    it has no end yet), or None."""
    if started_on is None or day is None:
        return None
    if ended_on is not None:
        if started_on <= day <= ended_on:
            return None
        return _("La sesión debe caer entre el inicio y el fin de la acción (del %(start)s al %(end)s).") % {
            "start": _day(started_on),
            "end": _day(ended_on),
        }
    if started_on <= day <= timezone.localdate():
        return None
    return _("La sesión no puede ser anterior al inicio de la acción (%(start)s) ni estar en el futuro.") % {
        "start": _day(started_on)
    }


def training_errors(action, *, counts, days):
    """{field: message} for a training's counts ({public_servants, certificates_issued}) and its
    sessions' days against `action` as it is: "sessions" holds the first session that does not fit."""
    errors = above_people_reached(action.people_reached, counts)
    outside = [session_outside_the_action(day, started_on=action.started_on, ended_on=action.ended_on) for day in days]
    if any(outside):
        errors["sessions"] = next(message for message in outside if message)
    return errors


def policy_errors(data, *, city):
    """{field: message} for a policy's details that contradict each other or the city."""
    errors = {}
    adopted_on, stage = data.get("adopted_on"), data.get("stage")
    if adopted_on and adopted_on > timezone.localdate():
        errors["adopted_on"] = _("La fecha de adopción no puede estar en el futuro.")
    elif stage in PublicPolicy.ADOPTED_STAGES and not adopted_on:
        errors["adopted_on"] = _("Indique la fecha de adopción de una política adoptada.")
    elif stage and stage not in PublicPolicy.ADOPTED_STAGES and adopted_on:
        errors["adopted_on"] = _("Una política en elaboración o en consulta todavía no tiene fecha de adopción.")
    population = data.get("population_covered")
    if population and city.population and population > city.population:
        errors["population_covered"] = _("Es más que la población de %(city)s (%(population)s).") % {
            "city": city.name,
            "population": _number(city.population),
        }
    return errors
