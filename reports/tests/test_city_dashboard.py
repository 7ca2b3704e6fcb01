"""A city's dashboard, "Mi ciudad": targets with their progress from approved values only, and
the commitments without action this year, in a bounded number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Indicator
from commitments.tests.factories import ActionFactory


@pytest.mark.django_db
def test_city_progress_counts_only_approved_values_against_targets(
    client_for, ambassador, coordinator, lima, django_assert_max_num_queries
):
    indicator = Indicator.objects.get(code="3.1-a")  # water recycled, cumulative
    services.target_save(
        by=ambassador,
        city=lima,
        indicator=indicator,
        horizon="short",
        baseline=Decimal("100"),
        baseline_year=2025,
        target_value=Decimal("500"),
        due_on=datetime.date(2027, 12, 31),
    )
    ActionFactory(
        by=ambassador, indicator_values={indicator.pk: Decimal("150")}, status="approved", reviewer=coordinator
    )
    ActionFactory(
        by=ambassador, indicator_values={indicator.pk: Decimal("50")}, status="approved", reviewer=coordinator
    )
    ActionFactory(
        by=ambassador, indicator_values={indicator.pk: Decimal("999")}, status="submitted"
    )  # submitted, not approved: does not count
    client = client_for(ambassador)
    with django_assert_max_num_queries(26):  # practices, replications, pipeline (5), may share, kinds and hazards (5)
        response = client.get(reverse("reports:city_progress", args=[lima.pk]))
    target = response.context["targets"][0]
    assert target.current_value == Decimal("300")
    assert target.progress_percent == 50
    page = response.content.decode()
    assert 'aria-valuenow="50"' in page
    gaps = {c.code for c in response.context["without_action"]}
    assert "3.1" not in gaps and "1.1" in gaps
