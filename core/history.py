"""The audit trail (django-simple-history): the admin base for audited models, and the entries a
service writes itself.

simple-history writes an entry on each save, and one more on each change of a many-to-many
field it tracks (`m2m_fields`). A service that saves a row and then sets its many-to-many values
wants one entry with all of them: it saves inside `history_deferred` and then calls
`history_write`. A conditional UPDATE sends no save signal at all: `history_record_update`.
Either way the entry holds the many-to-many values as they are, never an empty list.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .admin_forms import LabelledChangelistFormSet, PlaceholderAutocompleteMixin


def history_stamp(instance, *, by, at=None):
    """Who and when for the entry simple-history writes on the instance's next save or delete
    (one moment for every row a service call writes, so a timeline shows them as one change)."""
    instance._history_user = by
    instance._history_date = at or timezone.now()
    return instance


@contextmanager
def history_deferred(instance):
    """Saves and many-to-many changes of `instance` inside write no entry: the caller writes one
    with `history_write` once every value is in place."""
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving


def history_write(instance, *, created=False, by=None, at=None):
    """Write one entry for `instance` as it is in memory, with its many-to-many values as they are
    in the database (simple-history's bulk path leaves them out). `by`: who did it (otherwise the
    stamp, the request's user or nobody)."""
    history = type(instance).history
    if by is not None:
        instance._history_user = by
    if at is not None:
        instance._history_date = at
    rows = history.bulk_history_create([instance], update=not created)
    if not rows:  # SIMPLE_HISTORY_ENABLED is off (a restore with loaddata turns it off)
        return None
    (row,) = rows
    for field in row._history_m2m_fields:
        through = field.remote_field.through
        m2m_history = getattr(type(row), field.name).model
        values = through.objects.filter(**{field.m2m_field_name(): instance.pk}).values(
            *[f.attname for f in through._meta.fields]
        )
        m2m_history.objects.bulk_create([m2m_history(history=row, **value) for value in values])
    return row


def history_record_update(instance, *, by=None, at=None):
    """A queryset UPDATE sends no save signal, so simple-history wrote nothing: reload `instance`
    and write its audit entry. `by` is who did it (otherwise the request's user, or nobody)."""
    instance.refresh_from_db()
    return history_write(instance, by=by, at=at)


class HistoryAdmin(PlaceholderAutocompleteMixin, SimpleHistoryAdmin):
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


class ReadOnlyHistoryAdmin(HistoryAdmin):
    """Rows admins read with their history and never add, change or delete in admin: they are
    the site's records, written only through their app's services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
