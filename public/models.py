"""A city's public page: opt-in per city, asked for by its ambassador and approved by a
coordinator of its country or an admin (or switched on and off by an admin in Django admin)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambassadors.models import City
from ambassadors.scope import review_scope_filter, roles_of
from core.validators import validate_text


class PublicPageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicPage.Status.PUBLISHED)

    def reviewable_by(self, user):
        """The requests this user may decide on: coordinators those of their countries, admins any;
        nobody the one they asked for themselves. The one place this rule lives."""
        roles = roles_of(user)
        if not (roles.is_admin or roles.is_coordinator):
            return self.none()
        return self.filter(review_scope_filter(user, prefix="city__")).exclude(requested_by=user)

    def pending(self):
        return self.filter(status=PublicPage.Status.PENDING)


def slug_for(city):
    """ "lima-pe": the city's name and its country's code, in ASCII."""
    return slugify(f"{city.name}-{city.country_id}")[:80] or f"ciudad-{city.pk}"


class PublicPage(models.Model):
    """Whether a city's approved progress is public at /publico/<slug>/, and the request and the
    decision that made it so (or not)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Solicitada")
        PUBLISHED = "published", _("Publicada")
        DECLINED = "declined", _("Rechazada")
        UNPUBLISHED = "unpublished", _("No publicada")

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="public_page", verbose_name=_("ciudad"))
    slug = models.SlugField(
        _("dirección"),
        max_length=80,
        unique=True,
        help_text=_("La última parte de la dirección pública: /publico/<dirección>/."),
    )
    status = models.CharField(_("estado"), max_length=12, choices=Status, default=Status.UNPUBLISHED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("solicitada por"),
    )
    requested_at = models.DateTimeField(_("solicitada el"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decidida por"),
    )
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    comment = models.TextField(_("comentario"), blank=True, max_length=2000, validators=[validate_text])
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = PublicPageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name"]
        verbose_name = _("página pública")
        verbose_name_plural = _("páginas públicas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(comment=""),
                name="publicpage_declined_has_comment",
                violation_error_message=_("Explique por qué se rechaza: el comentario es obligatorio."),
            ),
        ]
        indexes = [
            # The network page and the review list: the published pages, the pending requests.
            models.Index(fields=["status"], name="publicpage_status_idx"),
        ]

    def __str__(self):
        return self.slug

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED
