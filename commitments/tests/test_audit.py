"""Every create, change and delete of actions, targets, the catalogue, people and reports is
recorded with who and when (django-simple-history), and admin shows it. Cities and ambassadors
with actions cannot be deleted."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador
from axes.models import Axis
from commitments import services
from commitments.models import Action, Commitment, Indicator, Target
from commitments.tests.factories import ActionFactory
from core.tests.audit import trail


def test_an_actions_whole_life_is_recorded_with_who_did_each_step(ambassador, coordinator):
    action = ActionFactory(by=ambassador)
    services.action_update(action=action, by=ambassador, data={"title": "Limpieza del río Rímac"})
    services.action_submit(action=action, by=ambassador)
    services.action_return(action=action, by=coordinator, comment="Falta la fecha de fin.")
    # One entry per change: the creation holds its focus areas, not an entry more for them.
    assert trail(action) == [
        ("+", "draft", "alicia"),
        ("~", "draft", "alicia"),
        ("~", "submitted", "alicia"),
        ("~", "returned", "carla"),
    ]
    titles = list(Action.history.filter(id=action.pk).order_by("history_date").values_list("title", flat=True))
    assert (titles[0], titles[1]) == ("Jornada de limpieza del río", "Limpieza del río Rímac")


def test_saving_an_action_untouched_writes_no_entry(ambassador):
    action = ActionFactory(by=ambassador)
    services.action_update(action=action, by=ambassador, data={"title": action.title}, focus_areas=[])
    services.action_update(action=action, by=ambassador, data={"title": action.title})
    assert trail(action) == [("+", "draft", "alicia"), ("~", "draft", "alicia")]  # the focus area removed


def test_deleting_a_draft_is_recorded_with_who_deleted_it(ambassador):
    action = ActionFactory(by=ambassador)
    pk = action.pk
    services.action_delete(action=action, by=ambassador)
    deleted = Action.history.get(id=pk, history_type="-")
    assert deleted.history_user.username == "alicia"
    assert deleted.title == "Jornada de limpieza del río"


def test_target_changes_are_recorded(ambassador, lima):
    indicator = Indicator.objects.filter(direction=Indicator.Direction.INCREASE).first()
    fields = {
        "city": lima,
        "indicator": indicator,
        "horizon": "short",
        "baseline": Decimal("10"),
        "baseline_year": 2025,
        "due_on": datetime.date(2027, 12, 31),
    }
    target = services.target_save(by=ambassador, target_value=Decimal("20"), **fields)
    services.target_save(by=ambassador, target_value=Decimal("30"), target=target, **fields)
    values = Target.history.filter(id=target.pk).order_by("history_date").values_list("target_value", "history_user")
    assert [(value, user) for value, user in values] == [(Decimal("20"), ambassador.pk), (Decimal("30"), ambassador.pk)]


def test_an_admin_edit_of_the_catalogue_is_recorded_with_the_admin(client, admin):
    client.force_login(admin)
    axis = Axis.objects.get(number=1)
    change_url = reverse("admin:action_axes_axis_change", args=[axis.pk])
    form = client.get(change_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"colour": "#123456", **_inline_management(client.get(change_url).context)})
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    latest = Axis.history.filter(id=axis.pk).latest("history_date")
    assert (latest.colour, latest.history_user, latest.history_type) == ("#123456", admin, "~")
    history_page = client.get(reverse("admin:action_axes_axis_history", args=[axis.pk]))
    assert history_page.status_code == 200
    assert "admin" in history_page.content.decode()


def _inline_management(context):
    """The management form of each inline formset on an admin change page, unchanged."""
    data = {}
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{name}": value for name, value in management.initial.items()})
        for form in formset.formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None and not isinstance(value, list):
                    data[form.add_prefix(name)] = value.pk if hasattr(value, "pk") else value
    return data


def test_ending_an_appointment_is_recorded(ambassador):
    appointment = Ambassador.objects.get(user=ambassador)
    ambassador_services.ambassador_end(ambassador=appointment, ended_on=datetime.date(2026, 6, 30))
    assert [entry[:2] for entry in trail(appointment)] == [("+", "active"), ("~", "ended")]


def test_a_city_or_an_ambassador_with_actions_cannot_be_deleted(ambassador, lima):
    ActionFactory(by=ambassador)
    appointment = Ambassador.objects.get(user=ambassador)
    with pytest.raises(ProtectedError):
        lima.delete()
    with pytest.raises(ProtectedError):
        appointment.delete()
    with pytest.raises(ProtectedError):
        Commitment.objects.get(axis__number=3, number=1).delete()
    assert Action.objects.filter(city=lima).count() == 1


def test_admin_refuses_to_delete_a_city_with_actions(client, admin, ambassador, lima):
    ActionFactory(by=ambassador)
    client.force_login(admin)
    response = client.post(reverse("admin:ambassadors_city_delete", args=[lima.pk]), {"post": "yes"})
    assert response.status_code == 200  # the "cannot delete" page, not a redirect
    assert Action.objects.filter(city=lima).exists()
