"""What an ended appointment leaves unfinished: its drafts and returned actions, which the city's
ambassador in office takes over (terms lists them for the successor), or discards if drafts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador
from ambassadors.scope import reviews_city
from core.history import history_record_update

from .models import Action
from .services import _delete_draft, _hand_on, _require, keeps_city


def can_take_over_action(user, action):
    """An unfinished action of an ended appointment (Action.objects.left_behind) may be taken over,
    or discarded if a draft, by the city's ambassador in office, or by whoever reviews the city
    (its country's coordinators, admins)."""
    if action.status not in (Action.Status.DRAFT, Action.Status.RETURNED):
        return False
    if action.ambassador.status != Ambassador.Status.ENDED:
        return False
    return keeps_city(user, action.city_id) or reviews_city(user, action.city_id)


@transaction.atomic
def action_take_over(*, action, by):
    """Give an unfinished action of an ended appointment to the city's ambassador in office, who
    then edits and sends it as their own; it keeps its status, evidence and history."""
    action = Action.objects.select_for_update().select_related("ambassador").get(pk=action.pk)
    _require(can_take_over_action(by, action), _("Esta acción no puede pasar a otra persona."))
    successor = Ambassador.objects.filter(city_id=action.city_id, status=Ambassador.Status.ACTIVE).first()
    if successor is None:
        raise ValidationError(_("La ciudad no tiene un embajador en funciones que pueda continuarla."))
    # Conditional: a second tap, or someone else a moment before, finds nothing left to move.
    if not _hand_on(action, to=successor):
        raise ValidationError(_("La acción ya no está en un estado que permita este cambio. Recargue la página."))
    history_record_update(action, by=by)
    return action


@transaction.atomic
def action_discard_left_behind(*, action, by):
    """Delete a draft its ended appointment left (can_take_over_action), with its evidence files."""
    # Locked and read again, as action_take_over does: a take-over a moment before moved the
    # draft to the successor, whose draft it now is (and stays).
    action = Action.objects.select_for_update().select_related("ambassador").get(pk=action.pk)
    _require(
        action.status == Action.Status.DRAFT and can_take_over_action(by, action),
        _("Solo se puede descartar un borrador de un nombramiento terminado."),
    )
    _delete_draft(action, by=by, left_by=action.ambassador_id)
