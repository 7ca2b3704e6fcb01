"""What the apps' forms share."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorDict


class ErrorsAtFieldsMixin:
    """A form that shows errors found outside its own validation (a service's refusal, what still
    blocks a submission) at their fields, and those of no field of the form above it."""

    def show_errors(self, errors):
        """`errors`: {field: messages}, or a ValidationError. Works on a form that was not posted too."""
        if isinstance(errors, ValidationError):
            errors = errors.message_dict if hasattr(errors, "error_dict") else {None: errors.messages}
        if self._errors is None:
            self._errors, self.cleaned_data = ErrorDict(), {}
        for field, field_errors in errors.items():
            self.add_error(field if field in self.fields else None, field_errors)

    def save_through(self, write, **kwargs):
        """Call `write` (a service) with `kwargs` and the form's `details()`; what it refuses goes
        to the form's fields and None comes back."""
        try:
            return write(**kwargs, **self.details())
        except ValidationError as error:
            self.show_errors(error)
            return None


class ConformingBoundField(BoundField):
    """Every form's fields (through FormRenderer), drawn as valid HTML where Django's are not:

    - Django describes a field by its help text even where it renders as a hidden input (the
      copy of the initial value of a field with a callable default): ARIA on a hidden input is
      invalid, and there is nothing there to describe;
    - a URL field keeps what was typed when it is not a URL, to be corrected, but an
      <input type="url"> cannot hold that value: it is drawn as text then, with a URL keyboard.
    """

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if isinstance(widget, forms.URLInput) and not only_initial and not _is_url(self.value()):
            widget = copy.copy(widget)
            widget.input_type = "text"
            attrs = {**(attrs or {}), "inputmode": "url"}
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden:
            attrs.pop("aria-describedby", None)
        return attrs


def _is_url(value):
    if not value:
        return True  # empty: nothing that breaks the input's type
    try:
        URLValidator()(str(value).strip())
    except ValidationError:
        return False
    return True


class FormRenderer(DjangoTemplates):
    """Django's renderer (settings.FORM_RENDERER), with every form's fields bound as ConformingBoundField."""

    bound_field_class = ConformingBoundField
