from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo: `load_demo` loads every app's demo data, in the order they build on each other.
    It sits on top of the product apps, the one layer that may import them all."""

    name = "demo"
    verbose_name = _("Datos de demostración")
