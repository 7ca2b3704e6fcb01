"""The workflow services, for each member of the cast."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ambassadors import services as people
from ambassadors.models import Ambassador
from commitments import services
from commitments.models import Action
from commitments.tests.factories import ActionFactory

CAST = ["other_ambassador", "coordinator", "coordinator_elsewhere", "admin"]


@pytest.mark.django_db
def test_an_ambassador_creates_a_draft_with_only_a_commitment_and_a_title(ambassador, commitment, lima):
    action = services.action_create(by=ambassador, commitment=commitment, data={"title": "Idea"})
    assert (action.status, action.city, action.title) == ("draft", lima, "Idea")
    assert list(action.status_changes.values_list("to_status", "by__username")) == [("draft", "alicia")]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_only_an_ambassador_in_office_logs_actions(request, who, commitment):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.action_create(by=user, commitment=commitment, data={"title": "x"})


@pytest.mark.django_db
def test_a_paused_ambassador_cannot_log_actions(ambassador, commitment):
    people.ambassador_set_paused(ambassador=Ambassador.objects.get(user=ambassador), paused=True)
    with pytest.raises(PermissionDenied):
        services.action_create(by=ambassador, commitment=commitment, data={"title": "x"})


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST)
def test_nobody_but_its_ambassador_updates_submits_withdraws_or_deletes(request, who, ambassador):
    user = request.getfixturevalue(who)
    action = ActionFactory(by=ambassador)
    with pytest.raises(PermissionDenied):
        services.action_update(action=action, by=user, data={"title": "Cambiado"})
    with pytest.raises(PermissionDenied):
        services.action_submit(action=action, by=user)
    with pytest.raises(PermissionDenied):
        services.action_delete(action=action, by=user)
    services.action_submit(action=action, by=ambassador)
    with pytest.raises(PermissionDenied):
        services.action_withdraw(action=action, by=user)
    action.refresh_from_db()
    assert (action.title, action.status) == ("Jornada de limpieza del río", "submitted")


@pytest.mark.django_db
def test_submission_lists_what_is_missing_field_by_field(ambassador):
    action = ActionFactory(by=ambassador, incomplete=True)
    with pytest.raises(ValidationError) as raised:
        services.action_submit(action=action, by=ambassador)
    assert set(raised.value.message_dict) == {"started_on", "description", "focus_areas"}
    assert Action.objects.get(pk=action.pk).status == "draft"


@pytest.mark.django_db
def test_an_action_dated_in_the_future_cannot_be_submitted(ambassador):
    action = ActionFactory(by=ambassador, started_on=datetime.date(2099, 1, 1))
    with pytest.raises(ValidationError, match="futuro"):
        services.action_submit(action=action, by=ambassador)


@pytest.mark.django_db
def test_a_returned_action_can_be_fixed_and_resubmitted(ambassador, coordinator, submitted_action):
    services.action_return(action=submitted_action, by=coordinator, comment="Falta la lista de asistentes.")
    services.action_update(action=submitted_action, by=ambassador, data={"outcome": "Se adjunta la lista."})
    services.action_submit(action=submitted_action, by=ambassador)
    submitted_action.refresh_from_db()
    assert submitted_action.status == "submitted"
    history = list(submitted_action.status_changes.values_list("to_status", "by__username", "comment"))
    assert history == [
        ("draft", "alicia", ""),
        ("submitted", "alicia", ""),
        ("returned", "carla", "Falta la lista de asistentes."),
        ("submitted", "alicia", ""),
    ]


@pytest.mark.django_db
def test_an_approved_action_can_no_longer_be_edited_by_its_ambassador(ambassador, coordinator, submitted_action):
    services.action_approve(action=submitted_action, by=coordinator)
    for change in (
        lambda: services.action_update(action=submitted_action, by=ambassador, data={"title": "Otro"}),
        lambda: services.action_submit(action=submitted_action, by=ambassador),
        lambda: services.action_withdraw(action=submitted_action, by=ambassador),
        lambda: services.action_delete(action=submitted_action, by=ambassador),
    ):
        with pytest.raises(PermissionDenied):
            change()
    submitted_action.refresh_from_db()
    assert (submitted_action.status, submitted_action.title) == ("approved", "Jornada de limpieza del río")


@pytest.mark.django_db
def test_a_submitted_action_can_be_withdrawn_to_draft_before_review(ambassador, submitted_action):
    services.action_withdraw(action=submitted_action, by=ambassador)
    submitted_action.refresh_from_db()
    assert (submitted_action.status, submitted_action.submitted_at) == ("draft", None)


@pytest.mark.django_db
def test_only_drafts_are_deleted(ambassador, submitted_action):
    draft = ActionFactory(by=ambassador)
    services.action_delete(action=draft, by=ambassador)
    assert not Action.objects.filter(pk=draft.pk).exists()
    with pytest.raises(PermissionDenied):
        services.action_delete(action=submitted_action, by=ambassador)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ambassador", "other_ambassador", "coordinator_elsewhere"])
def test_only_coordinators_in_scope_and_admins_review(request, who, submitted_action):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.action_approve(action=submitted_action, by=user)
    with pytest.raises(PermissionDenied):
        services.action_return(action=submitted_action, by=user, comment="No")


@pytest.mark.django_db
def test_returning_needs_a_comment(coordinator, submitted_action):
    with pytest.raises(ValidationError):
        services.action_return(action=submitted_action, by=coordinator, comment="  ")
    assert Action.objects.get(pk=submitted_action.pk).status == "submitted"


@pytest.mark.django_db
def test_a_second_decision_on_the_same_action_is_refused(coordinator, admin, submitted_action):
    stale = Action.objects.get(pk=submitted_action.pk)
    services.action_approve(action=submitted_action, by=coordinator)
    with pytest.raises(ValidationError):
        services.action_return(action=stale, by=admin, comment="Tarde")
    assert Action.objects.get(pk=submitted_action.pk).status == "approved"
    assert submitted_action.status_changes.filter(to_status="returned").count() == 0


@pytest.mark.django_db
def test_indicator_values_and_focus_areas_must_belong_to_the_commitment(ambassador, commitment):
    from commitments.models import Commitment, Indicator

    other = Commitment.objects.get(axis__number=1, number=2)
    foreign_indicator = other.indicators.first()
    own_indicator = commitment.indicators.get(code="3.1-a")
    action = services.action_create(
        by=ambassador,
        commitment=commitment,
        data={"title": "Agua"},
        focus_areas=[*other.focus_areas.all(), commitment.focus_areas.first()],
        indicator_values={own_indicator.pk: 120, foreign_indicator.pk: 5},
    )
    assert list(action.focus_areas.all()) == [commitment.focus_areas.first()]
    assert list(action.indicator_values.values_list("indicator__code", "value")) == [("3.1-a", 120)]
    assert Indicator.objects.filter(values__action=action).count() == 1


@pytest.mark.django_db
def test_changing_the_commitment_drops_the_old_indicator_values(ambassador, commitment):
    from commitments.models import Commitment

    own_indicator = commitment.indicators.get(code="3.1-a")
    action = services.action_create(
        by=ambassador, commitment=commitment, data={"title": "Agua"}, indicator_values={own_indicator.pk: 10}
    )
    services.action_update(
        action=action, by=ambassador, data={}, commitment=Commitment.objects.get(axis__number=2, number=1)
    )
    assert not action.indicator_values.exists()


@pytest.mark.django_db
def test_counts_are_checked_by_the_database_too(ambassador, commitment):
    from django.db import IntegrityError, transaction

    action = services.action_create(by=ambassador, commitment=commitment, data={"title": "Taller"})
    for values in ({"people_reached": 10, "women_reached": 8, "men_reached": 5}, {"people_reached": -1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Action.objects.filter(pk=action.pk).update(**values)


@pytest.mark.django_db
def test_the_service_refuses_a_breakdown_above_the_total(ambassador, commitment):
    with pytest.raises(ValidationError):
        services.action_create(
            by=ambassador,
            commitment=commitment,
            data={"title": "Taller", "people_reached": 10, "women_reached": 8, "men_reached": 5},
        )
