"""The hazard-response section of the action's form and page (commitments.kinds' protocol)."""

from django.db.models import Prefetch

from commitments.models import Action
from commitments.sections import DetailsSection

from . import services
from .forms import HazardResponseForm
from .models import HazardEvent, HazardResponse
from .timeline import response_changes


class HazardResponseSection(DetailsSection):
    kind = Action.Kind.HAZARD_RESPONSE
    model = HazardResponse
    form_class = HazardResponseForm
    detail_template = "hazards/response_detail.html"
    related_name = "hazard_response"
    prefetch = [Prefetch("hazard_response__events", queryset=HazardEvent.objects.order_by("-started_on", "-pk"))]
    write = staticmethod(services.response_save)

    def timeline_changes(self, action):
        return response_changes(action)
