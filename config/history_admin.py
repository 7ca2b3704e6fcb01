"""The admin base for audited models (django-simple-history)."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Shows who changed what and when, read-only. SIMPLE_HISTORY_REVERT_DISABLED only hides the
    button: the history view would still save a POSTed old version, bypassing the workflow rules
    and the model admin's own permissions, so the POST is refused here."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
