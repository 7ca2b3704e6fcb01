"""Every admin page of the project opens for an admin, with its inlines."""

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse


@pytest.fixture
def admin_request(admin):
    """A request by the admin, to ask each ModelAdmin what it allows."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = admin
    return request


@pytest.mark.django_db
def test_every_admin_list_and_add_page_opens_for_an_admin(client_for, admin, admin_request, ambassador, coordinator):
    client = client_for(admin)
    request = admin_request
    for model, model_admin in django_admin.site._registry.items():
        meta = model._meta
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200, model
        add_status = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code
        # Actions are view-only in the admin: they change only through the workflow.
        assert add_status == (200 if model_admin.has_add_permission(request) else 403), model


@pytest.mark.django_db
def test_every_catalogue_change_page_opens_with_its_inlines(client_for, admin):
    from axes.models import Axis
    from commitments.models import Commitment

    client = client_for(admin)
    axis_page = client.get(reverse("admin:action_axes_axis_change", args=[Axis.objects.get(number=1).pk]))
    assert "Fortalecer los lazos internacionales" in axis_page.content.decode()
    commitment = Commitment.objects.get(axis__number=3, number=1)
    commitment_page = client.get(reverse("admin:commitments_commitment_change", args=[commitment.pk])).content.decode()
    assert "Seguridad alimentaria" in commitment_page
    assert "6.3.1" in commitment_page


@pytest.mark.django_db
def test_an_axis_keeps_its_sdgs_as_a_sorted_list(client_for, admin):
    from axes.models import Axis

    axis = Axis.objects.get(number=2)
    data = {
        "number": 2,
        "colour": "#A23B72",
        "sdg_goals": ["11", "1", "5"],
        **{f: getattr(axis, f) for f in [*Axis.name.fields, *Axis.description.fields]},
        "commitments-TOTAL_FORMS": 0,
        "commitments-INITIAL_FORMS": 0,
    }
    response = client_for(admin).post(reverse("admin:action_axes_axis_change", args=[axis.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    axis.refresh_from_db()
    assert axis.sdg_goals == [1, 5, 11]


@pytest.mark.django_db
def test_every_change_page_opens_for_an_admin(
    client_for, admin, admin_request, ambassador, coordinator, make_draft_for_admin_pages
):
    client = client_for(admin)
    request = admin_request
    for model, model_admin in django_admin.site._registry.items():
        obj = model_admin.get_queryset(request).first()
        if obj is None:
            continue
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200, url


@pytest.fixture
def make_draft_for_admin_pages(ambassador):
    """An action, a target and an exchange rate, so their change pages have something to show."""
    import datetime
    from decimal import Decimal

    from commitments import services
    from commitments.models import Commitment, ExchangeRate, Indicator

    services.action_create(by=ambassador, commitment=Commitment.objects.first(), data={"title": "Borrador"})
    services.target_save(
        by=ambassador,
        city=ambassador.ambassadorships.get().city,
        indicator=Indicator.objects.get(code="1.2-a"),
        horizon="short",
        baseline=Decimal(0),
        baseline_year=2025,
        target_value=Decimal(10),
        due_on=datetime.date(2026, 12, 31),
    )
    ExchangeRate.objects.create(currency="MXN", usd_per_unit=Decimal("0.05"), effective_on=datetime.date(2026, 1, 1))
