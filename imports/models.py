"""An import of a spreadsheet: the file, its check row by row, and whether it was applied."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import City


def import_upload_to(job, filename):
    """A generated name: nothing the uploader chose reaches the disk path."""
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


# Why an apply wrote nothing, by code (ImportJob.refusal); %(...)s filled from its params.
REFUSALS = {
    "outdated": _(
        "Algo cambió desde la revisión (la fila %(row)s ya no es como la mostró la vista previa: por "
        "ejemplo, una acción se envió a revisión): no se importó nada. Suba el archivo de nuevo."
    ),
    "not_applicable": _("Esta importación no se puede aplicar: corrija los errores y súbala de nuevo."),
    "not_ambassador": _(
        "Esta importación es de %(city)s y usted ya no es su embajador en funciones: no se importó nada."
    ),
    "forbidden": _("Ya no tiene permiso para aplicar esta importación: no se importó nada."),
    "error": _(
        "No se pudo aplicar la importación por un error del sistema: no se importó nada. Súbala de nuevo más tarde."
    ),
}


class ImportJob(models.Model):
    """One spreadsheet someone uploaded: checked by a task (imports.tasks.check_import), shown as a
    preview with each row's errors at its cells, and written only once its owner confirms.

    queued → checking → ready (or failed) → applying → applied (or refused), or cancelled.
    Confirming only marks the job applying: the rows are written by imports.tasks.apply_import,
    all or none, and the page shows the outcome.
    """

    class What(models.TextChoices):
        ACTIONS = "actions", _("Acciones")
        TARGETS = "targets", _("Metas")
        CITIES = "cities", _("Ciudades")
        AMBASSADORS = "ambassadors", _("Embajadores")
        COORDINATORS = "coordinators", _("Coordinadores")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        CHECKING = "checking", _("Revisando")
        READY = "ready", _("Revisada")
        FAILED = "failed", _("No se pudo leer")
        APPLYING = "applying", _("Aplicándose")
        APPLIED = "applied", _("Aplicada")
        REFUSED = "refused", _("No aplicada")
        CANCELLED = "cancelled", _("Cancelada")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("persona")
    )
    what = models.CharField(_("qué se importa"), max_length=16, choices=What)
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("ciudad")
    )
    file = models.FileField(_("archivo"), upload_to=import_upload_to)
    original_name = models.CharField(_("nombre original"), max_length=255, blank=True)
    # The language the person used: the check's messages are written in it.
    language = models.CharField(_("idioma"), max_length=10, default="es")
    status = models.CharField(_("estado"), max_length=10, choices=Status, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("filas"), default=0)
    rows_checked = models.PositiveIntegerField(_("filas revisadas"), default=0)
    # [{"number", "id", "state" (new, changed, unchanged), "cells": {column: text}, "errors": {column: [..]}}]
    rows = models.JSONField(_("filas revisadas"), default=list, blank=True)
    columns = models.JSONField(_("columnas"), default=list, blank=True)
    # What is wrong with the file as a whole (missing columns, not a spreadsheet…), in its language.
    file_errors = models.JSONField(_("errores del archivo"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    error = models.TextField(_("error técnico"), blank=True)
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    checked_at = models.DateTimeField(_("revisada"), null=True, blank=True)
    applied_at = models.DateTimeField(_("aplicada"), null=True, blank=True)
    # When the apply was confirmed, then when its latest attempt started: a job applying for longer
    # than the task's time limit was lost and is taken up again by the sweep.
    apply_started_at = models.DateTimeField(_("aplicación iniciada"), null=True, blank=True)
    rows_written = models.PositiveIntegerField(_("filas guardadas"), default=0)
    # Why an apply wrote nothing: {"code": one of REFUSALS, "params": {...}}, shown in the reader's language.
    refusal = models.JSONField(_("motivo del rechazo"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_checked__lte=models.F("rows_total")), name="importjob_checked_not_above_total"
            ),
        ]
        indexes = [
            # The history of a person's imports, newest first.
            models.Index(fields=["user", "-created_at"], name="importjob_user_created_idx"),
        ]

    def __str__(self):
        return f"{self.get_what_display()} · {self.original_name}"

    @property
    def is_done(self):
        return self.status not in (self.Status.QUEUED, self.Status.CHECKING, self.Status.APPLYING)

    @property
    def can_cancel(self):
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.READY)

    @property
    def shows_preview(self):
        """The preview's counts and rows are shown once checked, until the file is purged."""
        shown = (self.Status.READY, self.Status.APPLYING, self.Status.APPLIED, self.Status.REFUSED)
        return self.status in shown and bool(self.file)

    @property
    def refusal_message(self):
        """Why nothing was written, in the active language (the reader's, not the confirmer's)."""
        code = self.refusal.get("code")
        if code == "invalid":  # the checks' own messages, which do not say it
            return " ".join([str(_("No se importó nada.")), *self.refusal.get("params", {}).get("messages", [])])
        return str(REFUSALS.get(code, REFUSALS["error"])) % self.refusal.get("params", {})

    @property
    def error_count(self):
        return sum(1 for row in self.rows if row.get("errors"))

    def count(self, state):
        return sum(1 for row in self.rows if row.get("state") == state and not row.get("errors"))

    @property
    def count_new(self):
        return self.count("new")

    @property
    def count_changed(self):
        return self.count("changed")

    @property
    def count_to_write(self):
        return self.count_new + self.count_changed

    @property
    def count_unchanged(self):
        return self.count("unchanged")

    @property
    def can_apply(self):
        """Confirmable: checked, nothing wrong with the file nor any row, something to write."""
        return self.status == self.Status.READY and self.can_write

    @property
    def can_write(self):
        """The preview is clean and has something to write (whatever the job's status)."""
        return (
            not self.file_errors
            and not self.error_count
            and any(row.get("state") in ("new", "changed") for row in self.rows)
        )

    @property
    def progress_percent(self):
        return round(100 * self.rows_checked / self.rows_total) if self.rows_total else 0
