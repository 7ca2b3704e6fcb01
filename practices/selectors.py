"""Reads on the practice library, already filtered by the user's scope, each page in a fixed
number of queries whatever the number of practices, replications, goals or actions."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Subquery, Sum
from django.utils.translation import gettext as _
from django_countries import countries

from ambassadors.scope import roles_of
from commitments.models import Action, Commitment, Evidence, Indicator, IndicatorValue

from .models import CommitmentFollow, Exchange, Practice, PracticeStatusChange, Replication

PREVIEW_ROWS = 10


def library(*, user):
    """The published practices every member of the network reads, ready for the list's cards:
    city and country, commitments with their axis, SDGs and replication counts."""
    return (
        Practice.objects.visible_to(user)
        .published()
        .select_related("city__country")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.with_axis()), "goals")
    )


def in_preparation(*, user):
    """For an ambassador: their city's practices not yet published (draft, waiting, returned)."""
    roles = roles_of(user)
    if not roles.is_ambassador:
        return Practice.objects.none()
    return (
        Practice.objects.in_city_scope_of(user)
        .filter(city_id=roles.ambassador_city_id)
        .exclude(status=Practice.Status.PUBLISHED)
        .order_by("-updated_at", "-pk")
    )


def awaiting_review(*, user):
    """For a coordinator or an admin: the practices waiting for their decision, oldest first."""
    return Practice.objects.awaiting_review_by(user).select_related("city").order_by("submitted_at", "pk")


def followed_commitment_ids(*, user):
    return set(CommitmentFollow.objects.filter(user=user).values_list("commitment_id", flat=True))


def practice_for(*, user, pk):
    """One practice the user may read, with everything its page shows; DoesNotExist otherwise.

    `viewer_in_scope` says whether the user works on the practice's city (they read its review
    history); each action says with `viewer_may_open` whether the user may open its page.
    """
    openable = Action.objects.visible_to(user).filter(pk=OuterRef("pk"))
    practice = (
        Practice.objects.visible_to(user)
        .select_related("city__country", "author__user", "contact")
        .annotate(viewer_in_scope=Exists(Practice.objects.in_city_scope_of(user).filter(pk=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.with_axis()),
            "focus_areas",
            "goals",
            Prefetch(
                "actions",
                queryset=Action.objects.annotate(viewer_may_open=Exists(openable)).order_by("started_on", "pk"),
            ),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "replications",
                queryset=Replication.objects.with_state().select_related("city__country").order_by("started_at", "pk"),
            ),
            Prefetch("exchanges", queryset=Exchange.objects.order_by("-started_on", "-pk")),
        )
        .get(pk=pk)
    )
    return practice


def status_history(practice):
    """The practice's review steps with who took them (one query)."""
    return PracticeStatusChange.objects.filter(practice=practice).select_related("by")


def indicator_results(practice):
    """The active indicators the practice's actions measured, each with `total` (the values summed, for
    cumulative indicators) and `latest` (the value of the most recent action, for a percentage
    or a yes/no, which are not added up), in one query."""
    values = IndicatorValue.objects.filter(action__practices=practice)
    latest = values.filter(indicator=OuterRef("pk")).order_by("-action__started_on", "-action__pk").values("value")[:1]
    return (
        Indicator.objects.filter(active=True, values__action__practices=practice)
        .annotate(total=Sum("values__value"), latest=Subquery(latest))
        .order_by("code")
    )


def summaries_besides_shown(practice):
    """The summaries written in the other languages than the one summary_text shows: (language
    code, language name, text)."""
    shown = practice.summary_text
    names = dict(settings.LANGUAGES)
    written = []
    for code in names:
        text = getattr(practice, f"summary_{code.replace('-', '_')}", "")
        if text and text != shown:
            written.append({"code": code, "name": names[code], "text": text})
    return written


def map_of(practice):
    """The practice's own city and the cities replicating it, with coordinates, over the outlines
    of their countries (ISO 3166 numeric codes, as the dashboards' map draws them). Uses what
    practice_for prefetched."""
    replications = list(practice.replications.all())
    cities = [{"city": practice.city, "role": "origin", "state": ""}] + [
        {"city": replication.city, "role": "replication", "state": str(replication.state_label)}
        for replication in replications
    ]
    points = [
        {
            "name": str(entry["city"].name),
            "country": entry["city"].country.name,
            "latitude": float(entry["city"].latitude),
            "longitude": float(entry["city"].longitude),
            "role": entry["role"],
            "state": entry["state"],
        }
        for entry in cities
        if entry["city"].latitude is not None and entry["city"].longitude is not None
    ]
    codes = sorted({entry["city"].country_id for entry in cities})
    numbers = (countries.numeric(code) for code in codes)
    return {
        "countries": [f"{number:03d}" for number in numbers if number is not None],
        "cities": points,
        "legend": {"origin": str(_("Ciudad de la práctica")), "replication": str(_("Ciudad que la replica"))},
    }
