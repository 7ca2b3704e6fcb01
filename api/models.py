"""Personal API tokens: a person's key to the REST API, shown once and kept only as a hash."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a token's secret starts with: tells a leaked one apart in logs and secret scanners.
SECRET_PREFIX = "omcs_"  # noqa: S105 - a label, not a secret
# How many characters of the secret stay visible (the prefix included), to tell tokens apart.
VISIBLE_CHARS = 12


def secret_hash(secret):
    """The SHA-256 of the secret: it has ~256 bits of entropy, so a fast hash is enough (no
    password-style stretching needed) and a lookup by hash is one index probe."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def of(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("persona")
    )
    name = models.CharField(_("nombre"), max_length=100, help_text=_("Para qué lo usa, por ejemplo «hoja de cálculo»."))
    prefix = models.CharField(_("comienzo"), max_length=VISIBLE_CHARS)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    expires_at = models.DateTimeField(_("vence"))
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocado"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token de la API")
        verbose_name_plural = _("tokens de la API")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="apitoken_expires_later"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
