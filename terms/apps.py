from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TermsConfig(AppConfig):
    name = "terms"
    verbose_name = _("Periodos y relevos")

    def ready(self):
        # An invitation accepted by a successor ends the outgoing appointment: its handover is
        # recorded by a receiver of the invitations app's signal.
        from . import receivers  # noqa: F401
