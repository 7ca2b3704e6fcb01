from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from translated_fields import TranslatedFieldAdmin

from axes.admin import AxisAdmin
from axes.models import Axis
from core.admin_forms import LabelledInlineFormSet, ReadOnlyInline
from core.history import HistoryAdmin

from . import services
from .models import (
    Action,
    ActionKind,
    ActionStatusChange,
    Commitment,
    Evidence,
    ExchangeRate,
    FocusArea,
    Indicator,
    IndicatorValue,
    Target,
)


class CommitmentInline(TranslatedFieldAdmin, admin.StackedInline):
    model = Commitment
    extra = 0
    show_change_link = True
    fields = ["number", "order", "active", *Commitment.title.fields, *Commitment.text.fields]


# Axes sit below commitments, so the axis admin gains its commitments inline here.
admin.site.unregister(Axis)


@admin.register(Axis)
class AxisWithCommitmentsAdmin(AxisAdmin):
    inlines = [CommitmentInline]


class FocusAreaInline(TranslatedFieldAdmin, admin.TabularInline):
    model = FocusArea
    formset = LabelledInlineFormSet
    extra = 0
    fields = [*FocusArea.name.fields, "order", "active"]


class IndicatorInline(TranslatedFieldAdmin, admin.StackedInline):
    model = Indicator
    extra = 0
    show_change_link = True
    fields = [
        ("code", "sdg_indicator", "order", "active"),
        ("kind", "direction", "aggregation"),
        *Indicator.name.fields,
        tuple(Indicator.unit.fields),
    ]


class CommitmentForm(forms.ModelForm):
    """The kinds a commitment offers as checkboxes (the column is a JSON list)."""

    kinds = forms.TypedMultipleChoiceField(
        label=_("Tipos de acción que ofrece"),
        choices=[(kind.value, kind.label) for kind in ActionKind if kind != ActionKind.GENERAL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("La acción general está siempre disponible. Cada tipo añade sus propios datos al formulario."),
    )

    class Meta:
        model = Commitment
        fields = ["kinds"]


@admin.register(Commitment)
class CommitmentAdmin(TranslatedFieldAdmin, HistoryAdmin):
    form = CommitmentForm
    list_display = ["code", "title_es", "axis", "order", "active"]
    list_display_links = ["code", "title_es"]
    list_editable = ["order", "active"]
    list_filter = ["axis", "active"]
    list_select_related = ["axis"]
    search_fields = [*Commitment.title.fields, *Commitment.text.fields]
    ordering = ["axis__number", "order", "number"]
    inlines = [FocusAreaInline, IndicatorInline]
    fieldsets = [
        (None, {"fields": [("axis", "number"), ("order", "active"), "kinds"]}),
        (_("Título corto"), {"fields": Commitment.title.fields}),
        (_("Texto del compromiso"), {"fields": Commitment.text.fields}),
    ]

    @admin.display(description=_("código"), ordering="axis__number")
    def code(self, commitment):
        return commitment.code


@admin.register(FocusArea)
class FocusAreaAdmin(TranslatedFieldAdmin, HistoryAdmin):
    list_display = ["name_es", "commitment", "order", "active"]
    list_filter = ["commitment__axis", "commitment", "active"]
    list_select_related = ["commitment__axis"]
    search_fields = FocusArea.name.fields
    autocomplete_fields = ["commitment"]


@admin.register(Indicator)
class IndicatorAdmin(TranslatedFieldAdmin, HistoryAdmin):
    list_display = ["code", "name_es", "commitment", "kind", "aggregation", "sdg_indicator", "active"]
    list_display_links = ["code", "name_es"]
    list_filter = ["commitment__axis", "commitment", "kind", "aggregation", "direction", "active"]
    list_select_related = ["commitment__axis"]
    search_fields = ["code", "sdg_indicator", *Indicator.name.fields]
    autocomplete_fields = ["commitment"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("commitment", "code"),
                    ("kind", "direction", "aggregation"),
                    ("sdg_indicator", "order", "active"),
                ]
            },
        ),
        (_("Nombre"), {"fields": Indicator.name.fields}),
        (_("Unidad"), {"fields": Indicator.unit.fields}),
    ]


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue
    fields = ["indicator", "value"]


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["original_name", "content_type", "size", "url", "title", "uploaded_by", "uploaded_at"]


class StatusChangeInline(ReadOnlyInline):
    model = ActionStatusChange
    fields = ["at", "from_status", "to_status", "by", "comment"]


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    """View only: actions are the ambassadors' words; they change only through the workflow."""

    list_display = ["title", "city", "commitment", "kind", "status", "started_on", "updated_at"]
    list_filter = ["status", "kind", "commitment__axis", "commitment", "city__country", "good_practice"]
    list_select_related = ["city", "commitment__axis"]
    search_fields = ["title", "description", "city__name", "ambassador__user__username"]
    date_hierarchy = "started_on"
    inlines = [IndicatorValueInline, EvidenceInline, StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = ["city", "indicator", "horizon", "baseline", "target_value", "due_on"]
    list_filter = ["horizon", "indicator__commitment", "city__country"]
    list_select_related = ["city", "indicator"]
    search_fields = ["city__name", "indicator__code"]
    autocomplete_fields = ["city", "indicator"]
    readonly_fields = ["updated_by", "updated_at"]

    # Admin writes through the services, as the site does: the same check of who may, the same
    # validity gate (Target.clean, which already refused an invalid form with the site's message)
    # and the same history.
    def save_model(self, request, obj, form, change):
        fields = ["indicator", "horizon", "baseline", "baseline_year", "target_value", "due_on"]
        services.target_save(
            by=request.user, city=obj.city, target=obj, **{name: form.cleaned_data[name] for name in fields}
        )

    def delete_model(self, request, obj):
        services.target_delete(target=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for target in queryset.select_related("city"):
            services.target_delete(target=target, by=request.user)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "usd_per_unit", "effective_on"]
    list_filter = ["currency"]
    date_hierarchy = "effective_on"
    ordering = ["currency", "-effective_on"]
