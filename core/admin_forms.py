"""What every admin of the project shares beyond the audit trail."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class LabelledRowsMixin:
    """A formset shown as a table, one form per row: a changelist with `list_editable` or a
    tabular inline. Django renders its inputs under a column heading but without a label
    (WCAG 1.3.1, 4.1.2), so each gets one naming the field and the row's object."""

    def add_fields(self, form, index):
        super().add_fields(form, index)  # the formset's own fields (DELETE, the id) come here
        row = str(form.instance) if form.instance.pk else _("fila nueva")
        for field in form.fields.values():
            label = _("%(field)s de «%(row)s»") % {"field": capfirst(field.label or ""), "row": row}
            # Admin wraps related fields; the wrapper's attrs are shared by every row, its widget's are not.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs = {**widget.attrs, "aria-label": label}


class LabelledChangelistFormSet(LabelledRowsMixin, BaseModelFormSet):
    pass


class LabelledInlineFormSet(LabelledRowsMixin, BaseInlineFormSet):
    pass


class ReadOnlyInline(admin.TabularInline):
    """Rows an admin reads beside their parent and never adds, changes or deletes there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
