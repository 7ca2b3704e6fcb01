import datetime
from decimal import Decimal

import pytest

from commitments.models import ExchangeRate


@pytest.fixture
def pen_rate(db):
    return ExchangeRate.objects.create(
        currency="PEN", usd_per_unit=Decimal("0.25"), effective_on=datetime.date(2025, 1, 1)
    )
