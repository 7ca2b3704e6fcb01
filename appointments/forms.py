from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptanceForm(forms.Form):
    """ "Acepto": a box to tick, and the version of the text that was shown."""

    accept = forms.BooleanField(
        label=_("He leído las funciones y compromisos de mi nombramiento y los acepto."),
        error_messages={"required": _("Marque la casilla para aceptar los compromisos.")},
    )
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Código de verificación"),
        max_length=40,
        help_text=_("Está al pie de la carta, por ejemplo ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
