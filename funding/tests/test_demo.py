"""The demo of commitment 1.4, as `load_demo` leaves it: what it promises a visitor of the plans
and the pipeline, and the reminders it has to show."""

import datetime
import itertools

from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone

from ambassadors.demo import DEMO_AMBASSADORS
from ambassadors.models import City
from commitments.models import Action, Horizon
from core.models import OutgoingEmail
from funding import figures, services
from funding.demo import load_demo_funding
from funding.demo_content import FUND_ACTION, FUNDERS
from funding.models import (
    Disbursement,
    Funder,
    Milestone,
    Opportunity,
    OpportunityStageChange,
    PlanStatusChange,
    TransitionPlan,
)


def _row_counts():
    """Rows of every model of the funding app (audit trails included) and of the outgoing mail."""
    models = [*apps.get_app_config("funding").get_models(include_auto_created=True), OutgoingEmail]
    return {model._meta.label: model._default_manager.count() for model in models}


class TestTheDemoPlans:
    def test_every_demo_city_has_a_plan_with_milestones_on_each_horizon_serving_its_commitments_and_targets(
        self, demo_for_reading
    ):
        cities = City.objects.filter(ambassadors__isnull=False).distinct()
        assert cities.count() == len(DEMO_AMBASSADORS)
        for city in cities:
            plan = TransitionPlan.objects.filter(city=city).order_by("version").first()
            assert plan is not None, city
            assert services.plan_submission_errors(plan) == {}, city
            assert plan.commitments.exists(), city
            milestones = plan.milestones.all()
            assert {milestone.horizon for milestone in milestones} == set(Horizon.values), city
            assert all(milestone.responsible for milestone in milestones), city
            assert all(milestone.commitments.exists() for milestone in milestones), city
            assert Milestone.objects.filter(plan=plan, targets__city=city).exists(), city

    def test_most_plans_are_approved_by_a_coordinator_of_their_country_one_waits_and_one_has_a_second_version(
        self, demo_for_reading
    ):
        in_force = TransitionPlan.objects.in_force()
        assert in_force.count() == len(DEMO_AMBASSADORS) - 1
        [waiting] = TransitionPlan.objects.filter(status=TransitionPlan.Status.SUBMITTED)
        assert not in_force.filter(city=waiting.city).exists()
        assert waiting.submitted_at < timezone.now() - datetime.timedelta(days=7)
        [draft] = TransitionPlan.objects.filter(version=2)
        assert draft.status == TransitionPlan.Status.DRAFT and draft.revision_reason
        first = TransitionPlan.objects.get(city=draft.city, version=1)
        assert in_force.filter(pk=first.pk).exists()
        assert draft.milestones.count() == first.milestones.count() + 1
        assert all(milestone.origin.plan_id == first.pk for milestone in draft.milestones.exclude(origin=None))
        for change in PlanStatusChange.objects.filter(to_status=TransitionPlan.Status.APPROVED).select_related(
            "plan__city"
        ):
            assert change.by.coordinator.countries.filter(code=change.plan.city.country_id).exists()
            assert change.at == change.plan.approved_at < timezone.now()
        assert PlanStatusChange.objects.filter(to_status=TransitionPlan.Status.RETURNED).exists()

    def test_plans_in_force_have_overdue_milestones_to_remind_of(self, demo_for_reading):
        today = timezone.localdate()
        overdue = Milestone.objects.filter(plan__in=TransitionPlan.objects.in_force()).overdue(today=today)
        assert overdue.values("plan__city").distinct().count() >= 3

    def test_the_decision_emails_of_the_demo_are_marked_sent_not_queued(self, demo_for_reading):
        decisions = OutgoingEmail.objects.filter(key__startswith="plan-decision:")
        decided = PlanStatusChange.objects.filter(
            to_status__in=[TransitionPlan.Status.APPROVED, TransitionPlan.Status.RETURNED]
        )
        assert decisions.count() == decided.count() > 0
        assert set(decisions.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}


class TestTheDemoPipeline:
    def test_the_funders_of_the_region_are_in_the_catalogue(self, demo_for_reading):
        names = set(Funder.objects.values_list("name", flat=True))
        assert {name for name, *_rest in FUNDERS} <= names
        national = Funder.objects.filter(kind=Funder.Kind.NATIONAL_PROGRAMME)
        assert {funder.country.code for funder in national} >= {"CO", "BR", "MX"}
        assert not Funder.objects.filter(website="").exists()

    def test_opportunities_in_every_stage_across_the_cities_in_their_currencies_and_in_dollars(self, demo_for_reading):
        assert set(Opportunity.objects.values_list("stage", flat=True)) == set(Opportunity.Stage.values)
        assert Opportunity.objects.values("city").distinct().count() == len(DEMO_AMBASSADORS)
        currencies = set(Opportunity.objects.values_list("currency", flat=True))
        assert {"USD", "MXN", "COP", "PEN", "CLP", "ARS", "CRC"} <= currencies
        assert Opportunity.objects.filter(milestones__isnull=False).count() >= 10
        assert Opportunity.objects.filter(actions__isnull=False).count() >= 16
        for opportunity in Opportunity.objects.prefetch_related("actions", "milestones__plan"):
            assert all(action.city_id == opportunity.city_id for action in opportunity.actions.all())
            assert all(milestone.plan.city_id == opportunity.city_id for milestone in opportunity.milestones.all())

    def test_every_opportunity_got_where_it_is_through_the_stage_service_in_the_past(self, demo_for_reading):
        now = timezone.now()
        for opportunity in Opportunity.objects.prefetch_related("stage_changes"):
            changes = list(opportunity.stage_changes.all())
            assert changes[0].from_stage == "" and changes[0].to_stage == Opportunity.Stage.IDENTIFIED
            for before, after in itertools.pairwise(changes):
                assert after.from_stage == before.to_stage and after.to_stage in Opportunity.NEXT[before.to_stage]
                assert before.at < after.at
            assert changes[-1].to_stage == opportunity.stage
            assert opportunity.stage_changed_at == changes[-1].at < now
            assert opportunity.created_at == changes[0].at
            assert opportunity.identified_on <= changes[0].at.date()
            if opportunity.stage in Opportunity.DECIDED:
                assert opportunity.decided_on == timezone.localtime(changes[-1].at).date()

    def test_one_awarded_opportunity_is_partly_disbursed(self, demo_for_reading):
        awarded = Opportunity.objects.filter(stage=Opportunity.Stage.AWARDED).annotate(
            received=Sum("disbursements__amount"), tranches=Count("disbursements")
        )
        partial = [opportunity for opportunity in awarded if opportunity.received]
        assert partial
        assert any(o.tranches >= 2 and o.received < o.amount_awarded for o in partial)
        for disbursement in Disbursement.objects.select_related("opportunity"):
            assert disbursement.opportunity.decided_on <= disbursement.received_on <= timezone.localdate()

    def test_deadlines_fall_within_14_days_and_within_3_days_of_the_demos_today(self, demo_for_reading):
        today = timezone.localdate()
        upcoming = Opportunity.objects.all()
        assert upcoming.upcoming_deadlines(today=today, within_days=3).exists()
        in_two_weeks = upcoming.upcoming_deadlines(today=today, within_days=14)
        assert in_two_weeks.filter(deadline=today + datetime.timedelta(days=14)).exists()
        assert in_two_weeks.filter(deadline=today + datetime.timedelta(days=3)).exists()
        assert in_two_weeks.values("city").distinct().count() >= 4

    def test_the_money_the_14_actions_sought_is_now_opportunities_of_those_actions(self, demo_for_reading):
        for action in Action.objects.filter(title=FUND_ACTION).select_related("city"):
            money = {(o.currency == "USD", o.stage) for o in action.opportunities.all()}
            assert money == {(True, Opportunity.Stage.SUBMITTED), (False, Opportunity.Stage.AWARDED)}, action.city

    def test_the_scope_figures_add_up_in_dollars(self, demo_for_reading):
        pipeline = figures.pipeline(Opportunity.objects.all(), today=timezone.localdate())
        assert pipeline.sought.usd > 0 and pipeline.awarded.usd > 0 and pipeline.disbursed.usd > 0
        assert pipeline.sought.without_rate == pipeline.awarded.without_rate == 0
        assert 0 < pipeline.conversion < 100
        assert pipeline.deadlines

    def test_a_second_load_adds_nothing(self, demo_for_reading):
        before = _row_counts()
        load_demo_funding()
        assert _row_counts() == before
        assert OpportunityStageChange.objects.count() == before["funding.OpportunityStageChange"]
