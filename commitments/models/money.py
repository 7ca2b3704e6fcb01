"""Currencies and their exchange rates to the dollar (the money itself is funding.Opportunity),
and the rate in force on a row's day, for sums in dollars."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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


# A product of an amount and a rate, kept whole: USD is rounded once, to cents, when a figure is done.
EXACT = models.DecimalField(max_digits=30, decimal_places=10)


def usd_per_unit(currency="currency", day="identified_on"):
    """USD per unit of the row's currency on the row's day (the admins' rate in force then), or
    NULL when no rate is in force: an amount without one is left out of USD sums, never guessed."""
    rate = ExchangeRate.objects.filter(
        currency=models.OuterRef(currency), effective_on__lte=models.OuterRef(day)
    ).order_by("-effective_on")
    return models.Case(
        models.When(**{currency: Currency.USD}, then=models.Value(Decimal(1))),
        default=models.Subquery(rate.values("usd_per_unit")[:1]),
        output_field=EXACT,
    )
