"""Django's own wording for the form messages that Django REST framework's catalogue translates
again ("Este campo es requerido.", "El archivo enviado está vació."): an installed app's catalogue
outranks Django's, the project's outranks both. These msgids are Django's (in English, not our
Spanish source) and the project's catalogue gives them Django's own es and pt-BR text, so every
form, the API's included, speaks as Django does."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
)
