from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran beat's minute task: one row, updated in place. Kept in
    the database because web, beat and workers share nothing else in the embedded setup."""

    seen_at = models.DateTimeField(_("visto por última vez"))
    hostname = models.CharField(_("trabajador"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("latido de los trabajadores")
        verbose_name_plural = _("latidos de los trabajadores")

    def __str__(self):
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
