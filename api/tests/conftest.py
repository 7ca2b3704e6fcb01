import pytest
from rest_framework.test import APIClient

from ambassadors import twofactor
from ambassadors.tests.second_factor import app_of
from api import services


@pytest.fixture
def token_client():
    """token_client(user) -> an APIClient that sends a new personal token of `user` (who gets a
    second factor first when their role requires one: api/permissions.py)."""

    def make(user, **headers):
        if twofactor.required_for(user) and not twofactor.has_device(user):
            app_of(user)
        _token, secret = services.token_create(user=user, name="Pruebas", days=30)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}", **headers)
        return client

    return make


@pytest.fixture
def lima_world(ambassador, coordinator, lima):
    """Lima's work as the API reads it: a draft with a file and a link, a submitted action with an
    indicator value, a target, a ready report, a published practice, an approved plan and an
    opportunity that would finance the draft."""
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from commitments import services as commitment_services
    from commitments.models import Indicator
    from commitments.sample_files import pdf_bytes, upload
    from commitments.tests.factories import ActionFactory
    from funding.tests.factories import OpportunityFactory, TransitionPlanFactory
    from practices.tests.factories import PracticeFactory
    from reports.models import ProgressReport

    draft = ActionFactory(by=ambassador, title="Jornada de limpieza del río", description="Con 40 vecinos.")
    evidence = commitment_services.evidence_add_file(
        action=draft, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes())
    )
    submitted = ActionFactory(by=ambassador, title="Huerto escolar", status="submitted")
    target = commitment_services.target_save(
        by=ambassador,
        city=lima,
        indicator=Indicator.objects.get(code="1.2-a"),
        horizon="short",
        baseline=Decimal(0),
        baseline_year=2025,
        target_value=Decimal(500),
        due_on=datetime.date(2027, 12, 31),
    )
    indicator = Indicator.objects.filter(commitment=submitted.commitment, kind="number").first()
    valued = ActionFactory(
        by=ambassador,
        indicator_values={indicator.pk: Decimal(12)},
        links=[{"url": "https://example.org/acta", "title": "Acta"}],
    )
    report = ProgressReport.objects.create(
        city=lima,
        kind="month",
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 9, 30),
        status=ProgressReport.Status.READY,
        requested_by=ambassador,
    )
    report.pdf_file.save("lima.pdf", ContentFile(pdf_bytes("Informe")), save=True)
    approved = ActionFactory(by=ambassador, status="approved", reviewer=coordinator)
    practice = PracticeFactory(by=ambassador, actions=[approved], status="published", reviewer=coordinator)
    plan = TransitionPlanFactory(by=ambassador, status="approved", reviewer=coordinator)
    opportunity = OpportunityFactory(by=ambassador, actions=[draft])
    return {
        "draft": draft,
        "evidence": evidence,
        "submitted": submitted,
        "valued": valued,
        "approved": approved,
        "target": target,
        "report": report,
        "practice": practice,
        "plan": plan,
        "opportunity": opportunity,
    }
