import datetime

import factory

from ambassadors.tests.factories import CityFactory, CountryFactory, UserFactory
from commitments.tests.factories import ActionFactory
from reports.models import Digest, ProgressReport, ReportKind, ReportScope


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A pending monthly report (reports.services.report_request writes it as the app does)."""

    class Meta:
        model = ProgressReport

    city = factory.SubFactory(CityFactory)
    kind = ReportKind.MONTH
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 1, 31)


class ScopeReportFactory(ProgressReportFactory):
    """A pending quarterly report of a country's cities (scope "country")."""

    scope = ReportScope.COUNTRY
    city = None
    country = factory.SubFactory(CountryFactory)
    kind = ReportKind.QUARTER
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 3, 31)


class DigestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Digest

    recipient = factory.SubFactory(UserFactory)
    kind = Digest.Kind.REPORTS
    period_key = "2026-11-24"
    items = factory.LazyAttribute(
        lambda digest: [{"report": 0, "city": "Lima", "kind": "month", "start": "2026-10-01", "end": "2026-10-31"}]
    )


class ReportedActionFactory(ActionFactory):
    """An action as the reports count it: approved (status= says otherwise; the decision by
    `reviewer`), started on 10 March 2026, under 3.1 unless `commitment` names another code."""

    title = "Acción"
    description = "Hecho."
    started_on = datetime.date(2026, 3, 10)
    status = "approved"
