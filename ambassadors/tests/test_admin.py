import pytest
from django.contrib import admin as django_admin
from django.urls import reverse

from ambassadors.models import AMBASSADORS_GROUP, Ambassador
from ambassadors.tests.factories import UserFactory


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
def test_the_admin_is_in_spanish(client_for, admin):
    page = client_for(admin).get(reverse("admin:index")).content.decode()
    assert "Ejes de acción" in page
    assert "Embajadores, ciudades y países" in page


@pytest.mark.django_db
def test_an_admin_appoints_an_ambassador_through_the_service(client_for, admin, lima):
    person = UserFactory(username="fabiola")
    response = client_for(admin).post(
        reverse("admin:ambassadors_ambassador_add"),
        {"user": person.pk, "city": lima.pk, "appointed_on": "2026-01-10", "term_ends_on": "2028-01-09"},
    )
    assert response.status_code == 302
    assert Ambassador.objects.current().get(city=lima).user == person
    assert person.groups.filter(name=AMBASSADORS_GROUP).exists()


@pytest.mark.django_db
def test_appointing_a_new_ambassador_in_the_admin_ends_the_current_one(client_for, admin, ambassador, lima):
    newcomer = UserFactory(username="helena")
    response = client_for(admin).post(
        reverse("admin:ambassadors_ambassador_add"),
        {"user": newcomer.pk, "city": lima.pk, "appointed_on": "2026-01-10"},
    )
    assert response.status_code == 302
    assert list(lima.ambassadors.order_by("appointed_on").values_list("user__username", "status")) == [
        ("alicia", "ended"),
        ("helena", "active"),
    ]


@pytest.mark.django_db
def test_the_admin_refuses_a_person_who_already_holds_another_city(client_for, admin, ambassador, rosario):
    response = client_for(admin).post(
        reverse("admin:ambassadors_ambassador_add"),
        {"user": ambassador.pk, "city": rosario.pk, "appointed_on": "2026-01-10"},
    )
    assert response.status_code == 200
    assert "ya es embajadora de Lima (PE)" in response.content.decode()
    assert not Ambassador.objects.filter(city=rosario).exists()


@pytest.mark.django_db
def test_the_end_action_ends_the_appointment_and_keeps_it(client_for, admin, ambassador, lima):
    appointment = Ambassador.objects.get(user=ambassador)
    client_for(admin).post(
        reverse("admin:ambassadors_ambassador_changelist"),
        {"action": "end_appointments", "_selected_action": [appointment.pk]},
    )
    appointment.refresh_from_db()
    assert appointment.status == "ended"
    assert appointment.ended_on is not None


@pytest.mark.django_db
def test_saving_a_coordinator_in_the_admin_gives_the_role(client_for, admin, peru, lima):
    person = UserFactory(username="gabriel")
    response = client_for(admin).post(
        reverse("admin:ambassadors_coordinator_add"), {"user": person.pk, "countries": ["PE"], "active": "on"}
    )
    assert response.status_code == 302
    from ambassadors.models import City

    assert list(City.objects.visible_to(person)) == [lima]


@pytest.mark.django_db
def test_city_autocomplete_finds_cities_by_name(client_for, admin, lima):
    response = client_for(admin).get(
        reverse("admin:autocomplete"),
        {"app_label": "ambassadors", "model_name": "ambassador", "field_name": "city", "term": "Lim"},
    )
    assert [item["text"] for item in response.json()["results"]] == ["Lima (PE)"]


@pytest.mark.django_db
def test_non_staff_people_cannot_open_the_admin(client_for, ambassador, coordinator):
    for user in (ambassador, coordinator):
        response = client_for(user).get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response.url


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
def test_a_term_ending_before_the_appointment_is_refused_on_the_change_page(client_for, admin, ambassador):
    appointment = Ambassador.objects.get(user=ambassador)
    response = client_for(admin).post(
        reverse("admin:ambassadors_ambassador_change", args=[appointment.pk]), {"term_ends_on": "2020-01-01"}
    )
    assert response.status_code == 200
    assert "El fin del periodo no puede ser anterior al nombramiento." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.term_ends_on is None


@pytest.mark.django_db
def test_an_appointment_cannot_be_deleted_in_the_admin(client_for, admin, ambassador):
    appointment = Ambassador.objects.get(user=ambassador)
    response = client_for(admin).post(
        reverse("admin:ambassadors_ambassador_delete", args=[appointment.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Ambassador.objects.filter(pk=appointment.pk).exists()


@pytest.mark.django_db
def test_deleting_a_coordinator_in_the_admin_withdraws_the_role(client_for, admin, coordinator, lima):
    from ambassadors.models import City, Coordinator

    row = Coordinator.objects.get(user=coordinator)
    client_for(admin).post(reverse("admin:ambassadors_coordinator_delete", args=[row.pk]), {"post": "yes"})
    assert not coordinator.groups.exists()
    assert City.objects.visible_to(coordinator).count() == 0


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
