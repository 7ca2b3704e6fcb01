"""What the action's timeline tells of a hazard response: its phase, its hazard and the events it
answers (the section's `timeline_changes`, commitments.kinds), in two queries."""

from django.utils.translation import gettext_lazy

from commitments.models import Action
from commitments.timeline import details_changes, related_names

from .models import HazardResponse

NAMES = {
    "phase": gettext_lazy("la fase"),
    "hazard": gettext_lazy("la amenaza"),
}
EVENT_TEXTS = gettext_lazy("añadió el evento «%(name)s»"), gettext_lazy("quitó el evento «%(name)s»")


def response_changes(action):
    rows = HazardResponse.history.filter(action_id=action.pk).select_related("history_user")
    events = related_names(HazardResponse, "events", "hazardevent", hazardresponse_id=action.pk)
    return details_changes(
        rows.order_by("history_date", "history_id"),
        kind=Action.Kind.HAZARD_RESPONSE,
        names=NAMES,
        related=(events, *EVENT_TEXTS),
    )
