from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from translated_fields import TranslatedFieldWithFallback

from core.validators import validate_single_line, validate_text

from .sdg import SDG_GOAL_NAMES

hex_colour_validator = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Use un color hexadecimal como #1B7F5C."))


def validate_sdg_goals(value):
    if not isinstance(value, list) or any(goal not in SDG_GOAL_NAMES for goal in value):
        raise ValidationError(_("Los ODS deben ser una lista de números del 1 al 17."))


class Axis(models.Model):
    """One of the three action axes under which ambassadors make their commitments."""

    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    name = TranslatedFieldWithFallback(models.CharField(_("nombre"), max_length=200, validators=[validate_single_line]))
    description = TranslatedFieldWithFallback(
        models.TextField(_("descripción"), blank=True, validators=[validate_text])
    )
    colour = models.CharField(_("color"), max_length=7, default="#1B7F5C", validators=[hex_colour_validator])
    sdg_goals = models.JSONField(
        _("ODS a los que contribuye"), default=list, blank=True, validators=[validate_sdg_goals]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("eje de acción")
        verbose_name_plural = _("ejes de acción")
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="axis_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def sdg_goal_labels(self):
        """(number, name) of each SDG the axis serves, in the active language."""
        return [(goal, SDG_GOAL_NAMES[goal]) for goal in sorted(self.sdg_goals)]
