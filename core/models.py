from contextlib import nullcontext

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConstraintErrorsAtFields:
    """Model mixin: a failed check named in CONSTRAINT_FIELDS ({constraint name: field}) is
    reported at that field, so a form marks the field invalid with its message (Django puts every
    check among the errors of the whole form). The model's check constraints are asked in one
    query (Django asks one per check, inside a transaction each in a savepoint of its own)."""

    CONSTRAINT_FIELDS = {}

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            checks = [constraint for constraint in constraints if type(constraint) is models.CheckConstraint]
            failed = failed_checks(self, model_class, checks, exclude=exclude, using=using)
            for constraint in constraints:
                try:
                    if constraint.name in failed:
                        raise ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                    if all(constraint is not check for check in checks):
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.CONSTRAINT_FIELDS.get(constraint.name, NON_FIELD_ERRORS)
                    errors = ValidationError({field: error}).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def failed_checks(instance, model_class, checks, *, exclude, using):
    """The names of the check constraints among `checks` that `instance` fails, in one query, as
    CheckConstraint.validate decides each: a check naming an excluded field is not asked, a
    NULL passes. A database error (an overflow in a check's arithmetic) sends each check to
    Django's own validate, which passes the one that fails that way."""
    if not checks:
        return set()
    query = Query(None)
    for name, value in instance._get_field_expression_map(meta=model_class._meta, exclude=exclude).items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    asked = []
    for constraint in checks:
        passes = Coalesce(ExpressionWrapper(Q(constraint.condition), output_field=BooleanField()), Value(True))
        try:
            query.add_annotation(passes, f"_check_{len(asked)}")
        except FieldError:
            continue  # it names an excluded field
        asked.append(constraint)
    if not asked:
        return set()
    connection = connections[using]
    try:
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        failed = set()
        for constraint in asked:
            try:
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError:
                failed.add(constraint.name)
        return failed
    return {constraint.name for constraint, passed in zip(asked, row, strict=True) if not passed}


class EmailPreferences(models.Model):
    """What a person wants by email, and in which language. No row means the defaults.

    Every email reads its language here (core.mail.mail_queue), whichever app writes it."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Cada día que haya algo pendiente")
        WEEKLY = "weekly", _("Una vez por semana")
        NEVER = "never", _("Nunca")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences", verbose_name=_("persona")
    )
    reminders = models.CharField(_("recordatorios"), max_length=8, choices=Frequency, default=Frequency.DAILY)
    report_digests = models.BooleanField(_("informes de progreso listos"), default=True)
    weekly_summary = models.BooleanField(
        _("resumen semanal"), default=True, help_text=_("Solo para coordinadores: las cifras de la semana.")
    )
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("preferencias de correo")
        verbose_name_plural = _("preferencias de correo")

    def __str__(self):
        return str(self.user)


class OutgoingEmail(models.Model):
    """One email of the product, written (subject and body, in its reader's language) before
    it is sent. The key names what it tells (`decision:<notification>`, `digest:<digest>`), so
    asking twice for the same email writes one row; a task claims the row with a conditional
    UPDATE before sending, so two copies of the task send it once."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En cola")
        SENDING = "sending", _("Enviándose")
        SENT = "sent", _("Enviado")
        FAILED = "failed", _("Falló")

    key = models.CharField(
        _("clave"),
        max_length=100,
        unique=True,
        help_text=_("Lo que cuenta el correo, como «decision:12» o «digest:40»: uno por clave."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persona"),
    )
    to = models.EmailField(_("para"))
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    subject = models.TextField(_("asunto"), blank=True)
    body = models.TextField(_("texto"), blank=True)
    state = models.CharField(_("estado"), max_length=8, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    # When the next try should start: now for a new email, later for one waiting for a retry.
    # The sweep only takes back the queued emails whose try is well overdue.
    due_at = models.DateTimeField(_("próximo intento"), default=timezone.now)
    claimed_at = models.DateTimeField(_("en envío desde"), null=True, blank=True)
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    last_error = models.TextField(_("último error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correo saliente")
        verbose_name_plural = _("correos salientes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="outgoingemail_sent_has_time"
            ),
        ]
        indexes = [
            # core.mail.mails_lost(): the sweep and /healthz read only the emails not yet sent.
            models.Index(
                fields=["due_at"], condition=Q(state__in=["queued", "sending"]), name="outgoingemail_unsent_idx"
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.to}"
