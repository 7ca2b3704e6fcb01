from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.history import ReadOnlyHistoryAdmin

from . import services
from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyHistoryAdmin):
    """Read-only: invitations are written by their pages (invitations.services); admins may revoke."""

    list_display = ["full_name", "email", "role", "city", "state_display", "invited_by", "created_at", "expires_at"]
    list_filter = ["role", "created_at"]
    search_fields = ["full_name", "email", "city__name"]
    list_select_related = ["city", "invited_by"]
    exclude = ["nonce"]
    actions = ["revoke"]

    @admin.display(description=_("estado"))
    def state_display(self, obj):
        return obj.get_state_display()

    @admin.action(description=_("Revocar las invitaciones elegidas"))
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            try:
                services.invitation_revoke(invitation=invitation, by=request.user)
            except ValidationError:
                continue  # accepted or revoked a moment ago
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d invitación revocada.", "%(count)d invitaciones revocadas.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
