from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    name = "axes"
    # Not "axes": that label belongs to django-axes (login lockout), which the hardening work adds.
    label = "action_axes"
    verbose_name = _("Ejes de acción")
