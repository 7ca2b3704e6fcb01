import pytest
from django.urls import reverse

from ambassadors.models import AMBASSADORS_GROUP, Ambassador
from ambassadors.tests.factories import UserFactory


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
