from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Compromisos")

    def ready(self):
        from .dbfunctions import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="commitments_sqlite_functions")
