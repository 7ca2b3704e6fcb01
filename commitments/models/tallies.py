"""What dashboards and reports add up instead of the actions: monthly tallies kept by commitments/tallies.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassadors.models import City

from .catalogue import Commitment, Indicator


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
    disability_reached = models.BigIntegerField(default=0)
    indigenous_reached = models.BigIntegerField(default=0)
    afro_reached = models.BigIntegerField(default=0)
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


class ReviewTally(models.Model):
    """Decisions (approvals and returns) on one city's actions by one reviewer in one calendar
    month (the site's time zone), counted by how long each action had waited: `bucket` is a band
    of review time (commitments.review_tally.bucket; -1 when the wait is unknown).

    What the network's review-time medians read instead of every decision: the bands are fine
    enough that a median found from them differs from the exact one by less than the unit the
    page shows it in. commitments.review_tally keeps it current.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # The first day of the month.
    bucket = models.IntegerField()
    decisions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("recuento mensual de revisiones")
        verbose_name_plural = _("recuentos mensuales de revisiones")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "reviewer", "month", "bucket"], name="reviewtally_one_per_city_reviewer_month_bucket"
            ),
        ]
        indexes = [
            # The network's medians: every city of a scope over a period's months, from the index alone.
            models.Index(fields=["month", "city", "reviewer", "bucket", "decisions"], name="reviewtally_month_idx"),
            # The medians per city: read in city and band order, their running counts need no sort.
            models.Index(fields=["city", "bucket", "month", "decisions"], name="reviewtally_city_band_idx"),
        ]

    def __str__(self):
        return f"{self.city_id} · {self.reviewer_id} · {self.month:%Y-%m} · {self.bucket}: {self.decisions}"
