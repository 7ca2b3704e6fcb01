"""Errors as JSON: a service's refusal (django.core.exceptions.ValidationError) answers 400 with
each field's messages, as the pages show them, in the caller's language (LocaleMiddleware has
read Accept-Language before any view runs)."""

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status, views
from rest_framework.settings import api_settings


def as_field_errors(error):
    """{field: [messages]} of a Django ValidationError; errors of the whole object under the
    name DRF gives them (non_field_errors)."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


class BodyTooLarge(exceptions.APIException):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses it as it is read (a
    SuspiciousOperation, which would answer the site's HTML 400 page)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("El cuerpo de la solicitud es demasiado grande.")
    default_code = "body_too_large"


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_field_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # DRF's own message, translated; not the model's name
    return views.exception_handler(exc, context)
