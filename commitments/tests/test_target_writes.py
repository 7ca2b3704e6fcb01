"""One gate for a target's validity (Target.clean through full_clean, plus the database), reached
by the site's form, Django admin and the services alike; and two identical targets saved at once
give the site's duplicate message, not a server error."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from commitments import services
from commitments.models import Indicator, Target
from core.tests.threads import at_once

DUPLICATE = "La ciudad ya tiene una meta para este indicador y horizonte."
GOING_UP = "Este indicador mejora al aumentar: el valor meta debe ser mayor que la línea base."
DUE_TOO_SOON = "La fecha límite debe ser posterior al año de la línea base."


@pytest.fixture
def water():
    """3.1-b, safely managed drinking water: a percentage where more is better."""
    return Indicator.objects.get(code="3.1-b")


def admin_post(indicator, city, **changes):
    return {
        "city": city.pk,
        "indicator": indicator.pk,
        "horizon": "long",
        "baseline": "61",
        "baseline_year": "2025",
        "target_value": "95",
        "due_on": "2030-12-31",
        **changes,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_value": "50"}, "target_value", GOING_UP),  # below the baseline of an "increase" indicator
        ({"due_on": "2025-12-31"}, "due_on", DUE_TOO_SOON),  # due in the baseline year
    ],
)
def test_admin_refuses_a_target_the_site_refuses_with_the_sites_message(
    client_for, admin, lima, water, changes, field, message
):
    response = client_for(admin).post(reverse("admin:commitments_target_add"), admin_post(water, lima, **changes))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert message in response.content.decode()
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_an_invalid_change_to_a_target_and_keeps_it_as_it_was(client_for, admin, ambassador, lima, water):
    target = services.target_save(
        by=ambassador, city=lima, indicator=water, horizon="long", baseline=Decimal(61), baseline_year=2025,
        target_value=Decimal(95), due_on=datetime.date(2030, 12, 31),
    )  # fmt: skip
    url = reverse("admin:commitments_target_change", args=[target.pk])
    response = client_for(admin).post(url, admin_post(water, lima, target_value="60"))
    assert response.context["adminform"].form.errors["target_value"] == [GOING_UP]
    target.refresh_from_db()
    assert (target.target_value, target.updated_by) == (95, ambassador)


@pytest.mark.django_db
def test_admin_saves_and_deletes_targets_through_the_services(client_for, admin, lima, water, monkeypatch):
    calls = []
    for name in ("target_save", "target_delete"):
        real = getattr(services, name)
        monkeypatch.setattr(services, name, lambda real=real, name=name, **kwargs: calls.append(name) or real(**kwargs))
    client = client_for(admin)
    response = client.post(reverse("admin:commitments_target_add"), admin_post(water, lima))
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.updated_by, target.history.get().history_user) == (admin, admin)

    response = client.post(reverse("admin:commitments_target_delete", args=[target.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Target.objects.exists()
    assert target.history.latest().history_user == admin
    assert calls == ["target_save", "target_delete"]


@pytest.mark.django_db
def test_the_database_refuses_a_target_due_in_its_baseline_year(ambassador, lima, water):
    target = services.target_save(
        by=ambassador, city=lima, indicator=water, horizon="long", baseline=Decimal(61), baseline_year=2025,
        target_value=Decimal(95), due_on=datetime.date(2026, 1, 1),
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(due_on=datetime.date(2025, 12, 31))


@pytest.mark.django_db
def test_a_twin_saved_between_the_check_and_the_write_gives_the_duplicate_message_and_keeps_what_was_typed(
    client_for, ambassador, coordinator, lima, water, monkeypatch
):
    """The race without threads: the other request's target is written right after the service's
    full_clean let ours through (the form's own, earlier, checks no uniqueness), as a second tap
    or a colleague on another phone would."""
    fields = {
        "indicator": water, "horizon": "long", "baseline": Decimal(61), "baseline_year": 2025,
        "target_value": Decimal(95), "due_on": datetime.date(2030, 12, 31),
    }  # fmt: skip
    real_full_clean = Target.full_clean

    def full_clean_then_twin(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        if kwargs.get("validate_unique", True):  # the service's check, the last before the write
            monkeypatch.setattr(Target, "full_clean", real_full_clean)
            services.target_save(by=coordinator, city=lima, **fields)

    monkeypatch.setattr(Target, "full_clean", full_clean_then_twin)
    typed = {
        "indicator": water.pk, "horizon": "long", "baseline": "61", "baseline_year": "2025", "target_value": "95",
        "due_on": "2030-12-31",
    }  # fmt: skip
    response = client_for(ambassador).post(reverse("commitments:target_create", args=[lima.pk]), typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [DUPLICATE]
    assert DUPLICATE in response.content.decode()
    assert {name: form[name].value() for name in typed} == {**typed, "indicator": str(water.pk)}


@pytest.mark.django_db(transaction=True)
def test_two_identical_targets_saved_at_once_give_one_target_and_the_duplicate_message(
    seeded_catalogue, ambassador, coordinator, lima
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on it)")
    water = Indicator.objects.get(code="3.1-b")

    def save(by):
        return services.target_save(
            by=by, city=lima, indicator=water, horizon="long", baseline=Decimal(61), baseline_year=2025,
            target_value=Decimal(95), due_on=datetime.date(2030, 12, 31),
        )  # fmt: skip

    outcomes = at_once(save, [ambassador, coordinator])
    saved = [outcome for outcome in outcomes if isinstance(outcome, Target)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Target)]
    assert len(saved) == 1 and Target.objects.count() == 1
    [error] = refused
    assert getattr(error, "messages", None) == [DUPLICATE], repr(error)
