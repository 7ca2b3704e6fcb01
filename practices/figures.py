"""What the panel, the city reports, "Mi ciudad" and the weekly summary read about practices.

Counts for a set of cities and a period, a city's own practices and the ones it replicates, and
the practices published in a week with who follows their commitments. Every function runs a
fixed number of queries, whatever the number of cities, practices or people. A period is two
dates, both included, read as local days (the site's time zone), as the rest of the figures.
"""

from django.db.models import Count, F, Prefetch, Q

from commitments.models import Commitment
from core.dates import local_days

from .models import CommitmentFollow, Practice, Replication


def published_in(start, end):
    """Practices published within [start, end]. A draft, a practice waiting for review or one
    returned never counts: only the coordinators' approval publishes."""
    since, until = local_days(start, end)
    return Practice.objects.published().filter(published_at__gte=since, published_at__lt=until)


def practice_counts(*, cities, start, end):
    """For `cities` (a queryset or a list) over [start, end]: the practices they published, the
    replications they started, and those they finished (the day the completing action was
    approved: Replication.objects.with_state's done_at). Two queries."""
    since, until = local_days(start, end)
    replications = (
        Replication.objects.filter(city__in=cities)
        .with_state()
        .aggregate(
            started=Count("pk", filter=Q(started_at__gte=since, started_at__lt=until)),
            done=Count("pk", filter=Q(done_at__gte=since, done_at__lt=until)),
        )
    )
    return {
        "published": published_in(start, end).filter(city__in=cities).count(),
        "replications_started": replications["started"],
        "replications_done": replications["done"],
    }


def city_practices(*, city, user):
    """The city's practices the user may read (Practice.objects.visible_to: every status for the
    city's scope, only published ones for anyone else), those not yet published first, then the
    latest published; with their replication counts. One query."""
    return list(
        Practice.objects.visible_to(user)
        .filter(city=city)
        .with_replication_counts()
        .order_by(F("published_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def city_replications(*, city, user):
    """The practices the city replicates, with their own city and the replication's state (and
    state_label), the latest first. One query."""
    return list(
        Replication.objects.filter(city=city)
        .visible_to(user)
        .with_state()
        .select_related("practice__city")
        .order_by("-started_at", "-pk")
    )


def published_by_city_until(*, city, end):
    """The practices the city had published by the end of day `end`, oldest first, as rows
    (pk, title, published_at). One query."""
    _since, until = local_days(end, end)
    return list(
        Practice.objects.published()
        .filter(city=city, published_at__lt=until)
        .order_by("published_at", "pk")
        .values("pk", "title", "published_at")
    )


def replicated_by_city_until(*, city, end):
    """The replications the city had started by the end of day `end`, oldest first, each with its
    practice, that practice's city and its state (and state_label) on that day: done if its
    completing action was approved by then, in progress if an action was linked by then, else
    planned (a link removed since is not seen). One query."""
    _since, until = local_days(end, end)
    replications = list(
        Replication.objects.filter(city=city, started_at__lt=until)
        .with_state()
        .select_related("practice__city")
        .order_by("started_at", "pk")
    )
    for replication in replications:
        if replication.done_at is not None and replication.done_at < until:
            replication.state = Replication.State.DONE
        elif replication.first_linked_at is not None and replication.first_linked_at < until:
            replication.state = Replication.State.IN_PROGRESS
        else:
            replication.state = Replication.State.PLANNED
    return replications


def published_with_commitments(*, start, end):
    """The practices published within [start, end], oldest first, with their city and their
    commitments (with their axes, for the codes). Two queries."""
    return list(
        published_in(start, end)
        .select_related("city")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.with_axis()))
        .order_by("published_at", "pk")
    )


def followers_of(commitments):
    """{user id: {commitment id, …}}: who follows which of `commitments`. One query (none for no commitment)."""
    followed = {}
    rows = CommitmentFollow.objects.filter(commitment__in=list(commitments)).values_list("user", "commitment")
    for user_id, commitment_id in rows:
        followed.setdefault(user_id, set()).add(commitment_id)
    return followed
