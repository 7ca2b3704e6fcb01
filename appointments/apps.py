from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Nombramientos: compromisos aceptados y cartas")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from ambassadors.scope import STANDING_FACTS
        from axes.models import Axis
        from commitments.models import Commitment

        from . import wording
        from .services import accepted_current_wording

        # The acceptance gate reads it on every request: asked with the roles the second-factor
        # check computes before it.
        STANDING_FACTS["commitments_accepted"] = accepted_current_wording

        # The current wording's versions are kept in the database (Wording), so every process
        # and the gate's one query agree; they follow every change of the catalogue's text.
        for model in (Axis, Commitment):
            uid = f"appointments.wording.{model.__name__}"
            post_save.connect(wording.on_catalogue_change, sender=model, dispatch_uid=f"{uid}.saved")
            post_delete.connect(wording.on_catalogue_change, sender=model, dispatch_uid=f"{uid}.deleted")
        # Data migrations write the catalogue without signals: the versions are read again after them.
        post_migrate.connect(wording.on_migrate, sender=self, dispatch_uid="appointments.wording.migrate")
