from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from translated_fields import TranslatedFieldAdmin

from core.history import HistoryAdmin

from .models import Axis
from .sdg import SDG_GOALS


class AxisForm(forms.ModelForm):
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("ODS a los que contribuye"),
        choices=[(number, f"{number}. {name}") for number, name in SDG_GOALS],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Axis
        fields = ["number", *Axis.name.fields, *Axis.description.fields, "colour", "sdg_goals"]

    def clean_sdg_goals(self):
        return sorted(self.cleaned_data["sdg_goals"])


@admin.register(Axis)
class AxisAdmin(TranslatedFieldAdmin, HistoryAdmin):
    form = AxisForm
    list_display = ["number", *Axis.name.fields[:1], "colour"]
    list_display_links = ["number", *Axis.name.fields[:1]]
    search_fields = Axis.name.fields
    ordering = ["number"]
    fieldsets = [
        (None, {"fields": ["number", "colour", "sdg_goals"]}),
        (_("Nombre"), {"fields": Axis.name.fields}),
        (_("Descripción"), {"fields": Axis.description.fields}),
    ]
