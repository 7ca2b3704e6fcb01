"""The forms of a training's, a participation mechanism's and a policy's details, drawn inside the
action's form (commitments.kinds). Each checks its details against the action's own fields as
they were posted: a group above the people reached, a session outside the action's dates."""

from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from commitments.forms import MOST_PEOPLE, DateInput, KeptRowsFormSet, KindDetailsForm, cap, floor

from . import rules
from .models import ParticipationMechanism, PublicPolicy, Training, TrainingSession

NOT_NEGATIVE = _("No puede ser un número negativo.")
# Sessions of one training: a semester's weekly classes and then some.
MAX_SESSIONS = 60


def _numeric(field, *, largest=MOST_PEOPLE):
    field.widget.attrs["inputmode"] = "numeric"
    floor(field, 0, NOT_NEGATIVE)
    cap(field, largest)


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["held_on", "hours", "topic"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update({"inputmode": "decimal", "step": "0.25", "min": "0.25", "max": "24"})

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and not 0 < hours <= 24:
            raise forms.ValidationError(_("Una sesión dura más de 0 y hasta 24 horas."))
        return hours


class SessionFormSetBase(KeptRowsFormSet):
    def sessions(self):
        """The sessions kept, as dicts of their fields."""
        return [
            {name: form.cleaned_data.get(name) for name in ("held_on", "hours", "topic")} for form in self.kept_forms()
        ]


SessionFormSet = forms.formset_factory(
    SessionForm, formset=SessionFormSetBase, extra=1, can_delete=True, max_num=MAX_SESSIONS, validate_max=True
)


class TrainingForm(KindDetailsForm):
    legend = _("La formación")
    section_template = "kinds/training_form.html"

    class Meta:
        model = Training
        fields = [
            "format",
            "modality",
            "facilitators",
            "public_servants",
            "certificates_issued",
            "satisfaction",
            "score_before",
            "score_after",
        ]
        widgets = {"facilitators": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, data=None, *, instance=None, action_form, city, prefix):
        super().__init__(data, instance=instance, action_form=action_form, city=city, prefix=prefix)
        initial = [
            {"held_on": s.held_on, "hours": s.hours, "topic": s.topic}
            for s in (instance.sessions.all() if instance else [])
        ]
        self.sessions = SessionFormSet(data, initial=initial or None, prefix=f"{prefix}-sessions")
        for name in ("public_servants", "certificates_issued"):
            _numeric(self.fields[name])
        for name, low, high in (("satisfaction", 1, 5), ("score_before", 0, 100), ("score_after", 0, 100)):
            field = self.fields[name]
            field.widget.attrs.update({"inputmode": "decimal", "step": "any", "min": low, "max": high})
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
        self.helper.layout = Layout(
            Div(Div("format", css_class="col-6"), Div("modality", css_class="col-6"), css_class="row"),
            "facilitators",
            Div(
                Div("public_servants", css_class="col-6"),
                Div("certificates_issued", css_class="col-6"),
                css_class="row",
            ),
            Fieldset(
                _("Evaluación"),
                Div(
                    Div("satisfaction", css_class="col-12 col-md-4"),
                    Div("score_before", css_class="col-6 col-md-4"),
                    Div("score_after", css_class="col-6 col-md-4"),
                    css_class="row",
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        counts = {name: cleaned.get(name) for name in ("public_servants", "certificates_issued")}
        for name, message in rules.above_people_reached(self.action_value("people_reached"), counts).items():
            self.add_error(name, message)
        return cleaned

    def is_valid(self):
        sessions_valid = self.sessions.is_valid()
        valid = super().is_valid()
        return self._sessions_within_the_action() and sessions_valid and valid

    def _sessions_within_the_action(self):
        """Each session on a day of the action (rules.session_outside_the_action)."""
        if not self.sessions.is_valid():
            return True  # the formset's own errors show first
        start, end = self.action_value("started_on"), self.action_value("ended_on")
        within = True
        for form in self.sessions.kept_forms():
            message = rules.session_outside_the_action(form.cleaned_data.get("held_on"), started_on=start, ended_on=end)
            if message:
                form.add_error("held_on", message)
                within = False
        return within

    def keep_typed(self):
        super().keep_typed()
        self.sessions._errors, self.sessions._non_form_errors = [], self.sessions.error_class()
        for form in self.sessions.forms:
            form._errors, form.cleaned_data = ErrorDict(), {}

    def has_errors(self):
        return bool(self.errors) or bool(self.sessions.total_error_count())

    def details(self):
        return {"data": self.cleaned_data, "sessions": self.sessions.sessions()}


class ParticipationForm(KindDetailsForm):
    legend = _("El mecanismo de participación")

    class Meta:
        model = ParticipationMechanism
        fields = ["mechanism", *ParticipationMechanism.ACCESSIBILITY, "decisions_changed"]
        widgets = {"decisions_changed": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, data=None, *, instance=None, action_form, city, prefix):
        super().__init__(data, instance=instance, action_form=action_form, city=city, prefix=prefix)
        self.helper.layout = Layout(
            "mechanism",
            Fieldset(_("Medidas de accesibilidad ofrecidas"), *ParticipationMechanism.ACCESSIBILITY),
            "decisions_changed",
        )

    def details(self):
        return {"data": self.cleaned_data}


class PolicyForm(KindDetailsForm):
    legend = _("La política pública")
    official_text_url = forms.URLField(
        label=_("Enlace al texto oficial"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = PublicPolicy
        fields = [
            "instrument",
            "stage",
            "adopted_on",
            "population_covered",
            "official_text_url",
            "disaster_risk_strategy",
        ]
        widgets = {"adopted_on": DateInput()}

    def __init__(self, data=None, *, instance=None, action_form, city, prefix):
        super().__init__(data, instance=instance, action_form=action_form, city=city, prefix=prefix)
        _numeric(self.fields["population_covered"], largest=2_000_000_000)
        self.helper.layout = Layout(
            Div(Div("instrument", css_class="col-6"), Div("stage", css_class="col-6"), css_class="row"),
            Div(
                Div("adopted_on", css_class="col-6"),
                Div("population_covered", css_class="col-6"),
                css_class="row",
            ),
            "official_text_url",
            "disaster_risk_strategy",
        )

    def clean(self):
        cleaned = super().clean()
        for name, message in rules.policy_errors(cleaned, city=self.city).items():
            if name in cleaned:
                self.add_error(name, message)
        return cleaned

    def details(self):
        return {"data": self.cleaned_data}
