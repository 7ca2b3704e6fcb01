"""The forms of the transition plan's pages: the diagnosis and strategy, a milestone, a milestone's
status, the review, a new version, a document. Each only reads what was typed; the rules (who may,
what a submission needs, which targets a milestone may serve) are funding.services', whose
refusals the views put at these forms' fields (ErrorsAtFieldsMixin.show_errors)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from commitments.forms import DateInput, ModelIdsField, ReviewForm
from commitments.models import Commitment, Target
from core.forms import ErrorsAtFieldsMixin
from core.validators import validate_text

from .models import Milestone, TransitionPlan

# The plan's texts have no limit in the table; a form keeps each to a size a person writes.
MAX_TEXT_LENGTH = 10_000


class CommitmentChoiceField(ModelIdsField):
    def label_from_instance(self, commitment):
        return f"{commitment.code} {commitment.title}"


class TargetChoiceField(ModelIdsField):
    def label_from_instance(self, target):
        indicator = target.indicator
        due = formats.date_format(target.due_on, "SHORT_DATE_FORMAT")
        value = floatformat(target.target_value, "-2g")
        return _("%(code)s %(name)s: %(value)s %(unit)s para el %(due)s (%(horizon)s)") % {
            "code": indicator.code,
            "name": indicator.name,
            "value": value,
            "unit": indicator.unit,
            "due": due,
            "horizon": target.get_horizon_display().lower(),
        }


def _form_helper(layout=None):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


def _limit_texts(form, *names):
    for name in names:
        field = form.fields[name]
        field.max_length = MAX_TEXT_LENGTH
        field.validators.append(MaxLengthValidator(MAX_TEXT_LENGTH))
        field.widget.attrs["maxlength"] = MAX_TEXT_LENGTH


class PlanForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """The diagnosis and the strategy of a version. Nothing is required to save a draft; what a
    submission needs is checked when it is sent (services.plan_submission_errors)."""

    class Meta:
        model = TransitionPlan
        fields = ["diagnosis_summary", "diagnosis_on", "strategy", "commitments"]
        field_classes = {"commitments": CommitmentChoiceField}
        widgets = {
            "diagnosis_summary": forms.Textarea(attrs={"rows": 6}),
            "diagnosis_on": DateInput(),
            "strategy": forms.Textarea(attrs={"rows": 5}),
            "commitments": forms.CheckboxSelectMultiple,
        }
        labels = {
            "diagnosis_summary": _("Resumen del diagnóstico"),
            "strategy": _("Prioridades de la estrategia"),
            "commitments": _("Compromisos que atiende la estrategia"),
        }
        help_texts = {
            "strategy": _("Una prioridad por línea, de la más importante a la menos."),
            "diagnosis_on": _("El día en que se cerró el diagnóstico o el estudio en que se basa."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commitments = self.fields["commitments"]
        commitments.queryset = Commitment.objects.active().with_axis()
        commitments.required = False
        _limit_texts(self, "diagnosis_summary", "strategy")
        self.helper = _form_helper(
            Layout(
                Fieldset(_("Diagnóstico"), "diagnosis_summary", "diagnosis_on"),
                Fieldset(_("Estrategia"), "strategy", "commitments"),
            )
        )

    def details(self):
        """The keyword arguments of services.plan_start / plan_update."""
        cleaned = self.cleaned_data
        return {
            "data": {name: cleaned[name] for name in ("diagnosis_summary", "diagnosis_on", "strategy")},
            "commitments": list(cleaned["commitments"]),
        }


class MilestoneForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """A milestone of a draft version: its horizon, what, when, who, and what it serves."""

    class Meta:
        model = Milestone
        fields = ["horizon", "title", "due_on", "responsible", "description", "commitments", "targets"]
        field_classes = {"commitments": CommitmentChoiceField, "targets": TargetChoiceField}
        widgets = {
            "horizon": forms.RadioSelect,
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "commitments": forms.CheckboxSelectMultiple,
            "targets": forms.CheckboxSelectMultiple,
        }
        labels = {"title": _("Hito"), "description": _("Descripción (opcional)")}
        help_texts = {
            "title": _("Un resultado que se pueda verificar, por ejemplo «Licitación de 50 buses eléctricos»."),
            "horizon": _("Corto, mediano o largo plazo: el plan necesita al menos un hito en cada uno."),
        }

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["commitments"].queryset = Commitment.objects.active().with_axis()
        fields["commitments"].required = False
        fields["targets"].queryset = Target.objects.filter(city=city).select_related("indicator")
        fields["targets"].required = False
        fields["targets"].help_text = _("Las metas de su ciudad a las que contribuye el hito.")
        # Read once: the form says when the city has none.
        fields["targets"].choices = list(fields["targets"].choices)
        self.has_targets = bool(fields["targets"].choices)
        if not self.has_targets:
            fields["targets"].help_text = _("Su ciudad todavía no tiene metas registradas.")
        _limit_texts(self, "description")
        self.helper = _form_helper(
            Layout(
                "horizon",
                "title",
                Div(
                    Div("due_on", css_class="col-sm-5"),
                    Div("responsible", css_class="col-sm-7"),
                    css_class="row",
                ),
                "description",
                Fieldset(_("Qué atiende"), "commitments", "targets"),
            )
        )

    def details(self):
        """The keyword arguments of services.milestone_save."""
        cleaned = self.cleaned_data
        return {
            "data": {name: cleaned[name] for name in ("horizon", "title", "description", "due_on", "responsible")},
            "commitments": list(cleaned["commitments"]),
            "targets": list(cleaned["targets"]),
        }


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado del hito"), choices=Milestone.Status.choices)


class PlanReviewForm(ReviewForm):
    """A coordinator's decision on a submitted version: approve it (it comes into force), or
    return it with a comment (required, as for actions and practices)."""

    decision = forms.ChoiceField(
        choices=[(ReviewForm.APPROVE, _("Aprobar el plan")), (ReviewForm.RETURN, _("Devolver con comentario"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _("Obligatorio para devolver el plan: diga qué debe corregirse.")


class RevisionForm(ErrorsAtFieldsMixin, forms.Form):
    revision_reason = forms.CharField(
        label=_("Motivo de la revisión"),
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Qué cambió desde que se aprobó: un diagnóstico nuevo, un hito que ya no es posible, otra prioridad."
        ),
        error_messages={"required": _("Explique por qué se revisa el plan.")},
    )
