"""A coordinator's scope is written only by ambassadors.services (coordinator_set_scope,
coordinator_delete), from the admin as from anywhere: the role group follows it and each change
is one audit entry holding the countries."""

import pytest
from django.urls import reverse

from ambassadors import services
from ambassadors.models import COORDINATORS_GROUP, City, Coordinator

pytestmark = pytest.mark.django_db


def entries(coordinator):
    """(countries, who) of each audit entry, oldest first."""
    rows = Coordinator.history.filter(id=coordinator.pk).order_by("history_date", "history_id")
    return [
        (sorted(row.countries.values_list("country_id", flat=True)), row.history_user and row.history_user.username)
        for row in rows
    ]


def test_the_admin_changes_a_scope_through_the_service_in_one_entry(client_for, admin, coordinator, lima, rosario):
    row = Coordinator.objects.get(user=coordinator)
    response = client_for(admin).post(
        reverse("admin:ambassadors_coordinator_change", args=[row.pk]), {"countries": ["PE", "AR"], "active": "on"}
    )
    assert response.status_code == 302
    assert set(City.objects.visible_to(coordinator)) == {lima, rosario}
    assert entries(row) == [(["PE"], None), (["AR", "PE"], "admin")]


def test_unticking_active_in_the_admin_withdraws_the_role(client_for, admin, coordinator, lima):
    row = Coordinator.objects.get(user=coordinator)
    client_for(admin).post(reverse("admin:ambassadors_coordinator_change", args=[row.pk]), {"countries": ["PE"]})
    assert not coordinator.groups.filter(name=COORDINATORS_GROUP).exists()
    assert City.objects.visible_to(coordinator).count() == 0
    assert entries(row)[-1] == (["PE"], "admin")


def test_saving_the_same_scope_again_writes_nothing(coordinator, peru):
    row = Coordinator.objects.get(user=coordinator)
    services.coordinator_set_scope(user=coordinator, countries=[peru])
    assert entries(row) == [(["PE"], None)]  # created with its country, in one entry


def test_deleting_in_the_admin_records_who_and_withdraws_the_role(client_for, admin, coordinator):
    row = Coordinator.objects.get(user=coordinator)
    client_for(admin).post(reverse("admin:ambassadors_coordinator_delete", args=[row.pk]), {"post": "yes"})
    assert not Coordinator.objects.filter(pk=row.pk).exists()
    assert not coordinator.groups.exists()
    deleted = Coordinator.history.get(id=row.pk, history_type="-")
    assert deleted.history_user == admin
