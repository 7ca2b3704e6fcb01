import datetime
from decimal import Decimal
from html import escape

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import ErrorDict
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ambassadors.models import Ambassador, City
from core.forms import ErrorsAtFieldsMixin
from core.text import folded
from core.validators import validate_single_line, validate_text

from . import kinds
from .evidence import ACCEPTED_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES
from .models import PEOPLE_GROUPS, Action, Commitment, Horizon, Indicator, Target

# SQLite, the default database, keeps decimals as floats, exact to 15 significant digits: a
# larger value (the columns take 16) would come back rounded, or not at all (InvalidOperation
# on every page that reads it) once rounding needs a 17th digit.
LARGEST_AMOUNT = Decimal("9999999999999.99")


# People reached by one action, far above any city: the breakdown's three parts then add up
# below the 32-bit integers PostgreSQL computes the table's checks in (an overflow there is an
# error, not a refusal).
MOST_PEOPLE = 100_000_000


def cap(field, largest=LARGEST_AMOUNT):
    field.max_value = largest
    field.validators.append(MaxValueValidator(largest))


def floor(field, smallest, message):
    """What the table's check refuses, refused at the field: its error is shown there."""
    field.widget.attrs.setdefault("min", smallest)
    field.validators.append(MinValueValidator(smallest, message=message))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CityChoices(forms.SelectMultiple):
    """Cities as checkboxes folded by country, a country open when one of its cities is chosen:
    a network of hundreds of cities stays a short list on a phone. The template draws the
    countries; each city's checkbox is a string join (_input), neither a template per option
    (a thousand cities cost 80 ms that way) nor a template loop over them (still 90 ms)."""

    template_name = "commitments/widgets/city_choices.html"
    use_fieldset = True

    def id_for_label(self, id_, index=None):
        """The group is named by a legend, which takes no `for` (as Django's RadioSelect)."""
        return "" if index is None else super().id_for_label(id_, index)

    def get_context(self, name, value, attrs):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs.setdefault("id", f"id_{name}")  # a form with auto_id=False gives none
        chosen = {str(pk) for pk in value or ()}
        by_country = {}
        # The field's cities as plain rows, not model instances: a thousand build in a tenth of the time.
        rows = self.choices.queryset.values_list("pk", "name", "country_id")
        for index, (pk, city_name, country) in enumerate(rows):
            by_country.setdefault(country, []).append((str(pk), city_name, index))
        start = (
            f'\n<div class="form-check"><input class="form-check-input" type="checkbox" name="{escape(name)}" value="'
        )
        id_prefix = escape(f"{attrs['id']}_")
        groups = [
            {
                "name": countries.name(code),
                "count": len(cities),
                "chosen": sum(value in chosen for value, _name, _index in cities),
                "inputs": mark_safe(  # noqa: S308 (each part escaped in _input)
                    "".join(self._input(start, id_prefix, *city, chosen) for city in cities)
                ),
            }
            for code, cities in by_country.items()
        ]
        groups.sort(key=lambda group: folded(group["name"]))  # in the reader's language
        invalid = "is-invalid" in attrs.get("class", "")
        return {"widget": {"name": name, "id": attrs["id"], "invalid": invalid}, "countries": groups}

    @staticmethod
    def _input(start, id_prefix, value, label, index, chosen):
        """One city's checkbox; `start` and `id_prefix` are escaped, and so is the rest here
        (html.escape, which Django's escape calls, without its lazy-string wrapper: a thousand
        cities call it thousands of times)."""
        id_ = f"{id_prefix}{index}"
        return (
            f'{start}{escape(value)}" id="{id_}"{" checked" if value in chosen else ""}>'
            f'<label class="form-check-label" for="{id_}">{escape(label)}</label></div>'
        )

    def render(self, name, value, attrs=None, renderer=None):
        return render_to_string(self.template_name, self.get_context(name, self.format_value(value), attrs))


class ModelIdsField(forms.ModelMultipleChoiceField):
    """An id beyond the database's integer range is an invalid choice, not a crash: Django
    guards single-value lookups against it, but not the `pk__in` query this field runs, which
    SQLite cannot bind (OverflowError)."""

    def clean(self, value):
        low, high = connection.ops.integer_field_range(self.queryset.model._meta.pk.get_internal_type())
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                out_of_range = not low <= int(pk) <= high
            except (TypeError, ValueError):
                continue  # not a number: the field's own check says so
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super().clean(value)


class ActionForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """The action's own fields. Only the title is required: a draft can be saved at any point;
    what a submission needs is checked on submit (services.action_submission_errors)."""

    commitment = forms.ModelChoiceField(
        label=_("Compromiso"),
        queryset=Commitment.objects.active().with_axis(),
        help_text=_("Si cambia el compromiso, se quitan las áreas e indicadores del anterior."),
    )
    confirm_kind_change = forms.BooleanField(
        label=_("Quitar esos datos"),
        required=False,
        help_text=_("Se quitan al guardar. El historial de la acción los conserva."),
    )

    class Meta:
        model = Action
        fields = ["commitment", *Action.AUTHOR_FIELDS, "focus_areas", "cities_involved"]
        field_classes = {"focus_areas": ModelIdsField, "cities_involved": ModelIdsField}
        widgets = {
            "focus_areas": forms.CheckboxSelectMultiple,
            "cities_involved": CityChoices,
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "kind": forms.RadioSelect(attrs={"data-kind-choice": ""}),
        }

    def __init__(self, *args, commitment, city, include_commitment, keeps_details=False, **kwargs):
        """`keeps_details`: the action has saved details of its kind (commitments.kinds), which a
        change of kind would remove: the change then needs confirm_kind_change."""
        super().__init__(*args, **kwargs)
        self.keeps_details = keeps_details
        self.fields["focus_areas"].queryset = commitment.focus_areas.filter(active=True)
        if not self.fields["focus_areas"].queryset.exists():
            del self.fields["focus_areas"]
        # Ties between the cities of the network (commitment 1.1): other cities with an ambassador.
        self.fields["cities_involved"].queryset = (
            City.objects.filter(Exists(Ambassador.objects.current().filter(city=OuterRef("pk"))))
            .exclude(pk=city.pk)
            .order_by("country", "name", "pk")
        )
        self._offer_kinds(commitment)
        for name in ("people_reached", *PEOPLE_GROUPS):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
            floor(self.fields[name], 0, _("No puede ser un número negativo."))
            cap(self.fields[name], MOST_PEOPLE)
        self.fields["people_reached"].help_text = _(
            "En una formación o un mecanismo de participación, las personas que participaron. Los grupos son "
            "opcionales y ninguno puede superar el total."
        )
        if include_commitment:
            self.fields["commitment"].initial = commitment.pk
        else:
            del self.fields["commitment"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(["commitment"] if include_commitment else []),
            *(["kind"] if "kind" in self.fields else []),
            "title",
            *(["focus_areas"] if "focus_areas" in self.fields else []),
            Div(Div("started_on", css_class="col-6"), Div("ended_on", css_class="col-6"), css_class="row"),
            "description",
            "outcome",
            Fieldset(
                _("Personas alcanzadas"),
                "people_reached",
                Div(
                    Div("women_reached", css_class="col-6 col-md-3"),
                    Div("men_reached", css_class="col-6 col-md-3"),
                    Div("other_reached", css_class="col-6 col-md-3"),
                    Div("youth_reached", css_class="col-6 col-md-3"),
                    css_class="row",
                ),
                Div(
                    Div("disability_reached", css_class="col-6 col-md-4"),
                    Div("indigenous_reached", css_class="col-6 col-md-4"),
                    Div("afro_reached", css_class="col-6 col-md-4"),
                    css_class="row",
                ),
            ),
            "partners",
            "cities_involved",
            "good_practice",
        )

    def _offer_kinds(self, commitment):
        """The kinds the commitment offers (and the action's own); no choice when that is only
        the general one."""
        offered = kinds.kinds_for(commitment, self.instance.kind if self.instance.pk else None)
        if len(offered) > 1:
            self.fields["kind"].choices = [(kind.value, kind.label) for kind in offered]
            self.fields["kind"].help_text = _("Cada tipo añade sus propios datos más abajo.")
            self.fields["kind"].required = False  # none chosen: the action keeps its kind
        else:
            del self.fields["kind"]

    def clean_kind(self):
        return self.cleaned_data["kind"] or self.instance.kind or Action.Kind.GENERAL

    def clean(self):
        cleaned = super().clean()
        self._confirm_details_removed(cleaned)
        return cleaned

    def _confirm_details_removed(self, cleaned):
        """Saved details go when the kind changes, or the commitment changes to one that does not
        offer the kind: only once the person confirms (ModelForm sets the instance after clean)."""
        if not self.keeps_details or cleaned.get("confirm_kind_change"):
            return
        old = self.instance.kind
        commitment = cleaned.get("commitment") or self.instance.commitment
        if cleaned.get("kind", old) != old:
            field = "kind"
        elif commitment.pk != self.instance.commitment_id and old not in commitment.offered_kinds:
            field = "commitment"
        else:
            return
        messages = {
            "kind": _(
                "Al cambiar el tipo de acción se quitarán los datos de «%(kind)s» ya guardados. Si es lo que "
                "quiere, marque «Quitar esos datos» y guarde de nuevo."
            ),
            "commitment": _(
                "El nuevo compromiso no ofrece «%(kind)s»: se quitarán los datos ya guardados. Si es lo que "
                "quiere, marque «Quitar esos datos» y guarde de nuevo."
            ),
        }
        self.add_error(field, messages[field] % {"kind": Action.Kind(old).label})
        self.helper.layout.fields.insert(self.helper.layout.fields.index(field) + 1, "confirm_kind_change")


class KindDetailsForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """The base of a kind's details form (commitments.kinds): `action_form` is the action's own
    form, validated before this one, so the details are checked against the action as posted."""

    section_template = "kinds/section_form.html"
    legend = ""

    def __init__(self, data=None, *, instance=None, action_form, city, prefix):
        super().__init__(data, instance=instance, prefix=prefix)
        self.action_form = action_form
        self.city = city
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def action_value(self, name):
        """A field of the action as posted (and valid), or as saved when the form did not post it."""
        cleaned = getattr(self.action_form, "cleaned_data", {})
        if name in cleaned:
            return cleaned[name]
        return getattr(self.action_form.instance, name, None)

    def keep_typed(self):
        """Show what was typed without checking it: the section of a kind not chosen."""
        self._errors, self.cleaned_data = ErrorDict(), {}

    def has_errors(self):
        return bool(self.errors)


class IndicatorValuesForm(forms.Form):
    """One optional field per active indicator of the commitment: its choices follow it."""

    def __init__(self, *args, commitment, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(commitment.indicators.filter(active=True).order_by("order", "code"))
        initial_values = initial_values or {}
        for indicator in self.indicators:
            label = f"{indicator.name} ({indicator.unit})"
            name = f"indicator_{indicator.pk}"
            if indicator.kind == Indicator.Kind.YES_NO:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[("", "—"), ("1", _("Sí")), ("0", _("No"))],
                    coerce=lambda value: int(value),
                    empty_value=None,
                    required=False,
                )
                initial = initial_values.get(indicator.pk)
                field.initial = None if initial is None else str(int(initial))
            else:
                field = forms.DecimalField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=100 if indicator.kind == Indicator.Kind.PERCENTAGE else LARGEST_AMOUNT,
                    max_digits=16,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                )
                field.initial = initial_values.get(indicator.pk)
            if indicator.sdg_indicator:
                field.help_text = _("Indicador ODS %(code)s") % {"code": indicator.sdg_indicator}
            self.fields[name] = field
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def values(self):
        """{indicator id: value or None} from the cleaned data."""
        return {indicator.pk: self.cleaned_data.get(f"indicator_{indicator.pk}") for indicator in self.indicators}


class KeptRowsFormSet(forms.BaseFormSet):
    def kept_forms(self):
        """The forms whose rows stay: the initial forms are the saved rows, kept unless deleted
        even when left untouched (has_changed() is then False); an extra form counts only once
        something is typed in it."""
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed()) and not form.cleaned_data.get("DELETE")
        ]


class LinkForm(forms.Form):
    url = forms.URLField(label=_("Enlace"), max_length=500, assume_scheme="https")
    title = forms.CharField(
        label=_("Descripción del enlace"), max_length=200, required=False, validators=[validate_single_line]
    )


class LinkFormSetBase(KeptRowsFormSet):
    def links(self):
        return [
            {"url": form.cleaned_data["url"], "title": form.cleaned_data.get("title", "")} for form in self.kept_forms()
        ]


LinkFormSet = forms.formset_factory(LinkForm, formset=LinkFormSetBase, extra=1, can_delete=True, max_num=20)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class EvidenceUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Archivos"),
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_TYPES))}),
        help_text=format_lazy(
            _("PDF, imágenes o documentos de oficina; hasta {size} cada uno y {count} por acción."),
            size=lazy(filesizeformat, str)(MAX_EVIDENCE_BYTES),
            count=MAX_EVIDENCE_FILES,
        ),
    )
    title = forms.CharField(
        label=_("Descripción (opcional)"), max_length=200, required=False, validators=[validate_single_line]
    )


class DraftSyncForm(forms.Form):
    """What a phone says about the draft it sends (static/js/offline.js): the key it gave the
    draft, so that a resend finds the first send's action, and the version (updated_at, as ISO
    8601) its copy started from, so that a change made meanwhile is not overwritten."""

    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput(attrs={"data-draft-key": ""}))
    version = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-draft-version": ""}))

    def clean_version(self):
        raw = self.cleaned_data["version"]
        if not raw:
            return None
        try:
            version = datetime.datetime.fromisoformat(raw)
        except ValueError:
            return None
        return version if version.tzinfo is not None else None

    def value(self, name):
        """The field's clean value, or None when it was missing or unreadable (a page without
        JavaScript sends neither: it is saved as before)."""
        return self.cleaned_data.get(name) if self.is_valid() else None


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "horizon", "baseline", "baseline_year", "target_value", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A target set on an indicator retired since keeps it (and stays editable); new ones take active ones.
        self.fields["indicator"].queryset = Indicator.objects.filter(
            Q(active=True) | Q(pk=self.instance.indicator_id)
        ).select_related("commitment__axis")
        self.fields["horizon"].choices = Horizon.choices
        cap(self.fields["baseline"])
        cap(self.fields["target_value"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ReviewForm(forms.Form):
    """A coordinator's decision on a submitted action: approve, or return with a comment."""

    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Aprobar")), (RETURN, _("Devolver con comentario"))])
    comment = forms.CharField(
        label=_("Comentario para el embajador"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatorio para devolver la acción: diga qué debe corregirse."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and "comment" not in self.errors and not cleaned["comment"].strip():
            self.add_error("comment", _("Explique qué debe corregirse: el comentario es obligatorio."))
        return cleaned
