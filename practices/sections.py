"""The exchange section of the action's form and page (commitments.kinds' protocol)."""

from django.utils.translation import gettext as _

from commitments.models import Action

from . import services
from .exchange_forms import ExchangeParticipationForm
from .exchange_timeline import exchange_changes
from .models import ExchangeParticipation


class ExchangeSection:
    kind = Action.Kind.EXCHANGE
    detail_template = "practices/exchange_participation_detail.html"
    prefetch = ["exchange_participation__exchange"]

    def details_of(self, action):
        return getattr(action, "exchange_participation", None)

    def form(self, data, *, action, city, action_form):
        instance = self.details_of(action) if action is not None else None
        return ExchangeParticipationForm(data, instance=instance, action_form=action_form, city=city, prefix=self.kind)

    def save(self, *, action, form, by, at):
        services.exchange_participation_save(action=action, by=by, at=at, **form.details())

    def discard(self, *, action, by, at):
        services.exchange_participation_discard(action=action, by=by, at=at)

    def submission_errors(self, action):
        if ExchangeParticipation.objects.filter(action=action).exists():
            return {}
        return {None: [_("Complete los datos de «%(kind)s».") % {"kind": Action.Kind(self.kind).label}]}

    def timeline_changes(self, action):
        return exchange_changes(action)
