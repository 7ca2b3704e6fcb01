"""The catalogue: commitments of each axis, their focus areas and indicators."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from translated_fields import TranslatedFieldWithFallback

from axes.models import Axis
from core.validators import validate_single_line, validate_text

from .action_kinds import ActionKind, validate_offered_kinds

sdg_indicator_code_validator = RegexValidator(
    r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$", _("Use un código de indicador ODS como 6.3.1 o 6.a.1.")
)


class CommitmentQuerySet(models.QuerySet):
    """Every commitment query brings its axis: str() and code need it, and there are three."""

    def active(self):
        return self.filter(active=True)

    def with_axis(self):
        return self.select_related("axis")


class CommitmentManager(models.Manager.from_queryset(CommitmentQuerySet)):
    def get_queryset(self):
        # Admin filters and autocompletes list commitments by str(), which shows the axis number.
        return super().get_queryset().select_related("axis")


class Commitment(models.Model):
    """A numbered commitment of an axis (1.1 … 3.1); its Spanish text is the organisation's own."""

    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("eje"))
    number = models.PositiveSmallIntegerField(_("número dentro del eje"))
    title = TranslatedFieldWithFallback(
        models.CharField(_("título corto"), max_length=120, validators=[validate_single_line])
    )
    text = TranslatedFieldWithFallback(models.TextField(_("texto del compromiso"), validators=[validate_text]))
    active = models.BooleanField(_("activo"), default=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    kinds = models.JSONField(
        _("tipos de acción que ofrece"),
        default=list,
        blank=True,
        validators=[validate_offered_kinds],
        help_text=_("Además de la acción general, siempre disponible."),
    )

    objects = CommitmentManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["axis__number", "order", "number"]
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        constraints = [
            models.UniqueConstraint(fields=["axis", "number"], name="commitment_unique_number_per_axis"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="commitment_number_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self):
        """The public number, e.g. "1.4". Lists select_related("axis") so this costs no query."""
        return f"{self.axis.number}.{self.number}"

    @property
    def offered_kinds(self):
        """The kinds an action of this commitment may take: general first, then the admins' choice
        in the order of ActionKind."""
        return [kind for kind in ActionKind if kind == ActionKind.GENERAL or kind in self.kinds]


class FocusArea(models.Model):
    """A theme a commitment's text names (e.g. "seguridad alimentaria" under 3.1)."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="focus_areas", verbose_name=_("compromiso")
    )
    name = TranslatedFieldWithFallback(models.CharField(_("nombre"), max_length=150, validators=[validate_single_line]))
    active = models.BooleanField(_("activa"), default=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "order", "name_es"]
        verbose_name = _("área de enfoque")
        verbose_name_plural = _("áreas de enfoque")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "name_es"], name="focusarea_unique_name_per_commitment"),
        ]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """Something an ambassador measures for a commitment; targets and action values refer to it."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("Número")
        PERCENTAGE = "percentage", _("Porcentaje")
        YES_NO = "yes_no", _("Sí / no")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Aumentar es mejor")
        DECREASE = "decrease", _("Disminuir es mejor")

    class Aggregation(models.TextChoices):
        CUMULATIVE = "cumulative", _("Acumulativo: se suman los valores de las acciones")
        PER_PERIOD = "per_period", _("Por periodo: cuenta el último valor medido")

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("compromiso")
    )
    code = models.CharField(
        _("código"), max_length=20, unique=True, help_text=_("Por ejemplo, 1.2-a."), validators=[validate_single_line]
    )
    name = TranslatedFieldWithFallback(models.CharField(_("nombre"), max_length=300, validators=[validate_single_line]))
    unit = TranslatedFieldWithFallback(
        models.CharField(
            _("unidad"),
            max_length=40,
            help_text=_("Por ejemplo: personas, USD, m³, %."),
            validators=[validate_single_line],
        )
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind, default=Kind.NUMBER)
    direction = models.CharField(_("sentido del cambio"), max_length=10, choices=Direction, default=Direction.INCREASE)
    aggregation = models.CharField(_("agregación"), max_length=12, choices=Aggregation, default=Aggregation.CUMULATIVE)
    sdg_indicator = models.CharField(
        _("indicador ODS"), max_length=10, blank=True, validators=[sdg_indicator_code_validator]
    )
    active = models.BooleanField(_("activo"), default=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="number") | models.Q(aggregation="per_period"),
                name="indicator_level_is_per_period",
                violation_error_message=_(
                    "Un porcentaje o un sí / no no se suma entre acciones: use la agregación por periodo."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


def catalogue():
    """The axes with their active commitments, for the home page: two queries in all."""
    return Axis.objects.prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.active().order_by("order", "number"))
    )
