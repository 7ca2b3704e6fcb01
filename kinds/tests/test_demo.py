"""The demo of the kinds of action, as `load_demo` leaves it: every demo city has trainings,
participation mechanisms and policies, in the workflow's statuses, over the demo's months, and
each one's details keep the rules its form enforces."""

import datetime

from django.apps import apps
from django.db.models import Count, F, Q
from django.utils import timezone

from ambassadors.demo import DEMO_AMBASSADORS
from ambassadors.models import City
from commitments.models import Action, ActionStatusChange
from kinds.demo import load_demo_kinds
from kinds.models import ParticipationMechanism, PublicPolicy, Training, TrainingSession

KINDS = ["training", "participation", "policy"]
GROUPS = ["youth_reached", "disability_reached", "indigenous_reached", "afro_reached"]


def _kind_actions():
    return Action.objects.filter(kind__in=KINDS).select_related("city", "commitment__axis")


def _row_counts():
    models = [*apps.get_app_config("kinds").get_models(include_auto_created=True), Action, ActionStatusChange]
    return {model._meta.label: model._default_manager.count() for model in models}


class TestTheKindsDemo:
    def test_every_demo_city_has_each_kind_with_its_details_and_one_of_each_approved(self, demo_for_reading):
        cities = (
            City.objects.filter(ambassadors__isnull=False)
            .distinct()
            .annotate(
                **{
                    f"{kind}_{state}": Count("actions", filter=Q(actions__kind=kind, **condition))
                    for kind in KINDS
                    for state, condition in (("all", {}), ("approved", {"actions__status": "approved"}))
                }
            )
        )
        assert cities.count() == len(DEMO_AMBASSADORS)
        for city in cities:
            for kind in KINDS:
                assert getattr(city, f"{kind}_all") >= 1, (city, kind)
                assert getattr(city, f"{kind}_approved") >= 1, (city, kind)
        assert not _kind_actions().filter(kind="training", training__isnull=True).exists()
        assert not _kind_actions().filter(kind="participation", participation__isnull=True).exists()
        assert not _kind_actions().filter(kind="policy", policy__isnull=True).exists()
        assert set(_kind_actions().values_list("kind", "commitment__axis__number", "commitment__number")) == {
            ("training", 1, 2),
            ("participation", 1, 3),
            ("policy", 2, 1),
        }

    def test_mostly_approved_by_a_coordinator_of_their_country_some_waiting_drafted_or_returned(self, demo_for_reading):
        actions = _kind_actions()
        statuses = list(actions.values_list("status", flat=True))
        assert set(statuses) == {"approved", "submitted", "draft", "returned"}
        assert statuses.count("approved") > len(statuses) * 2 / 3
        now = timezone.now()
        decisions = ActionStatusChange.objects.filter(
            action__in=actions, to_status__in=["approved", "returned"]
        ).select_related("by__coordinator", "action__city")
        assert decisions.count() == actions.filter(status__in=["approved", "returned"]).count()
        for change in decisions:
            assert change.by.coordinator.countries.filter(code=change.action.city.country_id).exists()
            assert change.at < now
        assert all(action.created_at < now for action in actions)

    def test_the_kinds_are_spread_over_the_demos_months_and_all_in_the_past(self, demo_for_reading):
        today = timezone.localdate()
        approved = _kind_actions().filter(status="approved")
        for kind in KINDS:
            months = {(day.year, day.month) for day in approved.filter(kind=kind).values_list("started_on", flat=True)}
            assert len(months) >= 4, kind
        assert not _kind_actions().filter(Q(started_on__gte=today) | Q(ended_on__gte=today)).exists()
        assert approved.filter(started_on__gte=today - datetime.timedelta(days=92)).values("kind").distinct().count()
        adopted = PublicPolicy.objects.filter(stage__in=PublicPolicy.ADOPTED_STAGES)
        adoption_months = {(day.year, day.month) for day in adopted.values_list("adopted_on", flat=True)}
        assert len(adoption_months) >= 4

    def test_every_training_keeps_its_forms_rules(self, demo_for_reading):
        trainings = Training.objects.select_related("action").annotate(sessions_count=Count("sessions"))
        assert trainings.count() >= 2 * len(DEMO_AMBASSADORS)
        for training in trainings:
            action = training.action
            assert 2 <= training.sessions_count <= 6, action
            assert training.facilitators.strip(), action
            for count in (training.public_servants, training.certificates_issued):
                assert count is None or 0 <= count <= action.people_reached, action
            assert 1 <= training.satisfaction <= 5, action
            for score in (training.score_before, training.score_after):
                assert score is None or 0 <= score <= 100, action
        outside = TrainingSession.objects.filter(
            Q(held_on__lt=F("training__action__started_on")) | Q(held_on__gt=F("training__action__ended_on"))
        )
        assert not outside.exists()
        assert {training.format for training in trainings} >= {"course", "workshop"}
        assert Training.objects.exclude(public_servants=None).exists()
        assert Training.objects.exclude(certificates_issued=None).exists()
        assert Training.objects.exclude(score_after=None).filter(score_after__gt=F("score_before")).exists()

    def test_the_people_by_group_are_never_above_the_total(self, demo_for_reading):
        actions = _kind_actions().filter(kind__in=["training", "participation"])
        for action in actions:
            assert action.people_reached, action
            breakdown = action.women_reached + action.men_reached + action.other_reached
            assert breakdown == action.people_reached, action
            for group in GROUPS:
                value = getattr(action, group)
                assert value is None or 0 <= value <= action.people_reached, (action, group)
        for group in ("disability_reached", "indigenous_reached", "afro_reached"):
            assert actions.filter(**{f"{group}__gt": 0}).exists(), group

    def test_mechanisms_vary_some_accessible_some_not_each_changing_decisions(self, demo_for_reading):
        mechanisms = list(ParticipationMechanism.objects.all())
        assert len({mechanism.mechanism for mechanism in mechanisms}) >= 4
        accessible = [mechanism for mechanism in mechanisms if mechanism.measures]
        assert accessible and len(accessible) < len(mechanisms)
        assert all(mechanism.decisions_changed.strip() for mechanism in mechanisms)

    def test_policies_vary_adopted_ones_have_dates_and_none_covers_more_than_its_city(self, demo_for_reading):
        today = timezone.localdate()
        policies = list(PublicPolicy.objects.select_related("action__city"))
        assert len({policy.instrument for policy in policies}) >= 3
        assert len({policy.stage for policy in policies}) >= 3
        for policy in policies:
            adopted = policy.stage in PublicPolicy.ADOPTED_STAGES
            assert (policy.adopted_on is not None) == adopted, policy
            assert policy.adopted_on is None or policy.action.started_on <= policy.adopted_on < today, policy
            assert 0 < policy.population_covered < policy.action.city.population, policy
        risk = [policy for policy in policies if policy.disaster_risk_strategy]
        assert 1 <= len(risk) <= 2
        assert all(policy.stage in PublicPolicy.ADOPTED_STAGES for policy in risk)

    def test_the_details_history_is_in_the_past_beside_its_action(self, demo_for_reading):
        for training in Training.objects.select_related("action")[:5]:
            [created] = training.history.filter(history_type="+")
            assert created.history_date == training.action.created_at
        assert not PublicPolicy.history.filter(history_date__gte=timezone.now()).exists()

    def test_a_second_load_adds_nothing(self, demo_for_reading):
        before = _row_counts()
        load_demo_kinds()
        assert _row_counts() == before
