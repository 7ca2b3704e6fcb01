"""Commitment 1.4: each city's transition plan and its funding pipeline.

A plan (diagnosis, strategy, milestones on three horizons) is kept by the city's ambassador and
approved by a coordinator of its country; revising an approved plan starts a new version and
keeps the earlier one, so a report can show the plan in force on any day. The pipeline is the
city's funding opportunities, each moving identified → preparing → submitted → awarded /
rejected / withdrawn through one service that records who moved it, when and why; an awarded
one receives dated disbursements. Every figure of money on every page, report and export reads
the pipeline (funding.figures). Who sees any of it: the city's scope (ambassadors.scope).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ambassadors.models import City
from ambassadors.scope import city_scope_filter, review_scope_filter, roles_of
from commitments.models import Action, Commitment, Currency, Horizon, Target, usd_per_unit
from core.models import ConstraintErrorsAtFields
from core.validators import validate_single_line, validate_text

MONEY = {"max_digits": 16, "decimal_places": 2}


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows of the cities in the user's scope: the city's ambassador, the coordinators of its
        country, admins. The one place this rule lives for plans and the pipeline."""
        return self.filter(city_scope_filter(user, prefix="city__"))


# The catalogue of funders (admins keep it) -------------------------------------------------


class Funder(models.Model):
    class Kind(models.TextChoices):
        DEVELOPMENT_BANK = "bank", _("Banco multilateral de desarrollo")
        COOPERATION_AGENCY = "agency", _("Agencia de cooperación")
        CLIMATE_FUND = "climate", _("Fondo climático")
        FOUNDATION = "foundation", _("Fundación")
        NATIONAL_PROGRAMME = "national", _("Programa nacional")
        PRIVATE = "private", _("Empresa privada")
        OTHER = "other", _("Otro")

    name = models.CharField(_("nombre"), max_length=200, unique=True, validators=[validate_single_line])
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind, default=Kind.OTHER)
    country = CountryField(_("país"), blank=True, help_text=_("Vacío para un financiador regional o internacional."))
    website = models.URLField(_("sitio web"), max_length=300, blank=True)
    active = models.BooleanField(
        _("activo"), default=True, help_text=_("Solo los activos se ofrecen al registrar una oportunidad.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("financiador")
        verbose_name_plural = _("financiadores")

    def __str__(self):
        return self.name


# The transition plan ---------------------------------------------------------------------


class PlanQuerySet(ScopedQuerySet):
    def in_force(self, *, on=None):
        """Per city, the version approved last on or before `on` (today when None): the plan in
        force that day. Earlier approved versions stay, superseded."""
        moment = timezone.now() if on is None else on
        newer = TransitionPlan.objects.filter(
            city=models.OuterRef("city"), approved_at__isnull=False, approved_at__lte=moment,
            approved_at__gt=models.OuterRef("approved_at"),
        )  # fmt: skip
        return self.filter(approved_at__isnull=False, approved_at__lte=moment).exclude(models.Exists(newer))

    def latest_version(self):
        """The last version (of one city's plans), or None."""
        return self.order_by("-version").first()

    def awaiting_review_by(self, user):
        """The versions sent for review that this user may decide on: coordinators of the city's
        country and admins, never the one who sent it. The one place this rule lives."""
        roles = roles_of(user)
        if not (roles.is_admin or roles.is_coordinator):
            return self.none()
        sent_by_them = PlanStatusChange.objects.filter(
            plan=models.OuterRef("pk"), by=user, to_status=TransitionPlan.Status.SUBMITTED
        )
        return self.filter(review_scope_filter(user, prefix="city__"), status=TransitionPlan.Status.SUBMITTED).exclude(
            models.Exists(sent_by_them)
        )


class TransitionPlan(ConstraintErrorsAtFields, models.Model):
    """One version of a city's transition plan: its diagnosis, its strategy and its milestones.

    draft → submitted → approved, or returned (→ submitted again). Once approved a version is
    never edited again: revising it starts the next version as a draft copy."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviado a revisión")
        RETURNED = "returned", _("Devuelto con comentarios")
        APPROVED = "approved", _("Aprobado")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="transition_plans", verbose_name=_("ciudad"))
    version = models.PositiveIntegerField(_("versión"), default=1)
    status = models.CharField(_("estado"), max_length=10, choices=Status, default=Status.DRAFT)
    diagnosis_summary = models.TextField(
        _("diagnóstico"),
        blank=True,
        validators=[validate_text],
        help_text=_("Dónde está la ciudad hoy: emisiones, riesgos, capacidades, brechas."),
    )
    diagnosis_on = models.DateField(_("fecha del diagnóstico"), null=True, blank=True)
    strategy = models.TextField(
        _("estrategia y prioridades"),
        blank=True,
        validators=[validate_text],
        help_text=_("Las prioridades de la transición, una por línea."),
    )
    commitments = models.ManyToManyField(
        Commitment, blank=True, related_name="transition_plans", verbose_name=_("compromisos que atiende")
    )
    revision_reason = models.TextField(_("motivo de la revisión"), blank=True, validators=[validate_text])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    submitted_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    approved_at = models.DateTimeField(_("en vigor desde"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    CONSTRAINT_FIELDS = {"plan_one_open_version_per_city": "diagnosis_summary"}

    class Meta:
        ordering = ["city", "-version"]
        verbose_name = _("plan de transición")
        verbose_name_plural = _("planes de transición")
        constraints = [
            models.UniqueConstraint(fields=["city", "version"], name="plan_one_row_per_version"),
            models.UniqueConstraint(
                fields=["city"],
                condition=~Q(status="approved"),
                name="plan_one_open_version_per_city",
                violation_error_message=_("La ciudad ya tiene una versión del plan en preparación."),
            ),
            models.CheckConstraint(
                condition=Q(status="approved", approved_at__isnull=False) | ~Q(status="approved"),
                name="plan_approved_has_date",
            ),
        ]

    def __str__(self):
        return _("Plan de transición de %(city)s, versión %(version)s") % {"city": self.city, "version": self.version}

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def priorities(self):
        return [line.strip() for line in self.strategy.splitlines() if line.strip()]


class PlanStatusChange(models.Model):
    """One step of a plan version's review: who moved it, from which status to which, and why."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("de"), max_length=10, choices=TransitionPlan.Status, blank=True)
    to_status = models.CharField(_("a"), max_length=10, choices=TransitionPlan.Status)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("por"))
    at = models.DateTimeField(_("cuándo"))
    comment = models.TextField(_("comentario"), blank=True, validators=[validate_text])

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cambio de estado de un plan")
        verbose_name_plural = _("historial de estados de planes")

    def __str__(self):
        return f"{self.plan_id}: {self.from_status or '∅'} → {self.to_status}"


class MilestoneQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Milestone.CLOSED)

    def overdue(self, *, today):
        return self.open().filter(due_on__lt=today)


class Milestone(ConstraintErrorsAtFields, models.Model):
    """A step of a plan on one of the three horizons. Its status is progress, kept up to date on
    the plan in force without a new version; what it is (title, date, who, what it serves) is
    changed by revising the plan. `origin` is the same milestone in the version it was copied
    from, so a milestone can be followed across versions."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Previsto")
        IN_PROGRESS = "in_progress", _("En curso")
        DONE = "done", _("Cumplido")
        DROPPED = "dropped", _("Descartado")

    CLOSED = (Status.DONE, Status.DROPPED)

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="milestones")
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", editable=False
    )
    horizon = models.CharField(_("horizonte"), max_length=6, choices=Horizon, default=Horizon.SHORT)
    title = models.CharField(_("hito"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("descripción"), blank=True, validators=[validate_text])
    due_on = models.DateField(_("fecha prevista"))
    responsible = models.CharField(
        _("responsable"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("La persona o la oficina que lo lleva adelante."),
    )
    commitments = models.ManyToManyField(
        Commitment, blank=True, related_name="milestones", verbose_name=_("compromisos")
    )
    targets = models.ManyToManyField(Target, blank=True, related_name="milestones", verbose_name=_("metas"))
    status = models.CharField(_("estado"), max_length=12, choices=Status, default=Status.PLANNED)
    status_changed_at = models.DateTimeField(_("estado actualizado el"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("hito del plan")
        verbose_name_plural = _("hitos del plan")

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        return self.status not in self.CLOSED and self.due_on < today


# Documents of a diagnosis or of an opportunity ---------------------------------------------


def document_upload_to(document, filename):
    """A generated name: nothing the uploader chose reaches the disk path."""
    return f"funding/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{document.extension}"


class Document(models.Model):
    """A file or a link: the diagnosis's studies, a call's terms, an application as sent. It
    belongs to one plan version or to one opportunity."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    opportunity = models.ForeignKey(
        "Opportunity", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("descripción"), max_length=200, blank=True, validators=[validate_single_line])
    file = models.FileField(_("archivo"), upload_to=document_upload_to, blank=True)
    original_name = models.CharField(_("nombre original"), max_length=255, blank=True)
    content_type = models.CharField(_("tipo"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("tamaño en bytes"), null=True, blank=True)
    url = models.URLField(_("enlace"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("subido el"), auto_now_add=True)

    extension = ""  # set by the upload service from the detected content type
    history = HistoricalRecords()  # who added and removed what; uploads removed still count per hour

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="funding_document_file_or_link",
                violation_error_message=_("Un documento es un archivo o un enlace, no ambos."),
            ),
            models.CheckConstraint(
                condition=Q(plan__isnull=True, opportunity__isnull=False)
                | Q(plan__isnull=False, opportunity__isnull=True),
                name="funding_document_one_owner",
            ),
        ]

    def __str__(self):
        return self.title or self.original_name or self.url


# The pipeline ----------------------------------------------------------------------------


class OpportunityQuerySet(ScopedQuerySet):
    def with_usd(self):
        """usd_rate: the rate in force on the day the opportunity was identified, for every
        amount of it (sought, awarded, disbursed), so its figures add up in USD as they do in
        its currency."""
        return self.annotate(usd_rate=usd_per_unit())

    def identified_between(self, start=None, end=None):
        found = self
        if start is not None:
            found = found.filter(identified_on__gte=start)
        if end is not None:
            found = found.filter(identified_on__lte=end)
        return found

    def upcoming_deadlines(self, *, today, within_days=None):
        """Opportunities still being prepared (identified or preparing) whose deadline is today or later."""
        found = self.filter(stage__in=Opportunity.BEFORE_SUBMISSION, deadline__gte=today)
        if within_days is not None:
            found = found.filter(deadline__lte=today + timezone.timedelta(days=within_days))
        return found.order_by("deadline", "pk")


class Opportunity(ConstraintErrorsAtFields, models.Model):
    """Money a city seeks from a funder for its transition: a call or an instrument, an amount in
    its currency, the milestones and actions it would finance, and where it stands."""

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identificada")
        PREPARING = "preparing", _("En preparación")
        SUBMITTED = "submitted", _("Presentada")
        AWARDED = "awarded", _("Otorgada")
        REJECTED = "rejected", _("Rechazada")
        WITHDRAWN = "withdrawn", _("Retirada")

    BEFORE_SUBMISSION = (Stage.IDENTIFIED, Stage.PREPARING)
    OPEN = (Stage.IDENTIFIED, Stage.PREPARING, Stage.SUBMITTED)
    DECIDED = (Stage.AWARDED, Stage.REJECTED)  # the funder said yes or no (conversion = awarded ÷ decided)
    # Which stage may follow which; the service refuses any other move.
    NEXT = {
        Stage.IDENTIFIED: (Stage.PREPARING, Stage.SUBMITTED, Stage.WITHDRAWN),
        Stage.PREPARING: (Stage.IDENTIFIED, Stage.SUBMITTED, Stage.WITHDRAWN),
        Stage.SUBMITTED: (Stage.AWARDED, Stage.REJECTED, Stage.WITHDRAWN),
        Stage.AWARDED: (),
        Stage.REJECTED: (),
        Stage.WITHDRAWN: (Stage.IDENTIFIED,),
    }

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("ciudad"))
    funder = models.ForeignKey(
        Funder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("financiador"),
    )
    funder_name = models.CharField(
        _("otro financiador"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Si el financiador no está en la lista."),
    )
    title = models.CharField(
        _("convocatoria o instrumento"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("El nombre de la convocatoria, el préstamo o la donación."),
    )
    deadline = models.DateField(_("fecha límite"), null=True, blank=True)
    amount = models.DecimalField(_("monto solicitado"), **MONEY)
    currency = models.CharField(_("moneda"), max_length=3, choices=Currency, default=Currency.USD)
    amount_awarded = models.DecimalField(_("monto otorgado"), null=True, blank=True, **MONEY)
    identified_on = models.DateField(
        _("identificada el"),
        default=timezone.localdate,
        help_text=_("Su monto se convierte a dólares con el tipo de cambio vigente ese día."),
    )
    stage = models.CharField(_("etapa"), max_length=10, choices=Stage, default=Stage.IDENTIFIED)
    stage_changed_at = models.DateTimeField(_("etapa actualizada el"), null=True, blank=True)
    decided_on = models.DateField(_("decidida el"), null=True, blank=True)
    milestones = models.ManyToManyField(
        Milestone, blank=True, related_name="opportunities", verbose_name=_("hitos que financiaría")
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="opportunities", verbose_name=_("acciones que financiaría")
    )
    notes = models.TextField(_("notas"), blank=True, validators=[validate_text])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = OpportunityQuerySet.as_manager()
    history = HistoricalRecords()

    CONSTRAINT_FIELDS = {
        "opportunity_amount_positive": "amount",
        "opportunity_awarded_positive": "amount_awarded",
        "opportunity_names_its_funder": "funder",
    }

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("oportunidad de financiamiento")
        verbose_name_plural = _("oportunidades de financiamiento")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="opportunity_amount_positive",
                violation_error_message=_("El monto debe ser mayor que cero."),
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gt=0),
                name="opportunity_awarded_positive",
                violation_error_message=_("El monto otorgado debe ser mayor que cero."),
            ),
            models.CheckConstraint(
                condition=Q(funder__isnull=False) | ~Q(funder_name=""),
                name="opportunity_names_its_funder",
                violation_error_message=_("Elija un financiador de la lista o escriba su nombre."),
            ),
            models.CheckConstraint(
                condition=Q(stage="awarded", amount_awarded__isnull=False) | ~Q(stage="awarded"),
                name="opportunity_awarded_has_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["city", "stage"], name="opportunity_city_stage_idx"),
            models.Index(fields=["stage", "deadline"], name="opportunity_stage_deadline_idx"),
        ]

    def __str__(self):
        return f"{self.funder_label} · {self.title}"

    @property
    def funder_label(self):
        return self.funder.name if self.funder_id else self.funder_name

    @property
    def next_stages(self):
        return self.NEXT[self.stage]


class OpportunityStageChange(models.Model):
    """One move of an opportunity through the pipeline: who, when, from, to, and why."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("de"), max_length=10, choices=Opportunity.Stage, blank=True)
    to_stage = models.CharField(_("a"), max_length=10, choices=Opportunity.Stage)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("por")
    )
    at = models.DateTimeField(_("cuándo"))
    comment = models.TextField(_("comentario"), blank=True, validators=[validate_text])

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cambio de etapa")
        verbose_name_plural = _("historial de etapas")

    def __str__(self):
        return f"{self.opportunity_id}: {self.from_stage or '∅'} → {self.to_stage}"


class Disbursement(ConstraintErrorsAtFields, models.Model):
    """Money of an awarded opportunity actually received, on a day, in the opportunity's currency."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="disbursements")
    amount = models.DecimalField(_("monto"), **MONEY)
    received_on = models.DateField(_("recibido el"))
    note = models.CharField(_("nota"), max_length=200, blank=True, validators=[validate_single_line])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    recorded_at = models.DateTimeField(_("registrado el"), default=timezone.now)

    history = HistoricalRecords()

    CONSTRAINT_FIELDS = {"disbursement_amount_positive": "amount"}

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("desembolso")
        verbose_name_plural = _("desembolsos")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                violation_error_message=_("El monto debe ser mayor que cero."),
            ),
        ]

    def __str__(self):
        return f"{self.amount} · {self.received_on}"
