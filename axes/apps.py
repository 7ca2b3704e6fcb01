from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    name = "axes"
    # An explicit label, so the tables say what they hold. Note that this package is named
    # "axes", like django-axes' own package: that library cannot be installed beside it.
    label = "action_axes"
    verbose_name = _("Ejes de acción")
