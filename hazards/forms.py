"""The hazard-response details drawn inside the action's form (commitments.kinds)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.forms import KindDetailsForm, ModelIdsField

from .models import HazardEvent, HazardResponse


class HazardResponseForm(KindDetailsForm):
    legend = _("La preparación o respuesta")

    class Meta:
        model = HazardResponse
        fields = ["phase", "hazard", "events"]
        field_classes = {"events": ModelIdsField}
        widgets = {"events": forms.CheckboxSelectMultiple}

    def __init__(self, data=None, *, instance=None, action_form, city, prefix):
        super().__init__(data, instance=instance, action_form=action_form, city=city, prefix=prefix)
        # The city's own events, newest first: those it prepares for or responds to.
        self.fields["events"].queryset = HazardEvent.objects.filter(city=city).order_by("-started_on", "-pk")
        self.fields["events"].help_text = _("Los eventos de su ciudad a los que responde o para los que prepara.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("phase", "hazard", "events")

    def clean(self):
        cleaned = super().clean()
        phase, events = cleaned.get("phase"), cleaned.get("events") or []
        started_on = self.action_value("started_on")
        if phase in (HazardResponse.Phase.RESPOND, HazardResponse.Phase.RECOVER) and started_on:
            later = [event for event in events if event.started_on > started_on]
            if later:
                self.add_error(
                    "events",
                    _("Una respuesta no puede empezar antes del evento: «%(event)s» empezó después de la acción.")
                    % {"event": later[0].title},
                )
        return cleaned

    def details(self):
        return {
            "data": {name: self.cleaned_data[name] for name in ("phase", "hazard")},
            "events": list(self.cleaned_data["events"]),
        }
