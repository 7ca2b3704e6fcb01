from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Buenas prácticas")

    def ready(self):
        from commitments import kinds

        from .sections import ExchangeSection

        kinds.register(ExchangeSection())
