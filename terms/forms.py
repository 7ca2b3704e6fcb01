"""The forms of the terms page: a renewal, and a successor (a person already here, or someone new
invited by email)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.forms import DateInput
from core.forms import ErrorsAtFieldsMixin
from core.validators import validate_single_line

from .services import successor_candidates


class RenewForm(ErrorsAtFieldsMixin, forms.Form):
    term_ends_on = forms.DateField(label=_("Nuevo fin del periodo"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        # Beside the successor's form on one page: ids of its own, names as they are.
        super().__init__(*args, auto_id="renew_%s", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.get_username()
        return f"{name} ({user.email})" if user.email else name


class SuccessorForm(ErrorsAtFieldsMixin, forms.Form):
    """Exactly one of: a person already registered (`user`), or an email and a name to invite."""

    user = PersonChoiceField(
        label=_("Persona registrada"),
        queryset=successor_candidates(),
        required=False,
        empty_label=_("— Elija a una persona —"),
        help_text=_("Solo personas sin otro cargo vigente."),
    )
    email = forms.EmailField(label=_("Correo de la persona nueva"), required=False)
    full_name = forms.CharField(
        label=_("Nombre completo de la persona nueva"),
        max_length=150,
        required=False,
        validators=[validate_single_line],
    )
    term_ends_on = forms.DateField(label=_("Fin del periodo del sucesor"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="successor_%s", **kwargs)

    def clean(self):
        cleaned = super().clean()
        if "user" in self.errors or "email" in self.errors:
            return cleaned  # one error for one bad choice: the field's own
        user = cleaned.get("user")
        email, full_name = cleaned.get("email"), (cleaned.get("full_name") or "").strip()
        if user and email:
            raise forms.ValidationError(_("Elija a una persona registrada o escriba los datos de una nueva, no ambas."))
        if not user and not email:
            raise forms.ValidationError(_("Elija a una persona registrada, o escriba el correo de una nueva."))
        elif email and not full_name:
            self.add_error("full_name", _("Escriba el nombre de la persona nueva."))
        return cleaned
