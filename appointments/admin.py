from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Acceptance, AppointmentLetter


@admin.register(Acceptance)
class AcceptanceAdmin(admin.ModelAdmin):
    """Who accepted the commitments of which appointment, in which wording, language and when:
    a record, read here, never written by hand."""

    list_display = ["appointment", "accepted_by", "language", "short_version", "accepted_at", "source"]
    list_filter = ["source", "language", "accepted_at"]
    list_select_related = ["appointment__user", "appointment__city", "accepted_by"]
    search_fields = ["appointment__user__username", "appointment__user__last_name", "appointment__city__name"]
    date_hierarchy = "accepted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("versión"))
    def short_version(self, acceptance):
        return acceptance.version[:12]


@admin.register(AppointmentLetter)
class AppointmentLetterAdmin(admin.ModelAdmin):
    """The letters: issued when the commitments are accepted; an admin revokes one, or issues a
    new one (which revokes the one in force), from the list's actions."""

    list_display = ["code_display", "appointment", "language", "issued_at", "revoked_at", "state", "download"]
    list_filter = ["language", "issued_at", "revoked_at"]
    list_select_related = ["appointment__user", "appointment__city"]
    search_fields = ["code", "appointment__user__username", "appointment__user__last_name", "appointment__city__name"]
    date_hierarchy = "issued_at"
    actions = ["revoke", "issue_new"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("código"))
    def code_display(self, letter):
        return letter.code_display

    @admin.display(description=_("estado"))
    def state(self, letter):
        if letter.revoked_at and letter.superseded:
            return _("Sustituida")
        if letter.revoked_at:
            return _("Revocada")
        term_ends_on = letter.appointment.term_ends_on
        if letter.appointment.status == "ended" or (term_ends_on and term_ends_on < timezone.localdate()):
            return _("Vencida")
        return _("Válida")

    @admin.display(description=_("PDF"))
    def download(self, letter):
        if letter.revoked_at:
            return "—"
        url = reverse("appointments:letter_of", args=[letter.appointment_id])
        return format_html('<a href="{}">{}</a>', url, _("Descargar"))

    @admin.action(description=_("Revocar las cartas seleccionadas"))
    def revoke(self, request, queryset):
        revoked = sum(services.letter_revoke(letter=letter, by=request.user) for letter in queryset)
        self.message_user(
            request,
            ngettext("%(count)d carta revocada.", "%(count)d cartas revocadas.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )

    @admin.action(description=_("Emitir una carta nueva de esos nombramientos (sustituye a la vigente)"))
    def issue_new(self, request, queryset):
        appointments = {letter.appointment for letter in queryset.select_related("appointment")}
        for appointment in appointments:
            services.letter_issue(appointment=appointment, by=request.user)
        count = len(appointments)
        self.message_user(
            request,
            ngettext("%(count)d carta nueva emitida.", "%(count)d cartas nuevas emitidas.", count) % {"count": count},
            messages.SUCCESS,
        )
