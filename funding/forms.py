"""The forms of the pipeline pages: an opportunity, its moves, its disbursements and documents,
and the filters of the scope board. Each hands its cleaned data to funding.services, whose
refusals the view shows at the fields (ErrorsAtFieldsMixin.show_errors)."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ambassadors.models import City, Country
from ambassadors.selectors import network_in_scope
from commitments.evidence import ACCEPTED_TYPES, MAX_EVIDENCE_BYTES
from commitments.forms import DateInput, ModelIdsField, cap, floor
from commitments.models import Action, Currency
from core.forms import ErrorsAtFieldsMixin
from core.validators import validate_single_line, validate_text

from .models import Funder, Milestone, Opportunity, TransitionPlan
from .services import MAX_DOCUMENTS, OPPORTUNITY_FIELDS

CENT = Decimal("0.01")
MONEY_WIDGET = {"step": "0.01", "inputmode": "decimal"}


def _short_date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def money_field(field, message):
    """More than zero, at most what the table keeps exactly; a phone shows its number pad."""
    field.widget.attrs.update(MONEY_WIDGET)
    floor(field, CENT, message)
    cap(field)
    return field


class MilestoneChoiceField(ModelIdsField):
    def label_from_instance(self, milestone):
        return format_lazy(
            "{title} · {horizon} · {due}",
            title=milestone.title,
            horizon=milestone.get_horizon_display(),
            due=_short_date(milestone.due_on),
        )


class ActionChoiceField(ModelIdsField):
    def label_from_instance(self, action):
        return f"{action.title} · {action.get_status_display()} · {_short_date(action.started_on)}"


class FunderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, funder):
        return f"{funder.name} ({funder.get_kind_display()})"


class OpportunityForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """What the city's ambassador writes about an opportunity; its stage moves apart
    (OpportunityMoveForm). Milestones are those of the city's latest plan version; links to
    milestones of earlier versions are kept as they are."""

    class Meta:
        model = Opportunity
        fields = [*OPPORTUNITY_FIELDS, "milestones", "actions"]
        field_classes = {"funder": FunderChoiceField, "milestones": MilestoneChoiceField, "actions": ActionChoiceField}
        widgets = {
            "deadline": DateInput(),
            "identified_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "milestones": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        opportunity = self.instance
        fields = self.fields
        funders = Funder.objects.filter(active=True)
        if opportunity.funder_id:  # kept even if retired from the catalogue since
            funders = Funder.objects.filter(pk=opportunity.funder_id) | funders
        fields["funder"].queryset = funders.order_by("name")
        fields["funder"].empty_label = _("— Otro (escriba su nombre abajo) —")
        fields["funder"].help_text = _("Elija uno de la lista o, si no está, escriba su nombre en «Otro financiador».")
        fields["currency"].choices = Currency.choices
        money_field(fields["amount"], _("El monto debe ser mayor que cero."))
        fields["amount"].help_text = _("En la moneda de la convocatoria; se muestra también en dólares.")
        fields["notes"].max_length = 5000
        fields["notes"].widget.attrs["maxlength"] = 5000
        if opportunity.pk and opportunity.stage in Opportunity.DECIDED:
            for name in ("amount", "currency"):
                fields[name].disabled = True
            fields["amount"].help_text = _("Ya no cambia: la oportunidad fue decidida.")
        self.plan = TransitionPlan.objects.filter(city=city).latest_version()
        milestones = Milestone.objects.filter(plan=self.plan) if self.plan else Milestone.objects.none()
        fields["milestones"].queryset = milestones.order_by("due_on", "pk")
        fields["milestones"].required = False
        fields["milestones"].help_text = _("Hitos de la versión más reciente del plan de transición de su ciudad.")
        fields["actions"].queryset = (
            Action.objects.filter(city=city).select_related("commitment").order_by("-started_on", "-pk")
        )
        fields["actions"].required = False
        # Read once; a list with nothing to choose is left out of the form.
        for name in ("milestones", "actions"):
            fields[name].choices = list(fields[name].choices)
            if not fields[name].choices:
                del fields[name]
        self.kept_milestones = []
        if opportunity.pk:
            latest = self.plan.pk if self.plan else None
            self.kept_milestones = [m for m in opportunity.milestones.all() if m.plan_id != latest]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("Quién financia"), "funder", "funder_name"),
            "title",
            Div(
                Div("amount", css_class="col-12 col-sm-6"),
                Div("currency", css_class="col-12 col-sm-6"),
                css_class="row",
            ),
            Div(
                Div("deadline", css_class="col-12 col-sm-6"),
                Div("identified_on", css_class="col-12 col-sm-6"),
                css_class="row",
            ),
            "notes",
            *(
                [Fieldset(_("Qué financiaría"), *links)]
                if (links := [name for name in ("milestones", "actions") if name in fields])
                else []
            ),
        )

    def details(self):
        """The keyword arguments of services.opportunity_create / opportunity_update."""
        cleaned = self.cleaned_data
        return {
            "data": {name: cleaned[name] for name in OPPORTUNITY_FIELDS},
            "milestones": [*cleaned.get("milestones", ()), *self.kept_milestones],
            "actions": list(cleaned.get("actions", ())),
        }


class OpportunityMoveForm(ErrorsAtFieldsMixin, forms.Form):
    """The next stage (only those the pipeline allows from where it stands), and for a decision
    its day and, when awarded, the amount granted."""

    to_stage = forms.ChoiceField(label=_("Nueva etapa"), widget=forms.RadioSelect)
    amount_awarded = forms.DecimalField(
        label=_("Monto otorgado"), required=False, max_digits=16, decimal_places=2, widget=forms.NumberInput()
    )
    decided_on = forms.DateField(
        label=_("Fecha de la decisión"), required=False, widget=DateInput(), help_text=_("Si la deja vacía, hoy.")
    )
    comment = forms.CharField(
        label=_("Comentario (opcional)"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Queda en el historial de la oportunidad."),
    )

    def __init__(self, *args, opportunity, **kwargs):
        kwargs.setdefault("auto_id", "move_%s")
        super().__init__(*args, initial={"amount_awarded": opportunity.amount}, **kwargs)
        self.opportunity = opportunity
        fields = self.fields
        fields["to_stage"].choices = [(stage, Opportunity.Stage(stage).label) for stage in opportunity.next_stages]
        fields["to_stage"].error_messages["invalid_choice"] = _(
            "Esta oportunidad ya no puede pasar a esa etapa. Recargue la página."
        )
        money_field(fields["amount_awarded"], _("El monto otorgado debe ser mayor que cero."))
        fields["amount_awarded"].help_text = format_lazy(
            _("En {currency}, la moneda de la oportunidad. Solo si pasa a «Otorgada»."), currency=opportunity.currency
        )
        # The decision's fields only where a decision may follow (a submitted opportunity).
        self.asks_decision = any(stage in Opportunity.DECIDED for stage in opportunity.next_stages)
        if not self.asks_decision:
            del fields["amount_awarded"], fields["decided_on"]

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("to_stage")
        awarded = stage == Opportunity.Stage.AWARDED
        if awarded and "amount_awarded" not in self.errors and cleaned.get("amount_awarded") is None:
            self.add_error("amount_awarded", _("Indique el monto otorgado."))
        return cleaned

    def details(self):
        """The keyword arguments of services.opportunity_move."""
        cleaned = self.cleaned_data
        stage = cleaned["to_stage"]
        return {
            "to_stage": stage,
            "comment": cleaned["comment"],
            "amount_awarded": cleaned.get("amount_awarded") if stage == Opportunity.Stage.AWARDED else None,
            "decided_on": cleaned.get("decided_on") if stage in Opportunity.DECIDED else None,
        }


class DisbursementForm(ErrorsAtFieldsMixin, forms.Form):
    amount = forms.DecimalField(label=_("Monto recibido"), max_digits=16, decimal_places=2, widget=forms.NumberInput())
    received_on = forms.DateField(label=_("Recibido el"), widget=DateInput())
    note = forms.CharField(
        label=_("Nota (opcional)"),
        required=False,
        max_length=200,
        validators=[validate_single_line],
        help_text=_("Por ejemplo: «primer tramo»."),
    )

    def __init__(self, *args, opportunity, **kwargs):
        kwargs.setdefault("auto_id", "disbursement_%s")
        super().__init__(*args, initial={"received_on": timezone.localdate()}, **kwargs)
        money_field(self.fields["amount"], _("El monto debe ser mayor que cero."))
        self.fields["amount"].help_text = format_lazy(_("En {currency}."), currency=opportunity.currency)
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def details(self):
        """The keyword arguments of services.disbursement_add."""
        return {name: self.cleaned_data[name] for name in ("amount", "received_on", "note")}


class DocumentForm(ErrorsAtFieldsMixin, forms.Form):
    """A file or a link (one of the two) of an opportunity, or of a plan's diagnosis (`for_plan`):
    services.document_add checks the file as evidence is checked (its type, size and content)."""

    file = forms.FileField(
        label=_("Archivo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_TYPES))}),
        help_text=format_lazy(
            _("PDF, imágenes o documentos de oficina; hasta {size}. Hasta {count} documentos por oportunidad."),
            size=lazy(filesizeformat, str)(MAX_EVIDENCE_BYTES),
            count=MAX_DOCUMENTS,
        ),
    )
    url = forms.URLField(
        label=_("o un enlace"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Por ejemplo, las bases de la convocatoria en el sitio del financiador."),
    )
    title = forms.CharField(
        label=_("Descripción (opcional)"), required=False, max_length=200, validators=[validate_single_line]
    )

    def __init__(self, *args, for_plan=False, **kwargs):
        kwargs.setdefault("auto_id", "document_%s")
        super().__init__(*args, **kwargs)
        if for_plan:
            self.fields["file"].help_text = _("PDF, imágenes o documentos de oficina.")
            self.fields["url"].help_text = _("Si el documento está publicado en línea.")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("Suba un archivo o pegue un enlace (uno de los dos)."))
        return cleaned

    def details(self):
        cleaned = self.cleaned_data
        return {"uploaded_file": cleaned["file"] or None, "url": cleaned["url"], "title": cleaned["title"]}


class ScopeFilterForm(forms.Form):
    """The scope board's filters, from the query string: the choices are the user's scope, so a
    foreign id is refused like any invalid choice (and the whole scope is shown)."""

    country = forms.ModelChoiceField(
        label=_("País"), queryset=Country.objects.none(), required=False, empty_label=_("Todos")
    )
    city = forms.ModelChoiceField(
        label=_("Ciudad"), queryset=City.objects.none(), required=False, empty_label=_("Todas")
    )

    def __init__(self, data, *, user):
        super().__init__(data, auto_id="filter_%s")
        self.scope_cities, scope_countries = network_in_scope(user)
        self.fields["city"].queryset = self.scope_cities.order_by("name")
        self.fields["country"].queryset = scope_countries

    @property
    def chosen_cities(self):
        cities = self.scope_cities
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("country"):
            cities = cities.filter(country=data["country"])
        if data.get("city"):
            cities = cities.filter(pk=data["city"].pk)
        return cities
