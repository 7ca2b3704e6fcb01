from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from ambassadors.models import City, Country
from ambassadors.scope import city_scope_filter, country_scope_filter
from core.models import OutgoingEmail


class ReportKind(models.TextChoices):
    MONTH = "month", _("Mensual")
    QUARTER = "quarter", _("Trimestral")
    YEAR = "year", _("Anual")


class ReportScope(models.TextChoices):
    """What a report covers: one city, a country's cities (its coordinators' scope), or every city."""

    CITY = "city", _("Ciudad")
    COUNTRY = "country", _("País")
    NETWORK = "network", _("Toda la red")


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports in the user's scope: every report page and download starts here. A city's report
        for whoever sees the city; a country's for its coordinators; the network's for admins only
        (country_scope_filter gives a superuser every country and the network)."""
        scopes = (Q(scope=ReportScope.CITY) & city_scope_filter(user, prefix="city__")) | (
            Q(scope=ReportScope.COUNTRY) & country_scope_filter(user)
        )
        if user.is_authenticated and user.is_active and user.is_superuser:
            scopes |= Q(scope=ReportScope.NETWORK)
        return self.filter(scopes)


def report_upload_to(report, filename):
    folder = report.city_id if report.scope == ReportScope.CITY else f"{report.scope}-{report.country_id or 'all'}"
    return f"reports/{report.period_start:%Y}/{folder}/{filename}"


class ProgressReport(models.Model):
    """A city's progress over a month, quarter or year, frozen when it was generated; or a
    scope's (`scope`): a country's cities side by side, or the whole network's.

    The snapshot holds the figures and the commitments' wording in every language as they
    were, so a report never changes when the catalogue or the actions change afterwards.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En cola")
        RUNNING = "running", _("Generándose")
        READY = "ready", _("Listo")
        FAILED = "failed", _("Falló")

    # One model for every scope, so claiming, retrying, the stale sweep and the digests are one set
    # of rules (reports.services); the constraints below keep each scope's key whole.
    scope = models.CharField(_("ámbito"), max_length=8, choices=ReportScope, default=ReportScope.CITY)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("ciudad")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("país")
    )
    kind = models.CharField(_("periodicidad"), max_length=8, choices=ReportKind)
    period_start = models.DateField(_("inicio del periodo"))
    period_end = models.DateField(_("fin del periodo"))
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("estado"), max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pedido por"),
        help_text=_("Vacío si lo generó la programación."),
    )
    generated_at = models.DateTimeField(_("generado el"), null=True, blank=True)
    snapshot = models.JSONField(_("cifras congeladas"), default=dict, blank=True)
    html_file = models.FileField(_("HTML"), upload_to=report_upload_to, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    xlsx_file = models.FileField(_("XLSX"), upload_to=report_upload_to, blank=True)
    csv_file = models.FileField(_("CSV"), upload_to=report_upload_to, blank=True)
    # A ready report may lack an output that failed on what it holds: the others are kept.
    output_errors = models.JSONField(
        _("formatos que fallaron"),
        default=dict,
        blank=True,
        help_text=_("El error de cada formato (pdf, html, xlsx, csv) que no se pudo escribir."),
    )
    # Set when the report was folded into the digest emails of its readers.
    delivered_at = models.DateTimeField(_("enviado por correo el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["-period_start", "city__name", "kind"]
        verbose_name = _("informe de progreso")
        verbose_name_plural = _("informes de progreso")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "kind", "period_start"],
                name="progressreport_one_per_city_kind_period",
                violation_error_message=_("Ya hay un informe de esta ciudad para ese periodo."),
            ),
            models.UniqueConstraint(
                fields=["country", "kind", "period_start"],
                condition=Q(scope=ReportScope.COUNTRY),
                name="progressreport_one_per_country_kind_period",
                violation_error_message=_("Ya hay un informe de este país para ese periodo."),
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start"],
                condition=Q(scope=ReportScope.NETWORK),
                name="progressreport_one_network_per_kind_period",
                violation_error_message=_("Ya hay un informe de la red para ese periodo."),
            ),
            # A city's report names its city only; a country's, its country only; the network's, neither.
            models.CheckConstraint(
                condition=Q(scope=ReportScope.CITY, city__isnull=False, country__isnull=True)
                | Q(scope=ReportScope.COUNTRY, city__isnull=True, country__isnull=False)
                | Q(scope=ReportScope.NETWORK, city__isnull=True, country__isnull=True),
                name="progressreport_scope_names_its_place",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="progressreport_period_in_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "delivered_at"], name="progressreport_delivery_idx")]

    def __str__(self):
        return f"{self.subject} · {self.get_kind_display()} · {self.period_start:%Y-%m-%d}"

    @property
    def subject(self):
        """What the report covers, as a title: the city's name, the country's, or the network."""
        if self.scope == ReportScope.CITY:
            return self.city.name
        if self.scope == ReportScope.COUNTRY:
            return countries.name(self.country_id)
        return str(_("Red OMCS"))

    @property
    def file_stem(self):
        """The downloads' name before the format: "lima-month-2026-10-01", "pe-quarter-2026-07-01"."""
        place = {ReportScope.CITY: self.city_id and self.city.name, ReportScope.COUNTRY: self.country_id}
        return slugify(f"{place.get(self.scope) or 'red'}-{self.kind}-{self.period_start:%Y-%m-%d}")

    @property
    def period(self):
        from .periods import Period

        return Period(self.period_start, self.period_end)

    @property
    def is_done(self):
        return self.status in (self.Status.READY, self.Status.FAILED)

    def files(self):
        """The outputs by format, for the download links: (format, field file)."""
        return [
            (name, field)
            for name, field in (
                ("pdf", self.pdf_file),
                ("html", self.html_file),
                ("xlsx", self.xlsx_file),
                ("csv", self.csv_file),
            )
            if field
        ]


class Digest(models.Model):
    """One email to one person that folds many items: reports ready, reminders, a weekly summary.

    A reminder or summary digest is unique per person and period, so a task run twice or
    retried never writes to anyone twice; its email is the OutgoingEmail keyed `digest:<id>`.
    """

    class Kind(models.TextChoices):
        REPORTS = "reports", _("Informes listos")
        REMINDERS = "reminders", _("Recordatorios")
        WEEKLY_SUMMARY = "weekly", _("Resumen semanal")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests", verbose_name=_("para")
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind)
    period_key = models.CharField(
        _("periodo"), max_length=20, help_text=_("Día (2026-11-24) o semana ISO (2026-W48) que cubre.")
    )
    items = models.JSONField(_("contenido"), default=list)
    reports = models.ManyToManyField(ProgressReport, blank=True, related_name="digests", verbose_name=_("informes"))
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    # The email that carries it: whether and when it was sent is the mail row's to say.
    mail = models.OneToOneField(
        OutgoingEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("correo")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("resumen por correo")
        verbose_name_plural = _("resúmenes por correo")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period_key"],
                condition=~Q(kind="reports"),
                name="digest_once_per_person_kind_period",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.get_kind_display()} · {self.period_key}"
