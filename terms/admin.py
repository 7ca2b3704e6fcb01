"""Admin: handovers and term reminders are records written by terms.services and the digest;
admins read them here."""

from django.contrib import admin

from .models import Handover, TermReminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["outgoing", "successor", "at", "by", "read_access_until"]
    list_filter = ["outgoing__city__country", ("at", admin.DateFieldListFilter)]
    list_select_related = ["outgoing__user", "outgoing__city", "successor__user", "successor__city", "by"]
    search_fields = ["outgoing__city__name", "outgoing__user__username", "successor__user__username"]
    date_hierarchy = "at"


@admin.register(TermReminder)
class TermReminderAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "threshold", "term_ends_on", "recipient", "sent_at"]
    list_filter = ["threshold"]
    list_select_related = ["appointment__user", "appointment__city", "recipient"]
    search_fields = ["appointment__city__name", "recipient__username"]
