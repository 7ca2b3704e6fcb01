"""Handovers of a city's post from one ambassador to the next, and the term reminders sent."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador


class Handover(models.Model):
    """A city's post passed from an outgoing appointment to its successor's. The successor
    carries on the city's targets, plan and history (all kept per city) and may take over the
    drafts the outgoing one left; the outgoing person reads their own past work until
    read_access_until (ambassadors.scope.READ_GRACE_DAYS after the end)."""

    outgoing = models.OneToOneField(
        Ambassador, on_delete=models.PROTECT, related_name="handover_out", verbose_name=_("nombramiento saliente")
    )
    successor = models.OneToOneField(
        Ambassador, on_delete=models.PROTECT, related_name="handover_in", verbose_name=_("nombramiento sucesor")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    at = models.DateTimeField(_("cuándo"))
    read_access_until = models.DateField(_("lectura del saliente hasta"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("relevo")
        verbose_name_plural = _("relevos")
        constraints = [
            models.CheckConstraint(condition=~Q(outgoing=F("successor")), name="handover_outgoing_not_successor"),
        ]

    def __str__(self):
        return f"{self.outgoing} → {self.successor}"


class TermReminder(models.Model):
    """A reminder that an appointment's term ends, told to one person at one threshold (60 or 30
    days ahead). The row is written with the digest that tells it, so each is told once."""

    appointment = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="term_reminders", verbose_name=_("nombramiento")
    )
    threshold = models.PositiveSmallIntegerField(_("días antes"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("destinatario")
    )
    term_ends_on = models.DateField(_("fin del periodo"))
    sent_at = models.DateTimeField(_("enviado"))

    class Meta:
        verbose_name = _("aviso de fin de periodo")
        verbose_name_plural = _("avisos de fin de periodo")
        constraints = [
            # A renewed term is a new end date: its thresholds are told again.
            models.UniqueConstraint(
                fields=["appointment", "term_ends_on", "threshold", "recipient"], name="termreminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.appointment} · {self.threshold}"
