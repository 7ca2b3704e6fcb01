"""Admin reads a training's, a mechanism's and a policy's details with their history: they are the
ambassadors' words, changed only through the action's form and its services."""

from django.contrib import admin

from core.admin_forms import ReadOnlyInline
from core.history import ReadOnlyHistoryAdmin

from .models import ParticipationMechanism, PublicPolicy, Training, TrainingSession


class ReadOnlyAdmin(ReadOnlyHistoryAdmin):
    list_select_related = ["action__city", "action__commitment__axis"]
    search_fields = ["action__title", "action__city__name"]


class SessionInline(ReadOnlyInline):
    model = TrainingSession
    fields = ["held_on", "hours", "topic"]


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = ["action", "format", "modality", "public_servants", "certificates_issued", "satisfaction"]
    list_filter = ["format", "modality", "action__status", "action__city__country"]
    inlines = [SessionInline]


@admin.register(ParticipationMechanism)
class ParticipationMechanismAdmin(ReadOnlyAdmin):
    list_display = ["action", "mechanism", *ParticipationMechanism.ACCESSIBILITY]
    list_filter = ["mechanism", *ParticipationMechanism.ACCESSIBILITY, "action__status", "action__city__country"]


@admin.register(PublicPolicy)
class PublicPolicyAdmin(ReadOnlyAdmin):
    list_display = ["action", "instrument", "stage", "adopted_on", "population_covered", "disaster_risk_strategy"]
    list_filter = ["instrument", "stage", "disaster_risk_strategy", "action__status", "action__city__country"]
    date_hierarchy = "adopted_on"
