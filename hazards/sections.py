"""The hazard-response section of the action's form and page (commitments.kinds' protocol)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from commitments.models import Action

from . import services
from .forms import HazardResponseForm
from .models import HazardEvent, HazardResponse
from .timeline import response_changes


class HazardResponseSection:
    kind = Action.Kind.HAZARD_RESPONSE
    detail_template = "hazards/response_detail.html"
    prefetch = [Prefetch("hazard_response__events", queryset=HazardEvent.objects.order_by("-started_on", "-pk"))]

    def details_of(self, action):
        return getattr(action, "hazard_response", None)

    def form(self, data, *, action, city, action_form):
        instance = self.details_of(action) if action is not None else None
        return HazardResponseForm(data, instance=instance, action_form=action_form, city=city, prefix=self.kind)

    def save(self, *, action, form, by, at):
        services.response_save(action=action, by=by, at=at, **form.details())

    def discard(self, *, action, by, at):
        services.response_discard(action=action, by=by, at=at)

    def submission_errors(self, action):
        if HazardResponse.objects.filter(action=action).exists():
            return {}
        return {None: [_("Complete los datos de «%(kind)s».") % {"kind": Action.Kind(self.kind).label}]}

    def timeline_changes(self, action):
        return response_changes(action)
