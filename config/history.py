"""The audit trail (django-simple-history): the admin base for audited models, and the entry a
conditional UPDATE must write itself."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .admin_forms import LabelledChangelistFormSet


def history_record_update(instance, *, by=None):
    """A queryset UPDATE sends no save signal, so simple-history wrote nothing: reload `instance`
    and write its audit entry. `by` is who did it (otherwise the request's user, or nobody)."""
    instance.refresh_from_db()
    if by is not None:
        instance._history_user = by
    type(instance).history.bulk_history_create([instance], update=True)


class HistoryAdmin(SimpleHistoryAdmin):
    """Shows who changed what and when, read-only. SIMPLE_HISTORY_REVERT_DISABLED only hides the
    button: the history view would still save a POSTed old version, bypassing the workflow rules
    and the model admin's own permissions, so the POST is refused here."""

    def get_changelist_formset(self, request, **kwargs):
        kwargs.setdefault("formset", LabelledChangelistFormSet)
        return super().get_changelist_formset(request, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
