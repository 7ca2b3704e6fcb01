"""Actions, the steps of their workflow, the indicator values they achieved and their evidence."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambassadors.models import Ambassador, City
from ambassadors.scope import review_scope_filter, roles_of, work_scope_filter
from core.models import ConstraintErrorsAtFields
from core.validators import validate_single_line, validate_text

from .action_kinds import ActionKind
from .catalogue import Commitment, FocusArea, Indicator

# The reminders (reports.digests): a draft left unsent, a returned action not sent again, an
# action waiting for review, each after this many days.
DRAFT_REMINDER_DAYS = 14
RETURNED_REMINDER_DAYS = 7
REVIEW_REMINDER_DAYS = 7


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions of the cities in the user's scope, and for a while their own past work once
        their appointment ended (ambassadors/scope.py decides which)."""
        return self.filter(work_scope_filter(user))

    def for_list(self):
        """What a list row shows, in one query: commitment with its axis, city, author."""
        return self.select_related("commitment__axis", "city", "ambassador__user")

    def approved(self):
        return self.filter(status=Action.Status.APPROVED)

    def left_behind(self):
        """Unfinished actions (draft, or returned for changes) of an appointment that has ended:
        nobody can carry them on until the city's ambassador in office takes them over."""
        return self.filter(
            status__in=[Action.Status.DRAFT, Action.Status.RETURNED], ambassador__status=Ambassador.Status.ENDED
        )

    def reviewable_by(self, user):
        """The actions this user may decide on: coordinators those of their countries, admins
        any; nobody their own. The one place the review rule lives."""
        roles = roles_of(user)
        if not (roles.is_admin or roles.is_coordinator):
            return self.none()
        return self.filter(review_scope_filter(user, prefix="city__")).exclude(ambassador__user=user)

    def awaiting_review_by(self, user):
        return self.reviewable_by(user).filter(status=Action.Status.SUBMITTED)

    def stale_drafts(self, *, now):
        """Drafts created DRAFT_REMINDER_DAYS ago or more and never sent."""
        since = now - datetime.timedelta(days=DRAFT_REMINDER_DAYS)
        return self.filter(status=Action.Status.DRAFT, created_at__lt=since)

    def returned_not_resent(self, *, now):
        """Actions returned RETURNED_REMINDER_DAYS ago or more and not sent again."""
        since = now - datetime.timedelta(days=RETURNED_REMINDER_DAYS)
        return self.filter(status=Action.Status.RETURNED, decided_at__lt=since)

    def waiting_for_review(self, *, now):
        """Actions sent REVIEW_REMINDER_DAYS ago or more that nobody has decided on."""
        since = now - datetime.timedelta(days=REVIEW_REMINDER_DAYS)
        return self.filter(status=Action.Status.SUBMITTED, submitted_at__lt=since)


def may_review(reviewer, action):
    """reviewable_by's rule for one of ambassadors.scope.reviewers() and one action (with its
    city and author loaded), without a query: in the reviewer's countries, and not their own."""
    return action.ambassador.user_id != reviewer.user.pk and reviewer.covers(action.city.country_id)


# The groups counted among the people an action reached, beside the total: each is at most the
# total; women, men and other are its breakdown (their sum is at most the total too).
PEOPLE_GROUPS = [
    "women_reached",
    "men_reached",
    "other_reached",
    "youth_reached",
    "disability_reached",
    "indigenous_reached",
    "afro_reached",
]
# The groups that may overlap each other and the breakdown: each checked against the total alone.
OVERLAPPING_GROUPS = ["youth_reached", "disability_reached", "indigenous_reached", "afro_reached"]


def _not_above_total(group):
    return models.CheckConstraint(
        condition=Q(people_reached__isnull=True)
        | Q(**{f"{group}__isnull": True})
        | Q(**{f"{group}__lte": F("people_reached")}),
        name=f"action_{group.removesuffix('_reached')}_not_above_total",
        violation_error_message=_("No puede ser más que el total de personas alcanzadas."),
    )


class Action(ConstraintErrorsAtFields, models.Model):
    """Something an ambassador did to honour a commitment, logged with its evidence.

    draft → submitted → approved, or returned (→ submitted again). Only approved actions
    count in targets, dashboards and reports. Its kind says which details it carries beside
    its own fields (a training's sessions, a policy's instrument…): each kind's details are a
    one-to-one owned by another app, registered in commitments.kinds.
    """

    Kind = ActionKind

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
    kind = models.CharField(_("tipo de acción"), max_length=16, choices=Kind, default=Kind.GENERAL)
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
    disability_reached = models.IntegerField(_("personas con discapacidad"), null=True, blank=True)
    indigenous_reached = models.IntegerField(_("personas indígenas"), null=True, blank=True)
    afro_reached = models.IntegerField(_("personas afrodescendientes"), null=True, blank=True)
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
    # The key a phone gave the draft it typed (offline/): a resend of the same draft, after a lost
    # connection, finds this action instead of making a second one.
    client_key = models.UUIDField(_("clave del borrador en el teléfono"), null=True, blank=True, editable=False)

    # What the ambassador writes (the rest is the workflow's or a relation).
    AUTHOR_FIELDS = [
        "kind",
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
        "disability_reached",
        "indigenous_reached",
        "afro_reached",
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
                condition=Q(
                    *(
                        Q(**{f"{count}__isnull": True}) | Q(**{f"{count}__gte": 0})
                        for count in ["people_reached", *PEOPLE_GROUPS]
                    )
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
            *(_not_above_total(group) for group in OVERLAPPING_GROUPS),
            # One action per draft a phone sent, however often it sends it; also the index that
            # action_create's look-up by key reads.
            models.UniqueConstraint(fields=["ambassador", "client_key"], name="action_client_key_once_per_ambassador"),
        ]
        indexes = [
            # "Mis acciones" and the city pages: a city's actions, newest first.
            models.Index(fields=["city", "-started_on"], name="action_city_started_idx"),
            # The action list of a coordinator (many cities): its order, read newest first until a
            # page is full, instead of sorting the scope's every action.
            models.Index(fields=["-started_on", "-created_at", "-id"], name="action_list_order_idx"),
            # Targets' progress and dashboards: approved actions of a city.
            models.Index(fields=["city", "status"], name="action_city_status_idx"),
            # The review queue and the navigation's count of actions waiting: a few among many,
            # found without reading the rest (the scope's OR of subqueries defeats the index above).
            models.Index(fields=["city"], condition=Q(status="submitted"), name="action_submitted_city_idx"),
            # The review queue in its order (oldest submission first), read until a page is full.
            models.Index(fields=["submitted_at", "id"], condition=Q(status="submitted"), name="action_queue_order_idx"),
        ]

    # The checks above that concern one field: a form shows their error there (ConstraintErrorsAtFields).
    CONSTRAINT_FIELDS = {
        "action_end_not_before_start": "ended_on",
        "action_breakdown_not_above_total": "people_reached",
        **{f"action_{group.removesuffix('_reached')}_not_above_total": group for group in OVERLAPPING_GROUPS},
    }

    def __str__(self):
        return self.title

    def clean_fields(self, exclude=None):
        """A relation whose row the action holds, as read from the database, is not looked up
        again (Django's check is a query per relation): the services write actions with the
        appointment, city and commitment they have just read."""
        held = [
            field.name
            for field in self._meta.concrete_fields
            if field.is_relation
            and field.is_cached(self)
            and (row := field.get_cached_value(self)) is not None
            and not row._state.adding
            and row.pk == getattr(self, field.attname)
        ]
        super().clean_fields(exclude=[*(exclude or ()), *held])

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


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
            # One reviewer's decisions in a period (the review-time page's exact drill-down),
            # from the index alone.
            models.Index(
                fields=["by", "at", "city", "review_time"],
                condition=Q(to_status__in=["approved", "returned"]),
                name="statuschange_reviewer_idx",
            ),
            # A city's recent activity (and the city's foreign key: no index of its own).
            models.Index(fields=["city", "-at"], name="statuschange_city_at_idx"),
        ]

    def __str__(self):
        return f"{self.action_id}: {self.from_status or '∅'} → {self.to_status}"


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
