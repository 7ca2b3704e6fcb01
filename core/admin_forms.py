"""What every admin of the project shares beyond the audit trail."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
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
            if field.widget.is_hidden:  # nothing to name, and ARIA is invalid on a hidden input
                continue
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


# Django's own blank choice, with a text: an empty <option> names nothing to a screen reader.
BLANK_LABEL = "---------"


class PlaceholderAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete leaves a required field's <select> without any option on an add
    form, and a blank one without a text otherwise: both are invalid HTML. Here it always opens
    with the blank choice Django's other selects show."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = BLANK_LABEL
        elif self.is_required:
            chosen = any(option["selected"] for _group, group_options, _index in groups for option in group_options)
            options.insert(0, self.create_option(name, "", BLANK_LABEL, not chosen, 0))
        return groups


class PlaceholderAutocompleteMixin:
    """A model admin whose `autocomplete_fields` render as PlaceholderAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PlaceholderAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The user form's password summary is a <div>: Django gives it the read-only field's
    `disabled`, which a <div> cannot carry (invalid HTML)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context
