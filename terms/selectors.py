"""Reads on terms and handovers, already filtered by the user's scope."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ambassadors.models import Ambassador
from ambassadors.scope import review_scope_filter, roles_of
from commitments.models import Action
from commitments.services import keeps_city

from .models import Handover

# The page lists terms ending within this many days, and appointments ended this many days ago or less.
ENDING_WITHIN_DAYS = 90
ENDED_WITHIN_DAYS = 30
UNFINISHED = [Action.Status.DRAFT, Action.Status.RETURNED]


def terms_for(*, user, today=None):
    """The appointments of the cities the user reviews whose term ends within ENDING_WITHIN_DAYS
    (or is past), or that ended in the last ENDED_WITHIN_DAYS, soonest first, with their handover
    and the number of unfinished actions they left. A fixed number of queries."""
    today = today or timezone.localdate()
    ending = Q(status__in=[Ambassador.Status.ACTIVE, Ambassador.Status.PAUSED]) & Q(
        term_ends_on__lte=today + datetime.timedelta(days=ENDING_WITHIN_DAYS)
    )
    ended = Q(status=Ambassador.Status.ENDED, ended_on__gte=today - datetime.timedelta(days=ENDED_WITHIN_DAYS))
    city_has_other = Ambassador.objects.current().filter(city=OuterRef("city")).exclude(pk=OuterRef("pk"))
    return (
        Ambassador.objects.filter(review_scope_filter(user, prefix="city__"))
        .filter(ending | ended)
        .select_related("user", "city", "handover_out__successor__user")
        .annotate(
            # Counted on every row; shown for ended ones, whose drafts and returned actions wait.
            unfinished=Count("actions", filter=Q(actions__status__in=UNFINISHED)),
            city_has_other=Exists(city_has_other),
            ends=Coalesce("ended_on", "term_ends_on"),
        )
        .order_by("ends", "city__name", "pk")
    )


def term_for(*, user, pk):
    """One appointment of a city the user reviews; DoesNotExist otherwise."""
    return (
        Ambassador.objects.filter(review_scope_filter(user, prefix="city__"))
        .select_related("user", "city__country")
        .get(pk=pk)
    )


def left_behind_for(*, user):
    """The unfinished actions ended appointments left in the cities where the user may take them
    over: the user's own city while they are its ambassador in office, the cities they review."""
    roles = roles_of(user)
    scope = review_scope_filter(user, prefix="city__")
    # Q(): every city already (an admin). In office: active, as taking over asks (not paused).
    if scope != Q() and roles.is_ambassador and keeps_city(user, roles.ambassador_city_id):
        scope |= Q(city_id=roles.ambassador_city_id)
    return (
        Action.objects.left_behind()
        .filter(scope)
        .select_related("commitment__axis", "city", "ambassador__user")
        .order_by("city__name", "-updated_at", "pk")
    )


def left_behind_one(*, user, pk):
    return left_behind_for(user=user).get(pk=pk)


def handovers_recent(*, user, limit=20):
    """The last handovers of the cities the user reviews."""
    return Handover.objects.filter(review_scope_filter(user, prefix="outgoing__city__")).select_related(
        "outgoing__user", "outgoing__city", "successor__user", "by"
    )[:limit]


def city_has_other(term):
    """Whether the appointment's city has another appointment in force (one query)."""
    return Ambassador.objects.current().filter(city_id=term.city_id).exclude(pk=term.pk).exists()
