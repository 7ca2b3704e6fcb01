"""The acceptance of the commitments and the appointment letter of an ambassador's appointment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador


class Wording(models.Model):
    """The version of the current "Funciones y Compromisos" in one language: a hash of the three
    axes and their active commitments as the catalogue holds them (appointments/wording.py).

    Kept here, not recomputed per request, so the gate compares an acceptance with it inside its
    one query, and every process sees the same version the moment the catalogue changes."""

    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, primary_key=True)
    version = models.CharField(_("versión"), max_length=64)
    refreshed_at = models.DateTimeField(_("calculada"), auto_now=True)

    class Meta:
        verbose_name = _("versión vigente de los compromisos")
        verbose_name_plural = _("versiones vigentes de los compromisos")

    def __str__(self):
        return f"{self.language}: {self.version[:12]}"


class Acceptance(models.Model):
    """A person accepted the commitments of an appointment, in this wording and language."""

    class Source(models.TextChoices):
        SITE = "site", _("Aceptados en el sitio")
        # Appointments that existed when the acceptance shipped: named under the paper process.
        PAPER = "paper", _("Nombramiento anterior, aceptado en papel")

    appointment = models.ForeignKey(
        Ambassador, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("nombramiento")
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commitment_acceptances",
        verbose_name=_("aceptados por"),
    )
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES)
    version = models.CharField(_("versión"), max_length=64)
    # The wording word for word as it was shown: the letter names these commitments, whatever
    # the catalogue says later.
    wording = models.JSONField(_("texto aceptado"))
    accepted_at = models.DateTimeField(_("aceptados el"))
    source = models.CharField(_("origen"), max_length=8, choices=Source, default=Source.SITE)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("aceptación de los compromisos")
        verbose_name_plural = _("aceptaciones de los compromisos")
        constraints = [
            # Also the gate's index: an acceptance of this appointment in this language and version.
            models.UniqueConstraint(fields=["appointment", "language", "version"], name="acceptance_once_per_wording"),
        ]

    def __str__(self):
        return f"{self.appointment} · {self.accepted_at:%Y-%m-%d}"


class AppointmentLetter(models.Model):
    """The letter of an appointment (a PDF drawn when asked for), with a verification code that
    anyone may check at /verificar/<code>/. One letter in force per appointment; a new one
    takes the one before out of force as superseded."""

    appointment = models.ForeignKey(
        Ambassador, on_delete=models.PROTECT, related_name="letters", verbose_name=_("nombramiento")
    )
    acceptance = models.ForeignKey(
        Acceptance, on_delete=models.PROTECT, related_name="letters", verbose_name=_("aceptación que nombra")
    )
    code = models.CharField(_("código de verificación"), max_length=16, unique=True)
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField(_("emitida el"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emitida por"),
    )
    revoked_at = models.DateTimeField(_("revocada el"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revocada por"),
    )

    # Out of force because a newer letter of the same appointment replaced it (a new wording
    # accepted, a reissue), not because the OMCS revoked it: the verification says so.
    superseded = models.BooleanField(_("sustituida por otra"), default=False)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("carta de nombramiento")
        verbose_name_plural = _("cartas de nombramiento")
        constraints = [
            # Also the index of "the letter in force of this appointment" (the download).
            models.UniqueConstraint(
                fields=["appointment"], condition=Q(revoked_at__isnull=True), name="letter_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("issued_at")),
                name="letter_revoked_after_issued",
            ),
        ]

    def __str__(self):
        return self.code_display

    @property
    def code_display(self):
        """The code in groups of four, as printed: ABCD-EFGH-JKLM."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
