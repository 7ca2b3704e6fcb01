"""The forms of the practice library's writing side: a practice, its review, a replication."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from axes.sdg import SDG_GOALS
from commitments.forms import ModelIdsField, ReviewForm, floor
from commitments.models import Action, Commitment, Evidence, FocusArea
from core.forms import ErrorsAtFieldsMixin
from core.validators import validate_text

from .models import Practice

# The longer texts of a practice have no limit in the table; a form keeps each to a size a
# person writes (and a full-text vector takes without complaint).
MAX_TEXT_LENGTH = 10_000
LONG_TEXTS = ("problem", "what_was_done", "results", "funding", "partners", "lessons", "how_to_replicate")
SUMMARY_LABELS = {
    "summary_es": _("Resumen en español"),
    "summary_en": _("Resumen en inglés"),
    "summary_pt_br": _("Resumen en portugués"),
}


def _short_date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


class ActionChoiceField(ModelIdsField):
    def label_from_instance(self, action):
        return f"{action.title} · {_short_date(action.started_on)} · {action.commitment.code}"


class CommitmentChoiceField(ModelIdsField):
    def label_from_instance(self, commitment):
        return f"{commitment.code} {commitment.title}"


class EvidenceChoiceField(ModelIdsField):
    def label_from_instance(self, evidence):
        name = evidence.original_name if evidence.is_file else evidence.title or evidence.url
        return format_lazy(_("{name} (de «{action}»)"), name=name, action=evidence.action.title)


class PracticeForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """What the ambassador writes. The view hands the cleaned data to services.practice_create or
    practice_update, which check the sources again; a draft needs only a title and an action,
    what a submission needs is checked on submit (services.practice_submission_errors)."""

    goals = forms.TypedMultipleChoiceField(
        label=_("Objetivos de Desarrollo Sostenible (ODS)"),
        choices=[(number, format_lazy("{}. {}", number, name)) for number, name in SDG_GOALS],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Practice
        fields = [*Practice.AUTHOR_FIELDS, "actions", "commitments", "focus_areas", "evidence"]
        field_classes = {
            "actions": ActionChoiceField,
            "commitments": CommitmentChoiceField,
            "focus_areas": ModelIdsField,
            "evidence": EvidenceChoiceField,
        }
        widgets = {
            "actions": forms.CheckboxSelectMultiple,
            "commitments": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
            "evidence": forms.CheckboxSelectMultiple,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in Practice.summary.fields},
            "cost": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in LONG_TEXTS},
        }

    contact_consent = forms.BooleanField(
        label=_("mostrar mi nombre y correo como contacto"),
        required=False,
        help_text=_("Solo si usted lo acepta: otras ciudades podrán escribirle sobre esta práctica."),
    )

    def __init__(self, *args, city, user, **kwargs):
        super().__init__(*args, **kwargs)
        practice = self.instance
        # Checked only when the contact is the person editing: a successor consents for themselves.
        self.fields["contact_consent"].initial = practice.contact_id is not None and practice.contact_id == user.pk
        if practice.pk is not None:
            self.fields["goals"].initial = list(practice.goals.values_list("goal", flat=True))
        approved = Action.objects.filter(city=city, status=Action.Status.APPROVED)
        fields = self.fields
        fields["actions"].queryset = approved.select_related("commitment__axis").order_by("-started_on", "-pk")
        # Read once: the page says when there is none, and the choices show them.
        fields["actions"].choices = list(fields["actions"].choices)
        self.has_sources = bool(fields["actions"].choices)
        fields["actions"].error_messages["required"] = _("Elija al menos una acción aprobada de su ciudad.")
        fields["commitments"].queryset = Commitment.objects.active().with_axis()
        fields["commitments"].required = False
        fields["commitments"].help_text = _("Si no marca ninguno, la práctica toma los compromisos de sus acciones.")
        self._set_focus_areas(approved, practice)
        fields["evidence"].queryset = (
            Evidence.objects.filter(action__in=approved).select_related("action").order_by("action", "uploaded_at")
        )
        for name, label in SUMMARY_LABELS.items():
            fields[name].label = label
        for name in LONG_TEXTS:
            fields[name].max_length = MAX_TEXT_LENGTH
            fields[name].validators.append(MaxLengthValidator(MAX_TEXT_LENGTH))
            fields[name].widget.attrs["maxlength"] = MAX_TEXT_LENGTH
        floor(fields["cost"], 0, _("El costo no puede ser negativo."))
        fields["cost_currency"].help_text = _("Obligatoria si indica un costo.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self._layout()

    def _set_focus_areas(self, approved, practice):
        """The areas of the commitments of the city's approved actions (and of the practice's own
        commitments), grouped by commitment; the service keeps only those of the chosen ones."""
        wanted = Q(active=True, commitment__in=approved.values("commitment"))
        if practice.pk is not None:
            wanted |= Q(active=True, commitment__in=practice.commitments.values("pk"))
            wanted |= Q(pk__in=practice.focus_areas.values("pk"))  # kept even if retired since
        field = self.fields["focus_areas"]
        field.queryset = FocusArea.objects.filter(wanted)
        field.help_text = _("Solo las de los compromisos de la práctica (o de sus acciones).")
        groups = {}
        for area in field.queryset.select_related("commitment__axis"):
            commitment = area.commitment
            groups.setdefault(f"{commitment.code} {commitment.title}", []).append((area.pk, area.name))
        field.choices = list(groups.items())

    def _layout(self):
        return Layout(
            Fieldset(_("De dónde nace"), "actions", "commitments", "focus_areas"),
            "title",
            Fieldset(_("Resumen"), *SUMMARY_LABELS),
            "problem",
            "what_was_done",
            "results",
            Fieldset(
                _("Costo y financiamiento"),
                Div(Div("cost", css_class="col-6"), Div("cost_currency", css_class="col-6"), css_class="row"),
                "funding",
            ),
            "partners",
            "lessons",
            "how_to_replicate",
            "goals",
            "evidence",
            "contact_consent",
        )

    def details(self):
        """The keyword arguments of services.practice_create / practice_update."""
        cleaned = self.cleaned_data
        return {
            "data": {name: cleaned[name] for name in [*Practice.AUTHOR_FIELDS, "contact_consent"]},
            "actions": list(cleaned["actions"]),
            "commitments": list(cleaned["commitments"]),
            "focus_areas": list(cleaned["focus_areas"]),
            "evidence": list(cleaned["evidence"]),
            "goals": cleaned["goals"],
        }


class PracticeReviewForm(ReviewForm):
    """A coordinator's decision on a submitted practice: publish it, or return it with a comment
    (the action review's rule: a return needs a comment)."""

    decision = forms.ChoiceField(
        choices=[(ReviewForm.APPROVE, _("Aprobar y publicar")), (ReviewForm.RETURN, _("Devolver con comentario"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _("Obligatorio para devolver la práctica: diga qué debe corregirse.")


class FollowForm(forms.Form):
    """The commitments whose new practices go into the person's weekly summary."""

    commitments = ModelIdsField(queryset=Commitment.objects.active(), required=False)


class ReplicationNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Cómo la adaptan"),
        required=False,
        max_length=3000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Qué cambian para su ciudad, con quién, en qué plazo."),
    )


class ReplicationActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, action):
        return f"{action.title} · {action.get_status_display()} · {_short_date(action.started_on)}"


class ReplicationLinkForm(forms.Form):
    """An action of the replicating city, in any state (a draft too), to link to the replication."""

    action = ReplicationActionChoiceField(label=_("Acción de su ciudad"), queryset=Action.objects.none())
    completes = forms.BooleanField(
        label=_("Con esta acción la réplica queda realizada (cuenta cuando la acción se aprueba)"), required=False
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.filter(city=city).order_by("-created_at", "-pk")
