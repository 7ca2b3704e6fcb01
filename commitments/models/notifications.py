"""What an ambassador is told when a coordinator decides on an action."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import ActionStatusChange


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Tells an ambassador, in the app and by email, that a coordinator decided on an action."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("para")
    )
    status_change = models.OneToOneField(
        ActionStatusChange, on_delete=models.CASCADE, related_name="notification", verbose_name=_("cambio de estado")
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    read_at = models.DateTimeField(_("leído el"), null=True, blank=True)
    # The email that carries it (core's outgoing mail, keyed `decision:<id>`): whether and when
    # it was sent is the mail row's to say.
    mail = models.OneToOneField(
        "core.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("correo"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.status_change}"
