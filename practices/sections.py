"""The exchange section of the action's form and page (commitments.kinds' protocol)."""

from commitments.models import Action
from commitments.sections import DetailsSection

from . import services
from .exchange_forms import ExchangeParticipationForm
from .exchange_timeline import exchange_changes
from .models import ExchangeParticipation


class ExchangeSection(DetailsSection):
    kind = Action.Kind.EXCHANGE
    model = ExchangeParticipation
    form_class = ExchangeParticipationForm
    detail_template = "practices/exchange_participation_detail.html"
    related_name = "exchange_participation"
    prefetch = ["exchange_participation__exchange"]
    write = staticmethod(services.exchange_participation_save)

    def timeline_changes(self, action):
        return exchange_changes(action)
