from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Embajadores, ciudades y países")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import access

        user_login_failed.connect(access.on_login_failed, dispatch_uid="ambassadors.access.failed")
        user_logged_in.connect(access.on_logged_in, dispatch_uid="ambassadors.access.logged_in")
