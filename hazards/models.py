"""A city's log of hazard events (floods, droughts, landslides, spills, heatwaves) and the
actions that prepared for or responded to them (commitment 3.1). The figures SDG 11.5 and 13.1
(the Sendai Framework's targets A to C) ask for come out of it: hazards.figures."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambassadors.models import City
from ambassadors.scope import city_scope_filter
from commitments.models import Action, Currency
from core.models import ConstraintErrorsAtFields
from core.validators import validate_single_line, validate_text

MONEY = {"max_digits": 16, "decimal_places": 2}


class HazardEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events of the cities in the user's scope (ambassadors/scope.py decides which)."""
        return self.filter(city_scope_filter(user, prefix="city__"))


class HazardEvent(ConstraintErrorsAtFields, models.Model):
    """Something that hit the city: when, where, whom, and what it cost."""

    class Hazard(models.TextChoices):
        FLOOD = "flood", _("Inundación")
        DROUGHT = "drought", _("Sequía")
        LANDSLIDE = "landslide", _("Deslizamiento")
        SPILL = "spill", _("Derrame o contaminación")
        HEATWAVE = "heatwave", _("Ola de calor")
        OTHER = "other", _("Otro")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="hazard_events", verbose_name=_("ciudad"))
    hazard = models.CharField(_("tipo de evento"), max_length=10, choices=Hazard)
    title = models.CharField(_("nombre"), max_length=200, validators=[validate_single_line])
    started_on = models.DateField(_("fecha de inicio"))
    ended_on = models.DateField(_("fecha de fin"), null=True, blank=True)
    area = models.CharField(
        _("zona afectada"),
        max_length=300,
        blank=True,
        help_text=_("Barrios, distritos o cuencas."),
        validators=[validate_single_line],
    )
    people_affected = models.IntegerField(_("personas afectadas"), null=True, blank=True)
    deaths = models.IntegerField(_("personas fallecidas"), null=True, blank=True)
    missing = models.IntegerField(_("personas desaparecidas"), null=True, blank=True)
    economic_loss = models.DecimalField(_("pérdida económica directa"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("moneda"), max_length=3, choices=Currency, default=Currency.USD)
    description = models.TextField(_("qué pasó"), blank=True, max_length=5000, validators=[validate_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    created_at = models.DateTimeField(_("registrado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = HazardEventQuerySet.as_manager()
    history = HistoricalRecords()

    # What the person recording the event writes.
    AUTHOR_FIELDS = [
        "hazard",
        "title",
        "started_on",
        "ended_on",
        "area",
        "people_affected",
        "deaths",
        "missing",
        "economic_loss",
        "currency",
        "description",
    ]

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("evento de riesgo")
        verbose_name_plural = _("eventos de riesgo")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="hazardevent_end_not_before_start",
                violation_error_message=_("La fecha de fin no puede ser anterior a la de inicio."),
            ),
            models.CheckConstraint(
                condition=Q(
                    *(
                        Q(**{f"{count}__isnull": True}) | Q(**{f"{count}__gte": 0})
                        for count in ("people_affected", "deaths", "missing", "economic_loss")
                    )
                ),
                name="hazardevent_figures_not_negative",
                violation_error_message=_("Las cifras no pueden ser negativas."),
            ),
        ]
        indexes = [models.Index(fields=["city", "-started_on"], name="hazardevent_city_started_idx")]

    CONSTRAINT_FIELDS = {"hazardevent_end_not_before_start": "ended_on"}

    def __str__(self):
        return self.title


class HazardResponse(models.Model):
    """The details of a hazard-response action: which of the city's events it prepared for,
    responded to or helped recover from."""

    class Phase(models.TextChoices):
        PREPARE = "prepare", _("Prevención y preparación")
        RESPOND = "respond", _("Respuesta")
        RECOVER = "recover", _("Recuperación")

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, primary_key=True, related_name="hazard_response", verbose_name=_("acción")
    )
    phase = models.CharField(_("fase"), max_length=8, choices=Phase)
    hazard = models.CharField(
        _("amenaza"),
        max_length=10,
        choices=HazardEvent.Hazard,
        blank=True,
        help_text=_("La amenaza a la que responde, con o sin un evento registrado."),
    )
    events = models.ManyToManyField(HazardEvent, blank=True, related_name="responses", verbose_name=_("eventos"))

    history = HistoricalRecords(m2m_fields=["events"])

    class Meta:
        verbose_name = _("preparación o respuesta")
        verbose_name_plural = _("preparaciones y respuestas")

    def __str__(self):
        return str(self.action)
