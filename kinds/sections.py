"""The sections this app adds to the action's form and page, one per kind it owns (the
protocol is commitments.kinds')."""

from django.utils.translation import gettext as _

from commitments.models import Action

from . import forms, rules, services
from .models import ParticipationMechanism, PublicPolicy, Training
from .timeline import participation_changes, policy_changes, training_changes


class Section:
    kind = None
    model = None
    form_class = None
    detail_template = None
    related_name = None

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


class TrainingSection(Section):
    kind = Action.Kind.TRAINING
    model = Training
    form_class = forms.TrainingForm
    detail_template = "kinds/training_detail.html"
    related_name = "training"
    write = staticmethod(services.training_save)

    def timeline_changes(self, action):
        return training_changes(action)

    @property
    def prefetch(self):
        return ["training__sessions"]

    def submission_errors(self, action):
        """The details saved, at least one session, and kinds.rules held against the action as it
        is now (its dates or people may have changed since the details were saved)."""
        errors = super().submission_errors(action)
        if errors:
            return errors
        training = Training.objects.get(action=action)
        sessions = list(training.sessions.all())
        if not sessions:
            errors[None] = [_("Añada al menos una sesión de la formación, con su fecha y sus horas.")]
        counts = {name: getattr(training, name) for name in ("public_servants", "certificates_issued")}
        errors.update(
            {name: [message] for name, message in rules.above_people_reached(action.people_reached, counts).items()}
        )
        outside = [
            rules.session_outside_the_action(session.held_on, started_on=action.started_on, ended_on=action.ended_on)
            for session in sessions
        ]
        if any(outside):
            errors.setdefault(None, []).append(next(message for message in outside if message))
        return errors


class ParticipationSection(Section):
    kind = Action.Kind.PARTICIPATION
    model = ParticipationMechanism
    form_class = forms.ParticipationForm
    detail_template = "kinds/participation_detail.html"
    related_name = "participation"
    write = staticmethod(services.participation_save)

    def timeline_changes(self, action):
        return participation_changes(action)


class PolicySection(Section):
    kind = Action.Kind.POLICY
    model = PublicPolicy
    form_class = forms.PolicyForm
    detail_template = "kinds/policy_detail.html"
    related_name = "policy"
    write = staticmethod(services.policy_save)

    def submission_errors(self, action):
        errors = super().submission_errors(action)
        if errors:
            return errors
        policy = PublicPolicy.objects.select_related("action__city").get(action=action)
        data = {name: getattr(policy, name) for name in ("adopted_on", "stage", "population_covered")}
        return {name: [message] for name, message in rules.policy_errors(data, city=policy.action.city).items()}

    def timeline_changes(self, action):
        return policy_changes(action)


SECTIONS = [TrainingSection(), ParticipationSection(), PolicySection()]
