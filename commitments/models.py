import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models, router
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from translated_fields import TranslatedFieldWithFallback

from ambassadors.models import Ambassador, City
from ambassadors.scope import city_scope_filter, roles_of
from axes.models import Axis
from core.validators import validate_single_line, validate_text

from .dbfunctions import DayNumber, YearEndDayNumber

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
        today_day = (today - datetime.date(1970, 1, 1)).days
        achieved_sum, latest_value = self._approved_values(today)
        amount = models.DecimalField(max_digits=24, decimal_places=6)
        current = Case(
            When(
                indicator__aggregation=Indicator.Aggregation.CUMULATIVE,
                then=F("baseline") + Coalesce(F("achieved_sum"), Value(Decimal(0))),
            ),
            default=Coalesce(F("latest_value"), F("baseline")),
            output_field=amount,
        )
        days = models.FloatField()
        share_of_time = Case(
            When(Q(due_day__lte=F("start_day")) | Q(due_day__lte=today_day), then=Value(1.0)),
            When(start_day__gte=today_day, then=Value(0.0)),
            default=Cast(Value(today_day) - F("start_day"), days) / Cast(F("due_day") - F("start_day"), days),
            output_field=days,
        )
        # +1 when more is better, -1 when less is: progress in the indicator's direction is then
        # (value - baseline) x sign, and each progress refers to the current value only once
        # (the database repeats its subqueries wherever it is referred to).
        sign = Case(
            When(indicator__direction=Indicator.Direction.DECREASE, then=Value(-1)),
            default=Value(1),
            output_field=models.IntegerField(),
        )
        status = Case(
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
        return (
            self.select_related("indicator__commitment__axis")
            .annotate(
                achieved_sum=achieved_sum,
                latest_value=latest_value,
                start_day=YearEndDayNumber(F("baseline_year")),
                due_day=DayNumber(F("due_on")),
            )
            .annotate(current_value=current)
            .annotate(
                # Rounded alike on SQLite (floats) and PostgreSQL (numeric), so both judge the same.
                expected_value=Round(
                    Cast(F("baseline") + (F("target_value") - F("baseline")) * share_of_time, amount), 4
                )
            )
            .alias(sign=sign)
            .alias(
                progress_made=(F("current_value") - F("baseline")) * F("sign"),
                progress_expected=(F("expected_value") - F("baseline")) * F("sign"),
                progress_needed=(F("target_value") - F("baseline")) * F("sign"),
            )
            .annotate(status=status)
        )

    @staticmethod
    def _approved_values(today):
        """The sum and the latest of the target's approved values dated after its baseline year,
        up to `today`, as subqueries. The status refers to them several times over, so they read
        the indicator tally (an index probe each) unless `today` cuts a month short: then the
        values themselves."""
        from .tallies import covers  # here: tallies imports these models

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


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions of the cities in the user's scope (ambassadors/scope.py decides which)."""
        return self.filter(city_scope_filter(user, prefix="city__"))

    def for_list(self):
        """What a list row shows, in one query: commitment with its axis, city, author."""
        return self.select_related("commitment__axis", "city", "ambassador__user")

    def approved(self):
        return self.filter(status=Action.Status.APPROVED)

    def reviewable_by(self, user):
        """The actions this user may decide on: coordinators those of their countries, admins
        any; nobody their own. The one place the review rule lives."""
        roles = roles_of(user)
        if not (roles.is_admin or roles.is_coordinator):
            return self.none()
        return self.visible_to(user).exclude(ambassador__user=user)

    def awaiting_review_by(self, user):
        return self.reviewable_by(user).filter(status=Action.Status.SUBMITTED)


class Action(models.Model):
    """Something an ambassador did to honour a commitment, logged with its evidence.

    draft → submitted → approved, or returned (→ submitted again). Only approved actions
    count in targets, dashboards and reports.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada a revisión")
        APPROVED = "approved", _("Aprobada")
        RETURNED = "returned", _("Devuelta con comentarios")

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.PROTECT, related_name="actions", verbose_name=_("embajador")
    )
    # The ambassador's city, kept on the row: every scope filter and dashboard query uses it.
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="actions", verbose_name=_("ciudad"))
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="actions", verbose_name=_("compromiso")
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="actions", verbose_name=_("áreas de enfoque")
    )
    title = models.CharField(_("título"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("qué se hizo"), blank=True, validators=[validate_text])
    outcome = models.TextField(_("qué resultó"), blank=True, validators=[validate_text])
    started_on = models.DateField(_("fecha de inicio"), null=True, blank=True)
    ended_on = models.DateField(_("fecha de fin"), null=True, blank=True)
    people_reached = models.IntegerField(_("personas alcanzadas"), null=True, blank=True)
    women_reached = models.IntegerField(_("mujeres"), null=True, blank=True)
    men_reached = models.IntegerField(_("hombres"), null=True, blank=True)
    other_reached = models.IntegerField(_("otras / sin dato"), null=True, blank=True)
    youth_reached = models.IntegerField(_("jóvenes"), null=True, blank=True)
    partners = models.TextField(
        _("organizaciones aliadas"), blank=True, help_text=_("Una por línea."), validators=[validate_text]
    )
    cities_involved = models.ManyToManyField(
        City, blank=True, related_name="shared_actions", verbose_name=_("otras ciudades involucradas")
    )
    good_practice = models.BooleanField(_("compartir como buena práctica"), default=False)
    status = models.CharField(_("estado"), max_length=10, choices=Status, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    # What the ambassador writes (the rest is the workflow's or a relation).
    AUTHOR_FIELDS = [
        "title",
        "description",
        "outcome",
        "started_on",
        "ended_on",
        "people_reached",
        "women_reached",
        "men_reached",
        "other_reached",
        "youth_reached",
        "partners",
        "good_practice",
    ]

    objects = ActionQuerySet.as_manager()
    # Each entry holds the action's focus areas and cities as they were (core.history writes
    # one entry per change, with both).
    history = HistoricalRecords(m2m_fields=["focus_areas", "cities_involved"])

    class Meta:
        ordering = ["-started_on", "-created_at"]
        verbose_name = _("acción")
        verbose_name_plural = _("acciones")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="action_end_not_before_start",
                violation_error_message=_("La fecha de fin no puede ser anterior a la de inicio."),
            ),
            models.CheckConstraint(
                condition=(
                    (Q(people_reached__isnull=True) | Q(people_reached__gte=0))
                    & (Q(women_reached__isnull=True) | Q(women_reached__gte=0))
                    & (Q(men_reached__isnull=True) | Q(men_reached__gte=0))
                    & (Q(other_reached__isnull=True) | Q(other_reached__gte=0))
                    & (Q(youth_reached__isnull=True) | Q(youth_reached__gte=0))
                ),
                name="action_counts_not_negative",
                violation_error_message=_("Las cifras de personas no pueden ser negativas."),
            ),
            models.CheckConstraint(
                condition=Q(people_reached__isnull=True)
                | Q(
                    people_reached__gte=Coalesce("women_reached", 0)
                    + Coalesce("men_reached", 0)
                    + Coalesce("other_reached", 0)
                ),
                name="action_breakdown_not_above_total",
                violation_error_message=_("Mujeres, hombres y otras personas suman más que el total alcanzado."),
            ),
            models.CheckConstraint(
                condition=Q(people_reached__isnull=True)
                | Q(youth_reached__isnull=True)
                | Q(youth_reached__lte=F("people_reached")),
                name="action_youth_not_above_total",
                violation_error_message=_("Las personas jóvenes no pueden ser más que el total alcanzado."),
            ),
        ]
        indexes = [
            # "Mis acciones" and the city pages: a city's actions, newest first.
            models.Index(fields=["city", "-started_on"], name="action_city_started_idx"),
            # Targets' progress and dashboards: approved actions of a city.
            models.Index(fields=["city", "status"], name="action_city_status_idx"),
            # The review queue and the navigation's count of actions waiting: a few among many,
            # found without reading the rest (the scope's OR of subqueries defeats the index above).
            models.Index(fields=["city"], condition=Q(status="submitted"), name="action_submitted_city_idx"),
        ]

    # The checks above that concern one field: a form shows their error at that field (marked
    # invalid, its message tied to it), not only in the list above the form.
    CONSTRAINT_FIELDS = {
        "action_end_not_before_start": "ended_on",
        "action_breakdown_not_above_total": "people_reached",
        "action_youth_not_above_total": "youth_reached",
    }

    def __str__(self):
        return self.title

    def validate_constraints(self, exclude=None):
        """Django's own, except that a failed check named in CONSTRAINT_FIELDS is reported at its
        field (Django puts every check among the errors of the whole form)."""
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.CONSTRAINT_FIELDS.get(constraint.name, NON_FIELD_ERRORS)
                    errors = ValidationError({field: error}).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class MonthlyTally(models.Model):
    """Approved actions of one city, commitment and calendar month, with the people they reached.

    What dashboards and reports add up instead of the actions themselves, so their cost follows
    the number of cities and months, not of actions. commitments.tallies keeps it current: an
    action is counted when it becomes approved and uncounted if it ever leaves that status.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="tallies")
    month = models.DateField()  # The first day of the month.
    actions = models.PositiveIntegerField(default=0)
    people_reached = models.BigIntegerField(default=0)
    women_reached = models.BigIntegerField(default=0)
    men_reached = models.BigIntegerField(default=0)
    other_reached = models.BigIntegerField(default=0)
    youth_reached = models.BigIntegerField(default=0)
    last_started_on = models.DateField(null=True)

    class Meta:
        verbose_name = _("recuento mensual")
        verbose_name_plural = _("recuentos mensuales")
        constraints = [
            models.UniqueConstraint(fields=["city", "commitment", "month"], name="tally_one_per_city_commitment_month"),
        ]
        indexes = [
            # The network's dashboards: every city of a scope over a period's months.
            models.Index(fields=["month", "city"], name="tally_month_city_idx"),
            # Coverage: the cities of one commitment over a period's months.
            models.Index(fields=["commitment", "month"], name="tally_commitment_month_idx"),
            # The map and the cities table: each city's latest approved action, one index probe.
            models.Index(fields=["city", "-last_started_on"], name="tally_city_latest_idx"),
        ]

    def __str__(self):
        return f"{self.city_id} · {self.commitment_id} · {self.month:%Y-%m}: {self.actions}"


class IndicatorTally(models.Model):
    """Approved values of one city, indicator and calendar month: their sum and the latest one.

    What target progress reads instead of the values themselves (commitments.tallies keeps it
    current alongside MonthlyTally). The latest value is the one of the month's approved action
    that started last (the higher id breaks a tie), as per-period indicators count it.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="tallies")
    month = models.DateField()  # The first day of the month.
    value_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    latest_started_on = models.DateField()
    latest_action_pk = models.BigIntegerField()
    latest_value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("recuento mensual de indicador")
        verbose_name_plural = _("recuentos mensuales de indicadores")
        constraints = [
            # Also the index target progress reads: one city and indicator, months in order.
            models.UniqueConstraint(
                fields=["city", "indicator", "month"], name="indicatortally_one_per_city_indicator_month"
            ),
        ]

    def __str__(self):
        return f"{self.city_id} · {self.indicator_id} · {self.month:%Y-%m}: {self.total}"


class ActionStatusChange(models.Model):
    """One step of an action's history: who moved it from which status to which, and why."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_changes")
    # The action's city (it never changes), kept here so that review times and recent activity
    # filter status changes by city without joining every action.
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", editable=False, db_index=False)
    from_status = models.CharField(_("de"), max_length=10, choices=Action.Status, blank=True)
    to_status = models.CharField(_("a"), max_length=10, choices=Action.Status)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("por"))
    at = models.DateTimeField(_("cuándo"), default=timezone.now)
    comment = models.TextField(_("comentario"), blank=True, validators=[validate_text])
    # On a decision (approved or returned): how long the action waited since it was submitted.
    review_time = models.DurationField(_("tiempo de revisión"), null=True, blank=True)

    DECISIONS = (Action.Status.APPROVED, Action.Status.RETURNED)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("historial de estados")
        indexes = [
            models.Index(fields=["action", "at"], name="statuschange_action_at_idx"),
            # Review times: decisions in a period, read from the index alone (city, reviewer and
            # review time are in it).
            models.Index(fields=["to_status", "at", "city", "by", "review_time"], name="statuschange_decisions_idx"),
            # A city's recent activity (and the city's foreign key: no index of its own).
            models.Index(fields=["city", "-at"], name="statuschange_city_at_idx"),
        ]

    def __str__(self):
        return f"{self.action_id}: {self.from_status or '∅'} → {self.to_status}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Tells an ambassador, in the app and by email, that a coordinator decided on an action."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("para")
    )
    status_change = models.OneToOneField(
        ActionStatusChange, on_delete=models.CASCADE, related_name="notification", verbose_name=_("cambio de estado")
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    read_at = models.DateTimeField(_("leído el"), null=True, blank=True)
    # The email that carries it (core's outgoing mail, keyed `decision:<id>`): whether and when
    # it was sent is the mail row's to say.
    mail = models.OneToOneField(
        "core.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("correo"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.status_change}"


class IndicatorValue(models.Model):
    """The value an action achieved on one of its commitment's indicators."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("valor"), max_digits=16, decimal_places=2)
    history = HistoricalRecords()  # the action's timeline: each value added, changed, removed

    class Meta:
        ordering = ["indicator__code"]
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        constraints = [
            models.UniqueConstraint(fields=["action", "indicator"], name="indicatorvalue_one_per_action_indicator"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicatorvalue_not_negative"),
        ]
        indexes = [
            # Target progress: the values of one indicator, joined to approved actions.
            models.Index(fields=["indicator", "action"], name="indicatorvalue_indicator_idx"),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.value}"


class Currency(models.TextChoices):
    """ISO 4217: the currencies of Latin America and the Caribbean, the dollar and the euro."""

    USD = "USD", _("Dólar estadounidense (USD)")
    EUR = "EUR", _("Euro (EUR)")
    ARS = "ARS", _("Peso argentino (ARS)")
    BOB = "BOB", _("Boliviano (BOB)")
    BRL = "BRL", _("Real brasileño (BRL)")
    CLP = "CLP", _("Peso chileno (CLP)")
    COP = "COP", _("Peso colombiano (COP)")
    CRC = "CRC", _("Colón costarricense (CRC)")
    CUP = "CUP", _("Peso cubano (CUP)")
    DOP = "DOP", _("Peso dominicano (DOP)")
    GTQ = "GTQ", _("Quetzal (GTQ)")
    HNL = "HNL", _("Lempira (HNL)")
    HTG = "HTG", _("Gourde (HTG)")
    JMD = "JMD", _("Dólar jamaiquino (JMD)")
    MXN = "MXN", _("Peso mexicano (MXN)")
    NIO = "NIO", _("Córdoba (NIO)")
    PAB = "PAB", _("Balboa (PAB)")
    PEN = "PEN", _("Sol (PEN)")
    PYG = "PYG", _("Guaraní (PYG)")
    TTD = "TTD", _("Dólar de Trinidad y Tobago (TTD)")
    UYU = "UYU", _("Peso uruguayo (UYU)")
    VES = "VES", _("Bolívar (VES)")
    XCD = "XCD", _("Dólar del Caribe Oriental (XCD)")


class ExchangeRate(models.Model):
    """US dollars per unit of a currency from a date on; admins keep it."""

    currency = models.CharField(_("moneda"), max_length=3, choices=Currency)
    usd_per_unit = models.DecimalField(_("USD por unidad"), max_digits=20, decimal_places=10)
    effective_on = models.DateField(_("vigente desde"))

    class Meta:
        ordering = ["currency", "-effective_on"]
        verbose_name = _("tipo de cambio")
        verbose_name_plural = _("tipos de cambio")
        constraints = [
            models.UniqueConstraint(fields=["currency", "effective_on"], name="exchangerate_one_per_currency_day"),
            models.CheckConstraint(condition=Q(usd_per_unit__gt=0), name="exchangerate_positive"),
        ]

    def __str__(self):
        return f"1 {self.currency} = {self.usd_per_unit} USD ({self.effective_on})"


class FundQuerySet(models.QuerySet):
    def with_usd(self):
        """Annotate amount_usd with the rate in force on the action's start (or creation) date."""
        rate = ExchangeRate.objects.filter(
            currency=OuterRef("currency"),
            effective_on__lte=Coalesce(
                OuterRef("action__started_on"), Cast(OuterRef("action__created_at"), DateField())
            ),
        ).order_by("-effective_on")
        usd_rate = Case(
            When(currency=Currency.USD, then=Value(Decimal(1))), default=Subquery(rate.values("usd_per_unit")[:1])
        )
        return self.annotate(
            amount_usd=ExpressionWrapper(
                F("amount") * usd_rate, output_field=models.DecimalField(max_digits=30, decimal_places=10)
            )
        )

    def of_approved_actions(self, *, cities, start=None, end=None):
        """Funds of the approved actions of `cities` started within [start, end] (either bound may
        be left open). Joined to their actions rather than `action__in` a subquery, which made
        PostgreSQL hash every approved action of the period first."""
        funds = self.filter(action__status=Action.Status.APPROVED, action__city__in=cities)
        if start is not None:
            funds = funds.filter(action__started_on__gte=start)
        if end is not None:
            funds = funds.filter(action__started_on__lte=end)
        return funds

    def per_stage_and_currency(self, *, since=None):
        """One GROUP BY: per stage and currency, the amount, its USD equivalent and how many
        amounts have no exchange rate in force (left out of the USD sum, never guessed). With
        `since`, the same three again for the actions started on or after that day (`*_since`)."""
        recent = Q(action__started_on__gte=since) if since else None
        extra = {}
        if recent is not None:
            extra = {
                "amount_since": Sum("amount", filter=recent),
                "usd_since": Sum("amount_usd", filter=recent),
                "without_rate_since": Count("pk", filter=recent & Q(amount_usd__isnull=True)),
            }
        return (
            self.with_usd()
            .values("stage", "currency")
            .annotate(
                **extra,  # first: once `amount` names the sum, Sum("amount") would refer to it
                amount=Sum("amount"),
                usd=Sum("amount_usd"),
                without_rate=Count("pk", filter=Q(amount_usd__isnull=True)),
            )
            .order_by("stage", "currency")
        )


class Fund(models.Model):
    """Money an action identified, applied for, won or received (commitment 1.4)."""

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identificado")
        APPLIED = "applied", _("Solicitado")
        AWARDED = "awarded", _("Otorgado")
        DISBURSED = "disbursed", _("Desembolsado")

    # Money sought (identified, applied for) and money secured (awarded, disbursed) are two
    # figures on every page and export, never added together: sought money may never come.
    SOUGHT = (Stage.IDENTIFIED, Stage.APPLIED)
    SECURED = (Stage.AWARDED, Stage.DISBURSED)

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funds")
    amount = models.DecimalField(_("monto"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("moneda"), max_length=3, choices=Currency, default=Currency.USD)
    funder = models.CharField(_("fuente de financiamiento"), max_length=200, validators=[validate_single_line])
    stage = models.CharField(_("etapa"), max_length=10, choices=Stage, default=Stage.IDENTIFIED)

    objects = FundQuerySet.as_manager()
    history = HistoricalRecords()  # the action's timeline: each fund added, changed, removed

    class Meta:
        ordering = ["pk"]
        verbose_name = _("fondo")
        verbose_name_plural = _("fondos")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} · {self.funder}"


def evidence_upload_to(evidence, filename):
    """A generated name: nothing the uploader chose reaches the disk path."""
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{evidence.extension}"


class Evidence(models.Model):
    """A file or a link that shows an action happened."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("archivo"), upload_to=evidence_upload_to, blank=True)
    original_name = models.CharField(_("nombre original"), max_length=255, blank=True)
    content_type = models.CharField(_("tipo"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("tamaño en bytes"), null=True, blank=True)
    url = models.URLField(_("enlace"), max_length=500, blank=True)
    title = models.CharField(_("descripción"), max_length=200, blank=True, validators=[validate_single_line])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("subida el"), auto_now_add=True)

    # Set by the upload service from the detected content type, before the file is saved.
    extension = ""
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_file_or_link",
                violation_error_message=_("Una evidencia es un archivo o un enlace, no ambos."),
            ),
        ]

    def __str__(self):
        return self.title or self.original_name or self.url

    @property
    def is_file(self):
        return bool(self.file)
