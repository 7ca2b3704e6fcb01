"""Demo of commitment 1.4: the funders of the region, a transition plan for each demo city and a
funding pipeline with opportunities in every stage.

Most plans are approved by the coordinator of their country (Bogotá's after being returned once);
Rosario's waits for review; Medellín's approved plan has a version 2 in draft, so versions show.
The opportunities are in the cities' currencies, in dollars and in euros: Ciudad de México's loan
is awarded and partly disbursed, and some deadlines fall within 14 and within 3 days of the
demo's today, so the reminders have something to say. The money the demo actions of commitment
1.4 sought (once fund rows on the actions) is recorded here as opportunities of those actions.

Everything goes through funding.services, as real use would, from the demo people and actions
of ambassadors.demo and commitments.demo. The services stamp "now"; afterwards the moments are
moved back with queryset updates (demo data only), as practices.demo does, so a plan reads like
months of work. The content is in demo_content and demo_pipeline.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ambassadors.demo import DEMO_COORDINATORS
from ambassadors.models import Ambassador
from commitments.demo import CURRENCY_OF_COUNTRY
from commitments.models import Action, Commitment
from core.models import OutgoingEmail

from . import services
from .demo_content import (
    APPROVE_COMMENT,
    FUND_ACTION,
    FUNDERS,
    INTERNATIONAL_FUND,
    MOVE_COMMENTS,
    NATIONAL_FUND,
    PLANS,
    RETURN_COMMENT,
    REVISION_REASON,
)
from .demo_pipeline import OPPORTUNITIES
from .models import (
    Disbursement,
    Funder,
    Milestone,
    Opportunity,
    OpportunityStageChange,
    PlanStatusChange,
    TransitionPlan,
)

# The order of a plan's review steps in a timeline (demo_content.PLANS).
PLAN_STEPS = ["created", "submitted", "returned", "resubmitted", "approved"]


def _moment(today, days_ago, hour=10):
    """`days_ago` days before `today` at `hour`, or two hours ago if that is earlier: the demo
    tells of the past."""
    day = today - datetime.timedelta(days=days_ago)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(at, timezone.now() - datetime.timedelta(hours=2))


def _backdate_history(model, lookup, steps):
    """Move the audit entries with the steps [(recorded, moved)]: each entry keeps its distance from
    the step recorded before it."""
    for pk, recorded in model.history.filter(**lookup).values_list("pk", "history_date"):
        step_recorded, step_moved = max((step for step in steps if step[0] <= recorded), default=steps[0])
        model.history.filter(pk=pk).update(history_date=step_moved + (recorded - step_recorded))


def _funders():
    """The catalogue, as admins would have entered it (an admin's later edits are kept)."""
    for name, kind, country, website in FUNDERS:
        Funder.objects.get_or_create(name=name, defaults={"kind": kind, "country": country, "website": website})
    return {funder.name: funder for funder in Funder.objects.filter(name__in=[row[0] for row in FUNDERS])}


# The plan ----------------------------------------------------------------------------------


def _milestone(plan, user, spec, *, today, commitments, targets, milestone=None):
    horizon, title, due, responsible, codes, target, status = spec
    milestone = services.milestone_save(
        plan=plan,
        by=user,
        data={
            "horizon": horizon,
            "title": title,
            "due_on": today + datetime.timedelta(days=due),
            "responsible": responsible,
        },
        commitments=[commitments[code] for code in codes],
        targets=[targets[target]] if target in targets else [],
        milestone=milestone,
    )
    if status != milestone.status:
        services.milestone_set_status(milestone=milestone, by=user, status=status)
    return milestone


def _plan(appointment, spec, reviewer, *, today, commitments):
    """The city's plan, written, reviewed and approved (or sent) as its timeline says."""
    user, city = appointment.user, appointment.city
    timeline = spec["timeline"]
    plan = services.plan_start(
        by=user,
        data={
            "diagnosis_summary": spec["diagnosis_summary"],
            "diagnosis_on": today - datetime.timedelta(days=timeline["created"] + 20),
            "strategy": spec["strategy"],
        },
        commitments=[commitments[code] for code in spec["commitments"]],
    )
    targets = {target.indicator.code: target for target in city.targets.select_related("indicator").order_by("pk")}
    for milestone in spec["milestones"]:
        _milestone(plan, user, milestone, today=today, commitments=commitments, targets=targets)
    if "submitted" in timeline:
        services.plan_submit(plan=plan, by=user)
    if "returned" in timeline:
        services.plan_return(plan=plan, by=reviewer, comment=RETURN_COMMENT)
        services.plan_submit(plan=plan, by=user)
    if "approved" in timeline:
        services.plan_approve(plan=plan, by=reviewer, comment=APPROVE_COMMENT)
    _backdate_plan(plan, [timeline[step] for step in PLAN_STEPS if step in timeline], today=today, progress=True)
    plan.refresh_from_db()
    return plan


def _backdate_plan(plan, days_ago, *, today, progress=False):
    """Each status change of the version on its day of the timeline; with `progress`, the
    milestones' progress noted two days after the version was started; the decision emails
    marked as sent, since they tell of the past."""
    changes = list(plan.status_changes.order_by("pk"))
    moments = [_moment(today, days, hour=10 + position) for position, days in enumerate(days_ago)]
    for change, moment in zip(changes, moments, strict=True):
        PlanStatusChange.objects.filter(pk=change.pk).update(at=moment)
        OutgoingEmail.objects.filter(key=f"plan-decision:{change.pk}").update(
            state=OutgoingEmail.State.SENT, created_at=moment, due_at=moment, sent_at=moment
        )
    moved_to = {}
    for change, moment in zip(changes, moments, strict=True):
        moved_to[change.to_status] = moment  # the last submission when sent twice
    TransitionPlan.objects.filter(pk=plan.pk).update(
        created_at=moments[0],
        updated_at=moments[-1],
        submitted_at=moved_to.get(TransitionPlan.Status.SUBMITTED),
        approved_at=moved_to.get(TransitionPlan.Status.APPROVED),
    )
    if progress:
        plan.milestones.filter(status_changed_at__isnull=False).update(
            status_changed_at=moments[0] + datetime.timedelta(days=2)
        )
    steps = [(change.at, moment) for change, moment in zip(changes, moments, strict=True)]
    _backdate_history(TransitionPlan, {"id": plan.pk}, steps)
    _backdate_history(Milestone, {"plan_id": plan.pk}, steps)


def _revise(plan, appointment, revision, *, today, commitments):
    """Version 2 of an approved plan, in draft: some milestones changed, one added."""
    user = appointment.user
    draft = services.plan_revise(plan=plan, by=user, reason=REVISION_REASON)
    targets = {target.indicator.code: target for target in draft.city.targets.select_related("indicator")}
    for milestone in draft.milestones.prefetch_related("commitments", "targets"):
        change = revision["changes"].get(milestone.title)
        if change is None:
            continue
        milestone.due_on = today + datetime.timedelta(days=change["due"])
        services.milestone_save(
            plan=draft,
            by=user,
            data={"due_on": milestone.due_on},
            commitments=list(milestone.commitments.all()),
            targets=list(milestone.targets.all()),
            milestone=milestone,
        )
    for spec in revision["add"]:
        _milestone(draft, user, spec, today=today, commitments=commitments, targets=targets)
    _backdate_plan(draft, [revision["created"]], today=today)


# The pipeline ------------------------------------------------------------------------------


def _opportunity(user, data, moves, *, today, awarded=None, disbursements=(), milestones=(), actions=()):
    """An opportunity identified on data["identified_on"], moved on the days of `moves`
    [(stage, days ago)], with its disbursements [(amount, days ago, note)]; then dated so."""
    opportunity = services.opportunity_create(by=user, data=data, milestones=milestones, actions=actions)
    for stage, days in moves:
        extra = {}
        if stage in Opportunity.DECIDED:
            extra["decided_on"] = today - datetime.timedelta(days=days)
        if stage == Opportunity.Stage.AWARDED and awarded is not None:
            extra["amount_awarded"] = Decimal(awarded)
        services.opportunity_move(
            opportunity=opportunity, by=user, to_stage=stage, comment=MOVE_COMMENTS[stage], **extra
        )
    received = []
    for amount, days, note in disbursements:
        disbursement = services.disbursement_add(
            opportunity=opportunity,
            by=user,
            amount=Decimal(amount),
            received_on=today - datetime.timedelta(days=days),
            note=note,
        )
        received.append((disbursement, _moment(today, days, hour=15)))
    identified = (today - data["identified_on"]).days
    _backdate_opportunity(opportunity, [identified, *(days for _stage, days in moves)], received, today=today)
    return opportunity


def _backdate_opportunity(opportunity, days_ago, received, *, today):
    changes = list(opportunity.stage_changes.order_by("pk"))
    moments = [_moment(today, days, hour=10 + position) for position, days in enumerate(days_ago)]
    for change, moment in zip(changes, moments, strict=True):
        OpportunityStageChange.objects.filter(pk=change.pk).update(at=moment)
    last = max([moments[-1], *(moment for _disbursement, moment in received)])
    Opportunity.objects.filter(pk=opportunity.pk).update(
        created_at=moments[0], stage_changed_at=moments[-1], updated_at=last
    )
    steps = [(change.at, moment) for change, moment in zip(changes, moments, strict=True)]
    _backdate_history(Opportunity, {"id": opportunity.pk}, steps)
    for disbursement, moment in received:
        Disbursement.objects.filter(pk=disbursement.pk).update(recorded_at=moment)
        Disbursement.history.filter(id=disbursement.pk).update(history_date=moment)


def _spread(identified, fractions):
    """Days ago of moves made at these fractions of the time from `identified` days ago to yesterday."""
    room = max(identified - 1, 0)
    return [identified - round(room * fraction) for fraction in fractions]


def _action_money(appointment, funders, *, today, milestones):
    """The money the city's demo action of commitment 1.4 sought, once two fund rows on it: an
    application in dollars to an international fund, still being evaluated, and national
    co-financing in the city's currency, awarded. Found on the day the action started."""
    user, city = appointment.user, appointment.city
    action = Action.objects.filter(city=city, title=FUND_ACTION, started_on__isnull=False).order_by("pk").first()
    if action is None:
        return
    rng = random.Random(f"funding-{city.geoname_id}")
    identified = (today - action.started_on).days
    long_term = [milestone for milestone in milestones.values() if milestone.horizon == "long"][:1]
    preparing, submitted = _spread(identified, [0.3, 0.6])
    _opportunity(
        user,
        {
            **INTERNATIONAL_FUND,
            "funder": funders[INTERNATIONAL_FUND["funder"]],
            "amount": Decimal(rng.randint(50, 400) * 1000),
            "currency": "USD",
            "identified_on": action.started_on,
            "deadline": today - datetime.timedelta(days=submitted),
        },
        [(Opportunity.Stage.PREPARING, preparing), (Opportunity.Stage.SUBMITTED, submitted)],
        today=today,
        milestones=long_term,
        actions=[action],
    )
    submitted, awarded = _spread(identified, [0.4, 0.8])
    _opportunity(
        user,
        {
            **NATIONAL_FUND,
            "amount": Decimal(rng.randint(20, 90) * 100000),
            "currency": CURRENCY_OF_COUNTRY[city.country_id],
            "identified_on": action.started_on,
            "deadline": today - datetime.timedelta(days=submitted),
        },
        [(Opportunity.Stage.SUBMITTED, submitted), (Opportunity.Stage.AWARDED, awarded)],
        today=today,
        actions=[action],
    )


def _pipeline(appointment, username, funders, *, today, milestones):
    """The city's opportunities of OPPORTUNITIES."""
    user, city = appointment.user, appointment.city
    for spec in OPPORTUNITIES:
        if spec["city"] != username:
            continue
        actions = Action.objects.filter(city=city, title=spec["action"]).order_by("pk")[:1] if "action" in spec else []
        currency = CURRENCY_OF_COUNTRY[city.country_id] if spec["currency"] == "local" else spec["currency"]
        _opportunity(
            user,
            {
                "funder": funders.get(spec.get("funder")),
                "funder_name": spec.get("funder_name", ""),
                "title": spec["title"],
                "amount": Decimal(spec["amount"]),
                "currency": currency,
                "identified_on": today - datetime.timedelta(days=spec["identified"]),
                "deadline": today + datetime.timedelta(days=spec["deadline"]),
                "notes": spec.get("notes", ""),
            },
            spec["moves"],
            today=today,
            awarded=spec.get("awarded"),
            disbursements=spec.get("disbursements", ()),
            milestones=[milestones[spec["milestone"]]] if spec.get("milestone") else [],
            actions=list(actions),
        )


@transaction.atomic
def load_demo_funding(today=None):
    """Add the funders, and the plan and pipeline of each demo city that has no plan yet."""
    today = today or timezone.localdate()
    funders = _funders()
    commitments = {commitment.code: commitment for commitment in Commitment.objects.with_axis()}
    users = get_user_model().objects
    coordinator_of = {
        code: users.get(username=username) for username, _first, _last, codes in DEMO_COORDINATORS for code in codes
    }
    for username, spec in PLANS.items():
        appointment = (
            Ambassador.objects.filter(user__username=username, status=Ambassador.Status.ACTIVE)
            .select_related("city", "user")
            .first()
        )
        if appointment is None or TransitionPlan.objects.filter(city=appointment.city).exists():
            continue
        plan = _plan(
            appointment, spec, coordinator_of[appointment.city.country_id], today=today, commitments=commitments
        )
        milestones = {milestone.title: milestone for milestone in plan.milestones.all()}
        _action_money(appointment, funders, today=today, milestones=milestones)
        _pipeline(appointment, username, funders, today=today, milestones=milestones)
        if "revision" in spec:
            _revise(plan, appointment, spec["revision"], today=today, commitments=commitments)
