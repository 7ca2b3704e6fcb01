"""The forms of the hazard log: an event as its city's ambassador records it, the list's filters,
and the hazard-response details drawn inside the action's form (commitments.kinds)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import City
from ambassadors.selectors import network_in_scope
from commitments.forms import MOST_PEOPLE, DateInput, KindDetailsForm, ModelIdsField, cap, floor
from commitments.models import Currency
from core.forms import ErrorsAtFieldsMixin

from . import services
from .models import HazardEvent, HazardResponse

# The currency an event's loss is most likely counted in, by the city's country (ISO 3166 to
# ISO 4217); the dollar elsewhere (Ecuador, El Salvador, Puerto Rico use it).
LOCAL_CURRENCY = {
    "AR": "ARS", "BO": "BOB", "BR": "BRL", "CL": "CLP", "CO": "COP", "CR": "CRC", "CU": "CUP", "DO": "DOP",
    "GT": "GTQ", "HN": "HNL", "HT": "HTG", "JM": "JMD", "MX": "MXN", "NI": "NIO", "PA": "PAB", "PE": "PEN",
    "PY": "PYG", "TT": "TTD", "UY": "UYU", "VE": "VES", "AG": "XCD", "DM": "XCD", "GD": "XCD", "KN": "XCD",
    "LC": "XCD", "VC": "XCD",
}  # fmt: skip
COUNTS = ("people_affected", "deaths", "missing")


def local_currency(city):
    return LOCAL_CURRENCY.get(city.country_id, Currency.USD)


class EventForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """What the city's ambassador records about an event. Every figure is optional (what is not
    known yet is left empty, never guessed as zero); what contradicts the rest is refused at
    its field, with what was typed kept."""

    class Meta:
        model = HazardEvent
        fields = HazardEvent.AUTHOR_FIELDS
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        today = timezone.localdate().isoformat()
        for name in ("started_on", "ended_on"):
            fields[name].widget.attrs["max"] = today
        fields["ended_on"].help_text = _("Déjela vacía si el evento sigue.")
        for name in COUNTS:
            fields[name].widget.attrs["inputmode"] = "numeric"
            floor(fields[name], 0, _("No puede ser un número negativo."))
            cap(fields[name], MOST_PEOPLE)
        fields["people_affected"].help_text = _(
            "Heridas, enfermas, evacuadas, sin vivienda o sin sustento por el evento (meta B de Sendai). "
            "Las fallecidas y desaparecidas se cuentan aparte."
        )
        fields["deaths"].help_text = fields["missing"].help_text = _("Si no hubo, escriba 0.")
        loss = fields["economic_loss"]
        loss.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        floor(loss, 0, _("No puede ser un número negativo."))
        cap(loss)
        loss.help_text = _("Daños a viviendas, infraestructura, cultivos y servicios (meta C de Sendai).")
        fields["currency"].required = False  # checked with the loss in clean()
        if not self.instance.pk and not self.is_bound:
            fields["currency"].initial = local_currency(city)
        fields["description"].max_length = 5000
        fields["description"].widget.attrs["maxlength"] = 5000
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("El evento"),
                "hazard",
                "title",
                Div(
                    Div("started_on", css_class="col-12 col-sm-6"),
                    Div("ended_on", css_class="col-12 col-sm-6"),
                    css_class="row",
                ),
                "area",
            ),
            Fieldset(
                _("Personas"),
                "people_affected",
                Div(Div("deaths", css_class="col-6"), Div("missing", css_class="col-6"), css_class="row"),
            ),
            Fieldset(
                _("Pérdida económica"),
                Div(
                    Div("economic_loss", css_class="col-12 col-sm-7"),
                    Div("currency", css_class="col-12 col-sm-5"),
                    css_class="row",
                ),
            ),
            "description",
        )

    def clean(self):
        cleaned = super().clean()
        dates = services.date_errors(started_on=cleaned.get("started_on"), ended_on=cleaned.get("ended_on"))
        for name, messages in dates.items():
            if name not in self.errors:
                self.add_error(name, messages)
        if cleaned.get("economic_loss") is not None and not cleaned.get("currency") and "currency" not in self.errors:
            self.add_error("currency", _("Indique la moneda de la pérdida."))
        elif not cleaned.get("currency"):
            cleaned["currency"] = self.instance.currency or Currency.USD
        return cleaned

    def details(self):
        """The keyword arguments of services.event_create / event_update."""
        return {"data": {name: self.cleaned_data[name] for name in HazardEvent.AUTHOR_FIELDS}}


class EventFilterForm(forms.Form):
    """The list's filters, from the query string. The cities are those of the user's scope, so a
    foreign id is refused like any invalid choice (and the whole scope is shown)."""

    city = forms.ModelChoiceField(
        label=_("Ciudad"), queryset=City.objects.none(), required=False, empty_label=_("Todas")
    )
    hazard = forms.ChoiceField(label=_("Tipo de evento"), required=False)

    def __init__(self, data, *, user, many_cities):
        super().__init__(data, auto_id="filter_%s")
        self.fields["hazard"].choices = [("", _("Todos")), *HazardEvent.Hazard.choices]
        if many_cities:
            self.fields["city"].queryset = network_in_scope(user)[0].order_by("name")
        else:
            del self.fields["city"]

    @property
    def chosen(self):
        """{field: value} of the filters chosen and valid (an invalid one is left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data then holds the valid fields only
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def narrowed(self):
        return bool(self.chosen)


class EventChoiceField(ModelIdsField):
    def label_from_instance(self, event):
        started = formats.date_format(event.started_on, "SHORT_DATE_FORMAT")
        return f"{event.title} · {event.get_hazard_display()} · {started}"


class HazardResponseForm(KindDetailsForm):
    legend = _("La preparación o respuesta")
    section_template = "hazards/response_form.html"

    class Meta:
        model = HazardResponse
        fields = ["phase", "hazard", "events"]
        field_classes = {"events": EventChoiceField}
        widgets = {"events": forms.CheckboxSelectMultiple}

    def __init__(self, data=None, *, instance=None, action_form, city, prefix):
        super().__init__(data, instance=instance, action_form=action_form, city=city, prefix=prefix)
        # The city's own events, newest first: those it prepares for or responds to.
        self.fields["events"].queryset = HazardEvent.objects.filter(city=city).order_by("-started_on", "-pk")
        self.fields["events"].help_text = _("Los eventos de su ciudad a los que responde o para los que prepara.")
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
