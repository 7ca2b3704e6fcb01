"""Funds an action sought or secured, in their currency, and the exchange rates to the dollar."""

from decimal import Decimal

from django.db import models
from django.db.models import Case, Count, DateField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import validate_single_line

from .actions import Action


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
