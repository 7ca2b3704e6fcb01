from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KindsConfig(AppConfig):
    name = "kinds"
    verbose_name = _("Formaciones, participación y políticas")

    def ready(self):
        from commitments import kinds

        from . import sections

        for section in sections.SECTIONS:
            kinds.register(section)
