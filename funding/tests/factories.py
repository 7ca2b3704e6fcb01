"""Factories of the funding app. Plans, milestones, opportunities and disbursements are written
through funding.services, as the city's ambassador writes them."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory, UserFactory
from commitments.models import Horizon
from funding import services
from funding.models import (
    Disbursement,
    Document,
    Funder,
    Milestone,
    Opportunity,
    OpportunityStageChange,
    PlanStatusChange,
    TransitionPlan,
)

PLAN_TEXT = {
    "diagnosis_summary": "La ciudad emite 2,1 t de CO2 por habitante; el transporte es la mitad.",
    "diagnosis_on": datetime.date(2026, 3, 1),
    "strategy": "Movilidad eléctrica\nEficiencia en edificios públicos\nGestión de residuos",
}


def _admin():
    return UserFactory(is_staff=True, is_superuser=True)


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Fondo de transición {n}")
    kind = Funder.Kind.CLIMATE_FUND
    website = "https://example.org/fondo"


class TransitionPlanFactory(factory.django.DjangoModelFactory):
    """TransitionPlanFactory(by=ambassador): a draft of `by`'s city with a diagnosis, a strategy and
    one milestone per horizon (complete enough to be sent). status="submitted", "approved" or
    "returned" runs the review that far, the decision by `reviewer` (a new admin by default)."""

    class Meta:
        model = TransitionPlan

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    status = TransitionPlan.Status.DRAFT
    reviewer = factory.LazyFunction(_admin)
    milestones = True

    @classmethod
    def _create(cls, model_class, *, by, status, reviewer, milestones, **fields):
        plan = services.plan_start(by=by, data={**PLAN_TEXT, **fields})
        if milestones:
            for number, horizon in enumerate(Horizon.values):
                services.milestone_save(
                    plan=plan,
                    by=by,
                    data={
                        "horizon": horizon,
                        "title": f"Hito {number + 1}",
                        "due_on": datetime.date(2027 + 2 * number, 6, 30),
                        "responsible": "Secretaría de Ambiente",
                    },
                )
        if status != TransitionPlan.Status.DRAFT:
            services.plan_submit(plan=plan, by=by)
        if status == TransitionPlan.Status.APPROVED:
            services.plan_approve(plan=plan, by=reviewer)
        elif status == TransitionPlan.Status.RETURNED:
            services.plan_return(plan=plan, by=reviewer, comment="Falta el costo de cada hito.")
        plan.refresh_from_db()
        return plan


class PlanStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStatusChange

    plan = factory.SubFactory(TransitionPlanFactory)
    from_status = TransitionPlan.Status.DRAFT
    to_status = TransitionPlan.Status.SUBMITTED
    by = factory.SubFactory(UserFactory)
    at = factory.LazyFunction(timezone.now)


class MilestoneFactory(factory.django.DjangoModelFactory):
    """A milestone added to a draft plan (by default a new one without milestones) by its city."""

    class Meta:
        model = Milestone

    plan = factory.SubFactory(TransitionPlanFactory, milestones=False)
    horizon = Horizon.MEDIUM
    title = "Flota de buses eléctricos"
    due_on = datetime.date(2029, 12, 31)
    responsible = "Empresa municipal de transporte"

    @classmethod
    def _create(cls, model_class, *, plan, **data):
        by = plan.city.ambassadors.get(status="active").user
        return services.milestone_save(plan=plan, by=by, data=data)


class OpportunityFactory(factory.django.DjangoModelFactory):
    """OpportunityFactory(by=ambassador): an opportunity of `by`'s city, identified; `stage` moves
    it there through the service (awarded through submitted, with `amount_awarded`)."""

    class Meta:
        model = Opportunity

    by = factory.LazyFunction(lambda: AmbassadorFactory().user)
    funder = factory.SubFactory(FunderFactory)
    title = "Convocatoria de ciudades resilientes"
    amount = Decimal("250000.00")
    currency = "USD"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    stage = Opportunity.Stage.IDENTIFIED
    amount_awarded = None

    @classmethod
    def _create(cls, model_class, *, by, stage, amount_awarded, milestones=(), actions=(), **data):
        opportunity = services.opportunity_create(by=by, data=data, milestones=milestones, actions=actions)
        path = {
            Opportunity.Stage.IDENTIFIED: [],
            Opportunity.Stage.PREPARING: [Opportunity.Stage.PREPARING],
            Opportunity.Stage.SUBMITTED: [Opportunity.Stage.SUBMITTED],
            Opportunity.Stage.AWARDED: [Opportunity.Stage.SUBMITTED, Opportunity.Stage.AWARDED],
            Opportunity.Stage.REJECTED: [Opportunity.Stage.SUBMITTED, Opportunity.Stage.REJECTED],
            Opportunity.Stage.WITHDRAWN: [Opportunity.Stage.WITHDRAWN],
        }[stage]
        for step in path:
            services.opportunity_move(opportunity=opportunity, by=by, to_stage=step, amount_awarded=amount_awarded)
        opportunity.refresh_from_db()
        return opportunity


class OpportunityStageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityStageChange

    opportunity = factory.SubFactory(OpportunityFactory)
    from_stage = Opportunity.Stage.IDENTIFIED
    to_stage = Opportunity.Stage.PREPARING
    by = factory.SubFactory(UserFactory)
    at = factory.LazyFunction(timezone.now)


class DisbursementFactory(factory.django.DjangoModelFactory):
    """Money received on an awarded opportunity (by default a new one), through the service."""

    class Meta:
        model = Disbursement

    opportunity = factory.SubFactory(OpportunityFactory, stage=Opportunity.Stage.AWARDED)
    amount = Decimal("50000.00")
    received_on = factory.LazyFunction(timezone.localdate)
    note = "Primer tramo"

    @classmethod
    def _create(cls, model_class, *, opportunity, **data):
        by = opportunity.city.ambassadors.get(status="active").user
        return services.disbursement_add(opportunity=opportunity, by=by, **data)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A link on an opportunity (by default a new one), through the service."""

    class Meta:
        model = Document

    opportunity = factory.SubFactory(OpportunityFactory)
    url = "https://example.org/convocatoria.pdf"
    title = "Bases de la convocatoria"

    @classmethod
    def _create(cls, model_class, *, opportunity, url, title):
        by = opportunity.city.ambassadors.get(status="active").user
        return services.document_add(by=by, opportunity=opportunity, url=url, title=title)
