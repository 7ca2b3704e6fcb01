"""Reads on actions, their review and notices, already filtered by the user's scope."""

from django.db.models import Count, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce

from ambassadors.models import Ambassador
from ambassadors.scope import roles_of

from . import kinds
from .models import Action, ActionStatusChange, Evidence, IndicatorValue, Notification


def _evidence_count():
    """An action's evidence items, counted per row by a subquery: a join with GROUP BY would
    aggregate every action of the scope before a list page keeps its few."""
    per_action = Evidence.objects.filter(action=OuterRef("pk")).order_by().values("action").annotate(n=Count("pk"))
    return Coalesce(Subquery(per_action.values("n")), 0)


def actions_for(*, user):
    """The actions the user may see, ready for a list page (a fixed number of queries)."""
    return (
        Action.objects.visible_to(user)
        .for_list()
        .annotate(evidence_count=_evidence_count())
        .order_by("-started_on", "-created_at", "-pk")
    )


def left_behind_count(*, user):
    """For the ambassador in office of a city: how many unfinished actions ended appointments left
    there for them to take over or discard (the terms app lists them). No query for anyone else."""
    roles = roles_of(user)
    if not roles.is_ambassador:
        return 0
    # In office as taking over asks (keeps_city): active, not paused; in the same query.
    in_office = {"city__ambassadors__user": user, "city__ambassadors__status": Ambassador.Status.ACTIVE}
    return Action.objects.left_behind().filter(city_id=roles.ambassador_city_id, **in_office).count()


def review_queue(*, user):
    """Submitted actions the user may decide on, oldest submission first (never their own)."""
    return (
        Action.objects.awaiting_review_by(user)
        .for_list()
        .select_related("city__country")
        .annotate(evidence_count=_evidence_count())
        .order_by("submitted_at", "pk")
    )


def notifications_for(*, user):
    """The user's notifications about actions still in their scope, newest first."""
    return Notification.objects.filter(
        recipient=user, status_change__action__in=Action.objects.visible_to(user)
    ).select_related("status_change__action__commitment__axis", "status_change__by")


def _opportunities():
    """The funding opportunities that would finance an action (funding.Opportunity.actions,
    related name "opportunities"): the model found through the relation, since the funding app
    sits above this one and is never imported here."""
    return Action._meta.get_field("opportunities").related_model.objects.all()


def action_for(*, user, pk):
    """One action in the user's scope with everything its page shows; DoesNotExist otherwise."""
    action = (
        Action.objects.visible_to(user)
        .select_related("commitment__axis", "city__country", "ambassador__user")
        .prefetch_related(
            "focus_areas",
            "cities_involved",
            Prefetch("indicator_values", queryset=IndicatorValue.objects.select_related("indicator")),
            Prefetch("opportunities", queryset=_opportunities().select_related("funder")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch("status_changes", queryset=ActionStatusChange.objects.select_related("by")),
        )
        .get(pk=pk)
    )
    section = kinds.section_for(action.kind)
    if section is not None:  # only its own kind's details: a general action costs nothing more
        prefetch_related_objects([action], *section.prefetch)
    return action


def last_review_comment(action):
    """The reviewer's comment that returned the action, if it is returned (uses the prefetch)."""
    if action.status != Action.Status.RETURNED:
        return None
    returns = [change for change in action.status_changes.all() if change.to_status == Action.Status.RETURNED]
    return returns[-1] if returns else None
