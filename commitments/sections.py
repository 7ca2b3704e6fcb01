"""The base of a kind's section (the protocol is commitments.kinds'): what every section of a
one-to-one details model does the same way. An app's section names its model, form, page
template, reverse accessor and the service that writes its details (`write`, called with the
action, `by`, `at` and the form's details())."""

from django.utils.translation import gettext as _

from . import services
from .models import Action


class DetailsSection:
    kind = None
    model = None
    form_class = None
    detail_template = None
    related_name = None
    write = None

    @property
    def prefetch(self):
        return [self.related_name]

    def details_of(self, action):
        return getattr(action, self.related_name, None)

    def form(self, data, *, action, city, action_form):
        instance = self.details_of(action) if action is not None else None
        return self.form_class(data, instance=instance, action_form=action_form, city=city, prefix=self.kind)

    def save(self, *, action, form, by, at):
        self.write(action=action, by=by, at=at, **form.details())

    def discard(self, *, action, by, at):
        services.details_discard(self.model, action=action, by=by, at=at)

    def submission_errors(self, action):
        """What a submission needs beyond the form's own required fields: the details saved."""
        if self.model.objects.filter(action=action).exists():
            return {}
        return {None: [_("Complete los datos de «%(kind)s».") % {"kind": Action.Kind(self.kind).label}]}
