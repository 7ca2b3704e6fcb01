"""What the action's timeline tells of an exchange action's details: the exchange and the city's
role in it (the section's `timeline_changes`, commitments.kinds), in one query."""

from django.utils.translation import gettext_lazy

from commitments.models import Action
from commitments.timeline import details_changes

from .models import ExchangeParticipation

NAMES = {
    "exchange": gettext_lazy("el intercambio"),
    "role": gettext_lazy("el papel de la ciudad"),
}


def exchange_changes(action):
    rows = ExchangeParticipation.history.filter(action_id=action.pk).select_related("history_user", "exchange")
    return details_changes(rows.order_by("history_date", "history_id"), kind=Action.Kind.EXCHANGE, names=NAMES)
