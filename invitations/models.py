from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambassadors.models import Ambassador, City, Country
from ambassadors.scope import review_scope_filter
from core.validators import validate_single_line


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The invitations this user may list, resend and revoke: every one for an admin; for a
        coordinator, the ambassadors' invitations to the cities of their countries (never the
        coordinators' invitations); none for anyone else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(role=Invitation.Role.AMBASSADOR).filter(review_scope_filter(user, prefix="city__"))

    def for_listing(self):
        """What the list shows of each row, in a fixed number of queries whatever the rows."""
        return self.select_related("city__country", "invited_by", "user", "revoked_by").prefetch_related("countries")

    def pending(self, *, now=None):
        """Open invitations whose link still works."""
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An invitation, by email, to be the ambassador of a city or a coordinator of countries.

    The email carries a signed link naming the invitation and its `nonce`: sending it again draws
    a new nonce (the old link dies), accepting or revoking clears it (no link works any more).
    Its state is read from its dates: accepted, revoked, expired, or pending.
    """

    class Role(models.TextChoices):
        AMBASSADOR = "ambassador", _("Embajador o embajadora de una ciudad")
        COORDINATOR = "coordinator", _("Coordinador o coordinadora de países")

    class State(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        ACCEPTED = "accepted", _("Aceptada")
        REVOKED = "revoked", _("Revocada")
        EXPIRED = "expired", _("Vencida")

    email = models.EmailField(_("correo"))
    full_name = models.CharField(_("nombre completo"), max_length=200, validators=[validate_single_line])
    language = models.CharField(
        _("idioma del correo"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    role = models.CharField(_("función"), max_length=12, choices=Role)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations", verbose_name=_("ciudad")
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="invitations", verbose_name=_("países"))
    term_ends_on = models.DateField(_("fin del periodo"), null=True, blank=True)
    succeeds = models.ForeignKey(
        Ambassador,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor_invitations",
        verbose_name=_("sucede a"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent", verbose_name=_("invitó")
    )
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    expires_at = models.DateTimeField(_("vence"))
    # The secret part of the link; "" once accepted or revoked. Kept out of the history.
    nonce = models.CharField(_("clave del enlace"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(_("veces enviada"), default=0)
    accepted_at = models.DateTimeField(_("aceptada"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("cuenta"),
    )
    revoked_at = models.DateTimeField(_("revocada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revocada por"),
    )

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["countries"], excluded_fields=["nonce"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="ambassador") & Q(city__isnull=False))
                | (Q(role="coordinator") & Q(city__isnull=True)),
                name="invitation_city_iff_ambassador",
                violation_error_message=_("Una invitación de embajador nombra una ciudad; la de coordinador, ninguna."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False),
                name="invitation_accepted_has_user",
            ),
        ]
        indexes = [
            # services.invitation_validate(): the open invitations to one address.
            models.Index(fields=["email"], name="invitation_email_idx"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def state(self):
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self):
        return self.State(self.state).label

    @property
    def is_open(self):
        """Not accepted nor revoked: it may be sent again (an expired one too) or revoked."""
        return self.accepted_at is None and self.revoked_at is None
