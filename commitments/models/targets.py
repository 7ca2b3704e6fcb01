"""A city's targets on an indicator, and the one rule that judges their progress."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambassadors.models import City
from ambassadors.scope import city_scope_filter

from ..dbfunctions import DayNumber, YearEndDayNumber
from .actions import Action, IndicatorValue
from .catalogue import Indicator
from .tallies import IndicatorTally


class Horizon(models.TextChoices):
    """The seed's planning horizons (commitment 1.4: "a corto, mediano y largo plazo")."""

    SHORT = "short", _("Corto plazo")
    MEDIUM = "medium", _("Mediano plazo")
    LONG = "long", _("Largo plazo")


class TargetStatus(models.TextChoices):
    """Where a target stands against the straight line from its baseline to its goal."""

    ACHIEVED = "achieved", _("Alcanzada")
    ON_TRACK = "on_track", _("En camino")
    AT_RISK = "at_risk", _("En riesgo")
    OFF_TRACK = "off_track", _("Fuera de camino")


# The order in which the panel and the reports list targets by status.
TARGET_STATUS_ORDER = (TargetStatus.ON_TRACK, TargetStatus.AT_RISK, TargetStatus.OFF_TRACK, TargetStatus.ACHIEVED)


# On track once the progress made is at least this share (in %) of the progress expected by now.
ON_TRACK_PERCENT = 85

DUE_AFTER_BASELINE_YEAR = _("La fecha límite debe ser posterior al año de la línea base.")


AMOUNT = models.DecimalField(max_digits=24, decimal_places=6)


def _current_value():
    """Cumulative indicators: the baseline plus the approved values; per-period ones: the latest
    approved value, else the baseline (needs the achieved_sum and latest_value annotations)."""
    return Case(
        When(
            indicator__aggregation=Indicator.Aggregation.CUMULATIVE,
            then=F("baseline") + Coalesce(F("achieved_sum"), Value(Decimal(0))),
        ),
        default=Coalesce(F("latest_value"), F("baseline")),
        output_field=AMOUNT,
    )


def _share_of_time(today):
    """How far `today` is along the line from the end of the baseline year to the due date, 0 to 1."""
    today_day = (today - datetime.date(1970, 1, 1)).days
    days = models.FloatField()
    return Case(
        When(Q(due_day__lte=F("start_day")) | Q(due_day__lte=today_day), then=Value(1.0)),
        When(start_day__gte=today_day, then=Value(0.0)),
        default=Cast(Value(today_day) - F("start_day"), days) / Cast(F("due_day") - F("start_day"), days),
        output_field=days,
    )


def _direction_sign():
    """+1 when more is better, -1 when less is: progress in the indicator's direction is then
    (value - baseline) x sign, and each progress refers to the current value only once (the
    database repeats its subqueries wherever it is referred to)."""
    return Case(
        When(indicator__direction=Indicator.Direction.DECREASE, then=Value(-1)),
        default=Value(1),
        output_field=models.IntegerField(),
    )


def _status(today):
    """The on-track rule (TargetQuerySet.with_progress), on the progress aliases."""
    return Case(
        When(progress_made__gte=F("progress_needed"), then=Value(TargetStatus.ACHIEVED)),
        When(due_on__lt=today, then=Value(TargetStatus.OFF_TRACK)),
        When(progress_expected__lte=0, then=Value(TargetStatus.ON_TRACK)),
        # x 100 against x 85, not x 0.85 (which SQLite's binary floats cannot hold exactly), so
        # SQLite judges a case on the line as PostgreSQL's numerics do.
        When(
            GreaterThanOrEqual(F("progress_made") * 100, F("progress_expected") * ON_TRACK_PERCENT),
            then=Value(TargetStatus.ON_TRACK),
        ),
        default=Value(TargetStatus.AT_RISK),
        output_field=models.CharField(),
    )


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(city_scope_filter(user, prefix="city__"))

    def with_progress(self, today=None):
        """Annotate progress and status, in the database: the one place the on-track rule lives.

        - current_value: cumulative indicators add the approved values dated after the baseline
          year, up to `today`, to the baseline; per-period ones take the latest approved value
          (else the baseline). A report passes its period's end as `today`.
        - expected_value: on the straight line from the baseline, at the end of its year, to the
          target value at the due date; the baseline before the line starts, the target after.
        - status: achieved once the target is reached (in the indicator's direction); off track
          when the due date has passed without reaching it; on track when the progress made
          (current - baseline, in the indicator's direction) is at least 85 % of the progress
          expected by now (expected - baseline), or when none is expected yet; at risk below that.
          Judged on progress, not on the level: with a large baseline the level stays near the
          expected value while nothing moves.
        """
        today = today or timezone.localdate()
        achieved_sum, latest_value = self._approved_values(today)
        return (
            self.select_related("indicator__commitment__axis")
            .annotate(
                achieved_sum=achieved_sum,
                latest_value=latest_value,
                start_day=YearEndDayNumber(F("baseline_year")),
                due_day=DayNumber(F("due_on")),
            )
            .annotate(current_value=_current_value())
            .annotate(
                # Rounded alike on SQLite (floats) and PostgreSQL (numeric), so both judge the same.
                expected_value=Round(
                    Cast(F("baseline") + (F("target_value") - F("baseline")) * _share_of_time(today), AMOUNT), 4
                )
            )
            .alias(sign=_direction_sign())
            .alias(
                progress_made=(F("current_value") - F("baseline")) * F("sign"),
                progress_expected=(F("expected_value") - F("baseline")) * F("sign"),
                progress_needed=(F("target_value") - F("baseline")) * F("sign"),
            )
            .annotate(status=_status(today))
        )

    @staticmethod
    def _approved_values(today):
        """The sum and the latest of the target's approved values dated after its baseline year,
        up to `today`, as subqueries. The status refers to them several times over, so they read
        the indicator tally (an index probe each) unless `today` cuts a month short: then the
        values themselves."""
        from ..tallies import covers  # here: commitments/tallies.py imports these models

        if covers(today.replace(day=1), today, timezone.localdate()):
            cells = IndicatorTally.objects.filter(
                city=OuterRef("city"),
                indicator=OuterRef("indicator"),
                month__year__gt=OuterRef("baseline_year"),
                month__lte=today,
            )
            return (
                Subquery(cells.values("indicator").annotate(sum=Sum("total")).values("sum")[:1]),
                Subquery(cells.order_by("-month").values("latest_value")[:1]),
            )
        values = IndicatorValue.objects.filter(
            action__city=OuterRef("city"),
            indicator=OuterRef("indicator"),
            action__status=Action.Status.APPROVED,
            action__started_on__year__gt=OuterRef("baseline_year"),
            action__started_on__lte=today,
        )
        return (
            Subquery(values.values("indicator").annotate(sum=Sum("value")).values("sum")[:1]),
            Subquery(values.order_by("-action__started_on", "-action_id").values("value")[:1]),
        )


class Target(models.Model):
    """What a city aims to reach on an indicator by a due date, from a baseline."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="targets", verbose_name=_("ciudad"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicador")
    )
    horizon = models.CharField(_("horizonte"), max_length=6, choices=Horizon, default=Horizon.SHORT)
    baseline = models.DecimalField(_("línea base"), max_digits=16, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("año de la línea base"))
    target_value = models.DecimalField(_("valor meta"), max_digits=16, decimal_places=2)
    due_on = models.DateField(_("fecha límite"))
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("actualizada por")
    )

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "horizon"]
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator", "horizon"],
                name="target_one_per_city_indicator_horizon",
                violation_error_message=_("La ciudad ya tiene una meta para este indicador y horizonte."),
            ),
            models.CheckConstraint(
                condition=Q(baseline__gte=0) & Q(target_value__gte=0), name="target_values_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__gte=1990) & Q(baseline_year__lte=2100), name="target_baseline_year_sane"
            ),
            # Due after the baseline year (progress counts from its end), in day numbers: plain
            # SQL on both databases, where a year extracted from a date is a Python function on
            # SQLite that a CHECK outside Django could not run.
            models.CheckConstraint(
                condition=GreaterThanOrEqual(DayNumber("due_on"), YearEndDayNumber("baseline_year")),
                name="target_due_after_baseline_year",
                violation_error_message=DUE_AFTER_BASELINE_YEAR,
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.indicator.code} · {self.get_horizon_display()}"

    def clean(self):
        """The one gate of a target's validity: the site's form, Django admin and the services
        (so any later API too) reach it through full_clean. A target must point the indicator's
        way and fall due after its baseline year, or it could never be tracked."""
        errors = {}
        if self.due_on is not None and self.baseline_year is not None and self.due_on.year <= self.baseline_year:
            errors["due_on"] = DUE_AFTER_BASELINE_YEAR
        if self.indicator_id is not None and self.baseline is not None and self.target_value is not None:
            if self.indicator.direction == Indicator.Direction.DECREASE:
                if self.target_value >= self.baseline:
                    errors["target_value"] = _(
                        "Este indicador mejora al disminuir: el valor meta debe ser menor que la línea base."
                    )
            elif self.target_value <= self.baseline:
                errors["target_value"] = _(
                    "Este indicador mejora al aumentar: el valor meta debe ser mayor que la línea base."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def progress_percent(self):
        """Needs with_progress(): share of the way from baseline to target, 0 to 100 (either direction)."""
        span = self.target_value - self.baseline
        if span == 0:
            return 100
        share = (self.current_value - self.baseline) / span * 100
        return int(max(0, min(100, share)))

    @property
    def status_label(self):
        """Needs with_progress()."""
        return TargetStatus(self.status).label
