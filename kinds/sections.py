"""The sections this app adds to the action's form and page, one per kind it owns (the
protocol is commitments.kinds')."""

from django.utils.translation import gettext as _

from commitments.models import Action
from commitments.sections import DetailsSection

from . import forms, rules, services
from .models import ParticipationMechanism, PublicPolicy, Training
from .timeline import participation_changes, policy_changes, training_changes


class TrainingSection(DetailsSection):
    kind = Action.Kind.TRAINING
    model = Training
    form_class = forms.TrainingForm
    detail_template = "kinds/training_detail.html"
    related_name = "training"
    write = staticmethod(services.training_save)

    def timeline_changes(self, action):
        return training_changes(action)

    def discard(self, *, action, by, at):
        services.sessions_discard(action=action, by=by, at=at)
        super().discard(action=action, by=by, at=at)

    @property
    def prefetch(self):
        return ["training__sessions"]

    def submission_errors(self, action):
        """The details saved, at least one session, and kinds.rules held against the action as it
        is now (its dates or people may have changed since the details were saved)."""
        training = Training.objects.filter(action=action).first()
        if training is None:
            return super().submission_errors(action)
        errors = {}
        sessions = list(training.sessions.all())
        if not sessions:
            errors[None] = [_("Añada al menos una sesión de la formación, con su fecha y sus horas.")]
        counts = {name: getattr(training, name) for name in ("public_servants", "certificates_issued")}
        found = rules.training_errors(action, counts=counts, days=[session.held_on for session in sessions])
        if "sessions" in found:  # no field of the form: said above it
            errors.setdefault(None, []).append(found.pop("sessions"))
        errors.update({name: [message] for name, message in found.items()})
        return errors


class ParticipationSection(DetailsSection):
    kind = Action.Kind.PARTICIPATION
    model = ParticipationMechanism
    form_class = forms.ParticipationForm
    detail_template = "kinds/participation_detail.html"
    related_name = "participation"
    write = staticmethod(services.participation_save)

    def timeline_changes(self, action):
        return participation_changes(action)


class PolicySection(DetailsSection):
    kind = Action.Kind.POLICY
    model = PublicPolicy
    form_class = forms.PolicyForm
    detail_template = "kinds/policy_detail.html"
    related_name = "policy"
    write = staticmethod(services.policy_save)

    def submission_errors(self, action):
        policy = PublicPolicy.objects.select_related("action__city").filter(action=action).first()
        if policy is None:
            return super().submission_errors(action)
        data = {name: getattr(policy, name) for name in ("adopted_on", "stage", "population_covered")}
        return {name: [message] for name, message in rules.policy_errors(data, city=policy.action.city).items()}

    def timeline_changes(self, action):
        return policy_changes(action)


SECTIONS = [TrainingSection(), ParticipationSection(), PolicySection()]
