"""The details of three kinds of action: a training (1.2, the school), a participation mechanism
(1.3) and a public policy (2.1). Each is a one-to-one with its action, which keeps the workflow,
evidence, history and the people reached: for a training or a mechanism those are its
participants, counted by group on the action (commitments.models.PEOPLE_GROUPS)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commitments.models import Action
from core.models import ConstraintErrorsAtFields
from core.validators import validate_single_line, validate_text


def _null_or_between(field, low, high):
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})


def _null_or_not_negative(field):
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})


class Training(ConstraintErrorsAtFields, models.Model):
    """A course or workshop: its sessions, facilitators, the public servants among its
    participants, certificates and evaluation."""

    class Format(models.TextChoices):
        COURSE = "course", _("Curso")
        WORKSHOP = "workshop", _("Taller")
        DIPLOMA = "diploma", _("Diplomado")
        TALK = "talk", _("Charla o conversatorio")

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("Presencial")
        ONLINE = "online", _("En línea")
        HYBRID = "hybrid", _("Híbrida")

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, primary_key=True, related_name="training", verbose_name=_("acción")
    )
    format = models.CharField(_("formato"), max_length=10, choices=Format)
    modality = models.CharField(_("modalidad"), max_length=10, choices=Modality)
    facilitators = models.TextField(
        _("facilitadores"),
        blank=True,
        max_length=2000,
        help_text=_("Una persona por línea."),
        validators=[validate_text],
    )
    public_servants = models.IntegerField(_("servidores públicos entre los participantes"), null=True, blank=True)
    certificates_issued = models.IntegerField(_("certificados emitidos"), null=True, blank=True)
    satisfaction = models.DecimalField(
        _("satisfacción media (1 a 5)"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    score_before = models.DecimalField(
        _("puntaje antes (0 a 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score_after = models.DecimalField(
        _("puntaje después (0 a 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formación")
        verbose_name_plural = _("formaciones")
        constraints = [
            models.CheckConstraint(
                condition=_null_or_not_negative("public_servants") & _null_or_not_negative("certificates_issued"),
                name="training_counts_not_negative",
                violation_error_message=_("No puede ser un número negativo."),
            ),
            models.CheckConstraint(
                condition=_null_or_between("satisfaction", 1, 5),
                name="training_satisfaction_1_to_5",
                violation_error_message=_("La satisfacción media va de 1 a 5."),
            ),
            models.CheckConstraint(
                condition=_null_or_between("score_before", 0, 100) & _null_or_between("score_after", 0, 100),
                name="training_scores_0_to_100",
                violation_error_message=_("Los puntajes van de 0 a 100."),
            ),
        ]

    CONSTRAINT_FIELDS = {
        "training_satisfaction_1_to_5": "satisfaction",
    }

    def __str__(self):
        return str(self.action)


class TrainingSession(models.Model):
    """One day of a training, with its hours."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("fecha"))
    hours = models.DecimalField(_("horas"), max_digits=4, decimal_places=2)
    topic = models.CharField(_("tema"), max_length=200, blank=True, validators=[validate_single_line])

    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24),
                name="trainingsession_hours_in_a_day",
                violation_error_message=_("Una sesión dura más de 0 y hasta 24 horas."),
            ),
        ]

    def __str__(self):
        return f"{self.held_on} ({self.hours} h)"


class ParticipationMechanism(models.Model):
    """How citizens took part (participatory budgeting, an open council…), how accessible it
    was, and the decisions their participation changed."""

    class Mechanism(models.TextChoices):
        PARTICIPATORY_BUDGETING = "budgeting", _("Presupuesto participativo")
        OPEN_COUNCIL = "open_council", _("Cabildo abierto")
        PUBLIC_CONSULTATION = "consultation", _("Consulta pública")
        CITIZENS_ASSEMBLY = "assembly", _("Asamblea ciudadana")
        ROUNDTABLE = "roundtable", _("Mesa de diálogo")
        DIGITAL_PLATFORM = "digital", _("Plataforma digital")
        OTHER = "other", _("Otro")

    # The accessibility measures, in the order the form shows them.
    ACCESSIBILITY = [
        "sign_language",
        "easy_read",
        "step_free_venue",
        "online_option",
        "indigenous_interpretation",
        "childcare",
    ]

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, primary_key=True, related_name="participation", verbose_name=_("acción")
    )
    mechanism = models.CharField(_("mecanismo"), max_length=12, choices=Mechanism)
    sign_language = models.BooleanField(_("lengua de señas"), default=False)
    easy_read = models.BooleanField(_("lectura fácil"), default=False)
    step_free_venue = models.BooleanField(_("lugar accesible sin escalones"), default=False)
    online_option = models.BooleanField(_("opción en línea"), default=False)
    indigenous_interpretation = models.BooleanField(_("interpretación a lenguas indígenas"), default=False)
    childcare = models.BooleanField(_("cuidado infantil"), default=False)
    decisions_changed = models.TextField(
        _("decisiones que cambió la participación"),
        blank=True,
        max_length=4000,
        help_text=_("Una por línea: qué decidió o cambió el gobierno local por lo que dijo la ciudadanía."),
        validators=[validate_text],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mecanismo de participación")
        verbose_name_plural = _("mecanismos de participación")

    def __str__(self):
        return str(self.action)

    @property
    def measures(self):
        """The accessibility measures offered, by their labels."""
        return [self._meta.get_field(name).verbose_name for name in self.ACCESSIBILITY if getattr(self, name)]


class PublicPolicy(ConstraintErrorsAtFields, models.Model):
    """An ordinance, programme or plan: its stage, when it was adopted, whom it covers."""

    class Instrument(models.TextChoices):
        ORDINANCE = "ordinance", _("Ordenanza")
        DECREE = "decree", _("Decreto")
        PROGRAMME = "programme", _("Programa")
        PLAN = "plan", _("Plan")
        OTHER = "other", _("Otro")

    class Stage(models.TextChoices):
        DRAFTING = "drafting", _("En elaboración")
        CONSULTATION = "consultation", _("En consulta")
        ADOPTED = "adopted", _("Adoptada")
        IMPLEMENTING = "implementing", _("En implementación")
        EVALUATED = "evaluated", _("Evaluada")

    # The stages of an adopted policy: it has an adoption date, and counts as adopted.
    ADOPTED_STAGES = [Stage.ADOPTED, Stage.IMPLEMENTING, Stage.EVALUATED]

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, primary_key=True, related_name="policy", verbose_name=_("acción")
    )
    instrument = models.CharField(_("instrumento"), max_length=10, choices=Instrument)
    stage = models.CharField(_("etapa"), max_length=12, choices=Stage)
    adopted_on = models.DateField(_("fecha de adopción"), null=True, blank=True)
    population_covered = models.BigIntegerField(_("población cubierta"), null=True, blank=True)
    official_text_url = models.URLField(_("enlace al texto oficial"), max_length=500, blank=True)
    disaster_risk_strategy = models.BooleanField(
        _("estrategia local de reducción del riesgo de desastres"),
        default=False,
        help_text=_("Cuenta para los indicadores ODS 11.b.2 y 13.1.3 (Marco de Sendai)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("política pública")
        verbose_name_plural = _("políticas públicas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage__in=["adopted", "implementing", "evaluated"]) | Q(adopted_on__isnull=False),
                name="policy_adopted_has_date",
                violation_error_message=_("Indique la fecha de adopción de una política adoptada."),
            ),
            models.CheckConstraint(
                condition=_null_or_not_negative("population_covered"),
                name="policy_population_not_negative",
                violation_error_message=_("No puede ser un número negativo."),
            ),
        ]

    CONSTRAINT_FIELDS = {
        "policy_adopted_has_date": "adopted_on",
        "policy_population_not_negative": "population_covered",
    }

    def __str__(self):
        return str(self.action)
