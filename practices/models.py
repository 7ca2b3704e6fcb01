"""Good practices a city shares with the network (commitment 1.1), the cities that replicate
them, and the exchanges between cities that spread them.

A practice is written from approved actions of its city, reviewed by a coordinator of that
city's country, and once published every member of the network may read it. Until then only
its city's scope sees it (ambassadors.scope). A replication is a city's "we are doing this
too", with actions of its own linked to it; its state is read from those actions, never stored.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from translated_fields import TranslatedField

from ambassadors.models import Ambassador, City
from ambassadors.scope import city_scope_filter, review_scope_filter, roles_of
from axes.sdg import SDG_GOALS
from commitments.models import Action, Commitment, Currency, Evidence, FocusArea
from core.models import ConstraintErrorsAtFields
from core.validators import validate_single_line, validate_text


def is_network_member(user):
    """Ambassadors in office, coordinators and admins: the people who read the library."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator or roles.is_ambassador


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Practice.Status.PUBLISHED)

    def visible_to(self, user):
        """Published practices for every member of the network; a practice not yet published
        (draft, waiting, returned) only for its city's scope: its ambassador, the coordinators
        of its country, admins. The one place this rule lives."""
        if roles_of(user).is_admin:
            return self.all()  # (an admin's scope is Q(), which an OR would drop)
        if not is_network_member(user):
            return self.none()
        return self.filter(Q(status=Practice.Status.PUBLISHED) | city_scope_filter(user, prefix="city__"))

    def in_city_scope_of(self, user):
        """The practices of the cities the user works on (not the whole library)."""
        return self.filter(city_scope_filter(user, prefix="city__"))

    def reviewable_by(self, user):
        """Practices this user may decide on: coordinators of its country and admins, never its author."""
        roles = roles_of(user)
        if not (roles.is_admin or roles.is_coordinator):
            return self.none()
        sent_by_them = PracticeStatusChange.objects.filter(
            practice=OuterRef("pk"), by=user, to_status=Practice.Status.SUBMITTED
        )
        # Never one's own: neither as its author nor as the one who sent it (a coordinator who
        # took over the city and finished the predecessor's draft).
        return (
            self.filter(review_scope_filter(user, prefix="city__"))
            .exclude(author__user=user)
            .exclude(Exists(sent_by_them))
        )

    def awaiting_review_by(self, user):
        return self.reviewable_by(user).filter(status=Practice.Status.SUBMITTED)

    def with_replication_counts(self):
        """replication_count (every city that said it replicates it) and replications_done."""
        done = Replication.objects.done().filter(practice=OuterRef("pk"))
        return self.annotate(
            replication_count=Count("replications", distinct=True),
            replications_done=Count("replications", filter=Q(replications__in=done.values("pk")), distinct=True),
        )


class Practice(ConstraintErrorsAtFields, models.Model):
    """A successful practice of a city's government, told so that another city can do it too."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada a revisión")
        PUBLISHED = "published", _("Publicada")
        RETURNED = "returned", _("Devuelta con comentarios")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="practices", verbose_name=_("ciudad"))
    author = models.ForeignKey(
        Ambassador, on_delete=models.PROTECT, related_name="practices", verbose_name=_("embajador")
    )
    title = models.CharField(_("título"), max_length=200, validators=[validate_single_line])
    summary = TranslatedField(
        models.TextField(
            _("resumen"),
            blank=True,
            max_length=1500,
            help_text=_("Dos o tres frases. Escríbalo en cada idioma que pueda; los demás verán el que haya."),
            validators=[validate_text],
        )
    )
    problem = models.TextField(_("qué problema atendía"), blank=True, validators=[validate_text])
    what_was_done = models.TextField(_("qué se hizo"), blank=True, validators=[validate_text])
    results = models.TextField(
        _("resultados"),
        blank=True,
        help_text=_("Los valores de indicadores de las acciones enlazadas se muestran junto a este texto."),
        validators=[validate_text],
    )
    cost = models.DecimalField(_("costo"), max_digits=14, decimal_places=2, null=True, blank=True)
    cost_currency = models.CharField(_("moneda del costo"), max_length=3, choices=Currency, blank=True)
    funding = models.TextField(_("cómo se financió"), blank=True, validators=[validate_text])
    partners = models.TextField(
        _("organizaciones aliadas"), blank=True, help_text=_("Una por línea."), validators=[validate_text]
    )
    lessons = models.TextField(_("lecciones aprendidas"), blank=True, validators=[validate_text])
    how_to_replicate = models.TextField(_("cómo replicarla"), blank=True, validators=[validate_text])
    # Whoever said "show my name and email" (the services set it to the person saving the form,
    # so a successor never publishes a predecessor's address); None: no contact is shown.
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contacto"),
    )
    actions = models.ManyToManyField(
        Action, related_name="practices", verbose_name=_("acciones aprobadas de las que nace")
    )
    commitments = models.ManyToManyField(Commitment, related_name="practices", verbose_name=_("compromisos"))
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="practices", verbose_name=_("áreas de enfoque")
    )
    evidence = models.ManyToManyField(
        Evidence,
        blank=True,
        related_name="practices",
        verbose_name=_("fotos y documentos compartidos"),
        help_text=_("Solo estas evidencias se muestran fuera de su ciudad."),
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(_("destacada"), default=False)
    submitted_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicada el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    # What a search reads, without case or accents (core.text.folded), written by the services on
    # every change (search.py): the words themselves for SQLite, and on PostgreSQL their Spanish
    # and Portuguese full-text vector, GIN-indexed (the migration adds the index there only).
    search_document = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    AUTHOR_FIELDS = [
        "title",
        "summary_es",
        "summary_en",
        "summary_pt_br",
        "problem",
        "what_was_done",
        "results",
        "cost",
        "cost_currency",
        "funding",
        "partners",
        "lessons",
        "how_to_replicate",
    ]

    objects = PracticeQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=["actions", "commitments", "focus_areas", "evidence"],
        excluded_fields=["search_document", "search_vector"],
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="practice_cost_not_negative",
                violation_error_message=_("El costo no puede ser negativo."),
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | ~Q(cost_currency=""),
                name="practice_cost_has_currency",
                violation_error_message=_("Indique la moneda del costo."),
            ),
        ]
        indexes = [
            # The library: published practices, newest first.
            models.Index(fields=["status", "-published_at"], name="practice_status_published_idx"),
            models.Index(fields=["city", "status"], name="practice_city_status_idx"),
        ]

    CONSTRAINT_FIELDS = {"practice_cost_not_negative": "cost", "practice_cost_has_currency": "cost_currency"}

    def __str__(self):
        return self.title

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def summary_text(self):
        """The summary in the reader's language, else the first one written, in the order of LANGUAGES."""
        language = (translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_").lower()
        preferred = f"summary_{language}"
        candidates = [preferred, *(name for name in type(self).summary.fields if name != preferred)]
        return next((getattr(self, name) for name in candidates if getattr(self, name, "")), "")


class PracticeGoal(models.Model):
    """A Sustainable Development Goal the practice contributes to."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="goals")
    goal = models.PositiveSmallIntegerField(_("ODS"), choices=SDG_GOALS)

    class Meta:
        ordering = ["goal"]
        verbose_name = _("ODS de la práctica")
        verbose_name_plural = _("ODS de la práctica")
        constraints = [models.UniqueConstraint(fields=["practice", "goal"], name="practicegoal_once_per_practice")]
        indexes = [models.Index(fields=["goal", "practice"], name="practicegoal_goal_idx")]

    def __str__(self):
        return f"ODS {self.goal}"


class PracticeStatusChange(models.Model):
    """One step of a practice's review: who moved it from which status to which, and why."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("de"), max_length=10, choices=Practice.Status, blank=True)
    to_status = models.CharField(_("a"), max_length=10, choices=Practice.Status)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("por"))
    at = models.DateTimeField(_("cuándo"))
    comment = models.TextField(_("comentario"), blank=True, validators=[validate_text])

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cambio de estado de una práctica")
        verbose_name_plural = _("historial de estados de prácticas")

    def __str__(self):
        return f"{self.practice_id}: {self.from_status or '∅'} → {self.to_status}"


def completing(prefix=""):
    """A link whose action completes its replication: marked so, and approved after it was marked
    (a coordinator approved the action that says so; one approved before would make the replication
    done before it began). `prefix` reaches the links from another model ("links__")."""
    return Q(
        **{
            f"{prefix}completes": True,
            f"{prefix}action__status": Action.Status.APPROVED,
            f"{prefix}action__decided_at__gte": F(f"{prefix}linked_at"),
        }
    )


class ReplicationQuerySet(models.QuerySet):
    def done(self):
        """Replications with an approved action that says it completed the replication."""
        return self.filter(Exists(ReplicationAction.objects.filter(completing(), replication=OuterRef("pk"))))

    def with_state(self):
        """state ("planned", "in_progress", "done"), done_at (when the completing action was approved)
        and first_linked_at (when it went in progress)."""
        approved_completing = completing(prefix="links__")
        return self.annotate(
            done_at=Min("links__action__decided_at", filter=approved_completing),
            first_linked_at=Min("links__linked_at"),
            linked_actions=Count("links", distinct=True),
            state=models.Case(
                models.When(done_at__isnull=False, then=models.Value(Replication.State.DONE)),
                models.When(linked_actions__gt=0, then=models.Value(Replication.State.IN_PROGRESS)),
                default=models.Value(Replication.State.PLANNED),
                output_field=models.CharField(),
            ),
        )

    def visible_to(self, user):
        """A replication of a practice the user may read."""
        return self.filter(practice__in=Practice.objects.visible_to(user))


class Replication(models.Model):
    """A city that said "we are replicating this practice", with the actions it links to it."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planificada")
        IN_PROGRESS = "in_progress", _("En curso")
        DONE = "done", _("Realizada")

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="replications", verbose_name=_("práctica")
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="replications", verbose_name=_("ciudad"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrada por")
    )
    notes = models.TextField(_("cómo la adaptan"), blank=True, max_length=3000, validators=[validate_text])
    started_at = models.DateTimeField(_("registrada el"))
    actions = models.ManyToManyField(
        Action, through="ReplicationAction", related_name="replications", verbose_name=_("acciones de la réplica")
    )

    objects = ReplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "pk"]
        verbose_name = _("réplica")
        verbose_name_plural = _("réplicas")
        constraints = [models.UniqueConstraint(fields=["practice", "city"], name="replication_once_per_city")]
        indexes = [models.Index(fields=["city", "started_at"], name="replication_city_started_idx")]

    def __str__(self):
        return f"{self.practice} → {self.city}"

    @property
    def state_label(self):
        """The wording of `state`, read by with_state() (or set for a past day by practices.figures)."""
        return self.State(self.state).label


class ReplicationAction(models.Model):
    """An action of the replicating city, linked to the replication; `completes` says that, once
    approved, it is the action with which the city finished replicating the practice."""

    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="links")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="replication_links")
    completes = models.BooleanField(_("con esta acción la réplica queda realizada"), default=False)
    linked_at = models.DateTimeField(_("enlazada el"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["linked_at", "pk"]
        verbose_name = _("acción de una réplica")
        verbose_name_plural = _("acciones de réplicas")
        constraints = [models.UniqueConstraint(fields=["replication", "action"], name="replicationaction_once")]

    def __str__(self):
        return f"{self.replication_id} ← {self.action_id}"


class Exchange(ConstraintErrorsAtFields, models.Model):
    """A tie between cities: a twinning, a visit, a webinar, a peer-learning round. With network
    cities, partner cities outside the network, and the practices it spread."""

    class Kind(models.TextChoices):
        TWINNING = "twinning", _("Hermanamiento")
        VISIT = "visit", _("Visita")
        WEBINAR = "webinar", _("Webinar")
        PEER_LEARNING = "peer_learning", _("Aprendizaje entre pares")

    kind = models.CharField(_("tipo"), max_length=16, choices=Kind)
    title = models.CharField(_("título"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("qué se hizo"), blank=True, max_length=5000, validators=[validate_text])
    started_on = models.DateField(_("fecha"))
    ended_on = models.DateField(_("fecha de fin"), null=True, blank=True)
    cities = models.ManyToManyField(City, related_name="exchanges", verbose_name=_("ciudades de la red"))
    practices = models.ManyToManyField(
        Practice, blank=True, related_name="exchanges", verbose_name=_("prácticas que difundió")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    created_at = models.DateTimeField(_("registrado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    history = HistoricalRecords(m2m_fields=["cities", "practices"])

    CONSTRAINT_FIELDS = {"exchange_end_not_before_start": "ended_on"}

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("intercambio")
        verbose_name_plural = _("intercambios")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="exchange_end_not_before_start",
                violation_error_message=_("La fecha de fin no puede ser anterior a la de inicio."),
            ),
        ]

    def __str__(self):
        return self.title


class ExchangeParticipation(models.Model):
    """The details of an exchange action (commitments.kinds): the network's exchange it was part
    of, and the city's role in it. The exchange's page lists the actions logged for it."""

    class Role(models.TextChoices):
        ORGANISED = "organised", _("Organizó")
        HOSTED = "hosted", _("Recibió a otras ciudades")
        VISITED = "visited", _("Visitó otra ciudad")
        TOOK_PART = "took_part", _("Participó")

    action = models.OneToOneField(
        Action,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="exchange_participation",
        verbose_name=_("acción"),
    )
    exchange = models.ForeignKey(
        Exchange, on_delete=models.PROTECT, related_name="participations", verbose_name=_("intercambio")
    )
    role = models.CharField(_("papel de la ciudad"), max_length=10, choices=Role)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participación en un intercambio")
        verbose_name_plural = _("participaciones en intercambios")

    def __str__(self):
        return f"{self.action} → {self.exchange}"


class PartnerCity(models.Model):
    """A city outside the network that took part in an exchange."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="partner_cities")
    name = models.CharField(_("ciudad"), max_length=200, validators=[validate_single_line])
    country = CountryField(_("país"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("ciudad aliada fuera de la red")
        verbose_name_plural = _("ciudades aliadas fuera de la red")

    def __str__(self):
        return f"{self.name} ({self.country.code})"


class CommitmentFollow(models.Model):
    """A commitment someone follows: new practices on it go into their weekly summary."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_commitments")
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="followers")

    class Meta:
        verbose_name = _("compromiso seguido")
        verbose_name_plural = _("compromisos seguidos")
        constraints = [models.UniqueConstraint(fields=["user", "commitment"], name="commitmentfollow_once")]

    def __str__(self):
        return f"{self.user_id} → {self.commitment_id}"
