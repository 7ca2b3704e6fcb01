from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.validators import validate_single_line

from .services import LIFETIMES


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre"),
        max_length=100,
        validators=[validate_single_line],
        help_text=_("Para qué lo usa, por ejemplo «hoja de cálculo»."),
    )
    days = forms.TypedChoiceField(
        label=_("Vence en"),
        coerce=int,
        choices=[(days, ngettext_lazy("%(days)d día", "%(days)d días", days) % {"days": days}) for days in LIFETIMES],
        initial=90,
    )
