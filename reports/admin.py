from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.history import HistoryAdmin

from . import services
from .models import Digest, ProgressReport


@admin.register(ProgressReport)
class ProgressReportAdmin(HistoryAdmin):
    """Reports are written by the workers: admins read them, and can have them written again."""

    list_display = [
        "city",
        "country",
        "scope",
        "kind",
        "period_start",
        "period_end",
        "status",
        "attempts",
        "generated_at",
        "delivered_at",
    ]
    list_filter = ["scope", "kind", "status", "period_start", "city__country"]
    search_fields = ["city__name"]
    list_select_related = ["city", "country"]
    date_hierarchy = "period_start"
    actions = ["regenerate"]
    readonly_fields = [
        "scope",
        "city",
        "country",
        "kind",
        "period_start",
        "period_end",
        "language",
        "status",
        "attempts",
        "error",
        "output_errors",
        "requested_by",
        "generated_at",
        "delivered_at",
        "html_file",
        "pdf_file",
        "xlsx_file",
        "csv_file",
        "snapshot",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    # Every field is the worker's: a save or a delete from here would bypass reports.services
    # (a report is replaced by writing it again, never edited or removed by hand).
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Volver a generar con los datos de hoy"))
    def regenerate(self, request, queryset):
        for report in queryset:
            services.report_regenerate(report)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d informe pedido de nuevo.", "%(count)d informes pedidos de nuevo.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """The log of digest emails: who got what; the email itself (sent, when, tries) is its mail row."""

    list_display = ["recipient", "kind", "period_key", "created_at", "mail_state"]
    list_filter = ["kind", "mail__state"]
    search_fields = ["recipient__username", "recipient__email"]
    list_select_related = ["recipient", "mail"]
    readonly_fields = ["recipient", "kind", "period_key", "items", "reports", "created_at", "mail"]

    @admin.display(description=_("correo"), ordering="mail__state")
    def mail_state(self, digest):
        return digest.mail.get_state_display() if digest.mail else "—"

    def has_add_permission(self, request):
        return False
