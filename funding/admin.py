"""Admin: funders are the admins' catalogue; plans and opportunities are their cities' records,
changed only on the site through the services, so admin reads them with their history."""

from django.contrib import admin

from core.admin_forms import ReadOnlyInline
from core.history import ReadOnlyHistoryAdmin

from .models import (
    Disbursement,
    Document,
    Funder,
    Milestone,
    Opportunity,
    OpportunityStageChange,
    PlanStatusChange,
    TransitionPlan,
)


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "active"]
    list_filter = ["kind", "active", "country"]
    search_fields = ["name"]


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["horizon", "title", "due_on", "responsible", "status"]


class PlanStatusChangeInline(ReadOnlyInline):
    model = PlanStatusChange
    fields = ["at", "from_status", "to_status", "by", "comment"]


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ["title", "original_name", "url", "uploaded_by", "uploaded_at"]


@admin.register(TransitionPlan)
class TransitionPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["city", "version", "status", "approved_at"]
    list_filter = ["status", "city__country"]
    list_select_related = ["city"]
    search_fields = ["city__name"]
    inlines = [MilestoneInline, DocumentInline, PlanStatusChangeInline]


class OpportunityStageChangeInline(ReadOnlyInline):
    model = OpportunityStageChange
    fields = ["at", "from_stage", "to_stage", "by", "comment"]


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ["received_on", "amount", "note", "recorded_by"]


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "city", "funder", "funder_name", "stage", "amount", "currency", "deadline"]
    list_filter = ["stage", "currency", "funder__kind", "city__country"]
    list_select_related = ["city", "funder"]
    search_fields = ["title", "funder__name", "funder_name", "city__name"]
    date_hierarchy = "identified_on"
    inlines = [DisbursementInline, DocumentInline, OpportunityStageChangeInline]
