from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = _("Eventos de riesgo")

    def ready(self):
        from commitments import kinds

        from .sections import HazardResponseSection

        kinds.register(HazardResponseSection())
