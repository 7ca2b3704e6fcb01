"""Demo practices (commitment 1.1): published practices in six cities, one waiting for review and
one draft, the cities that replicate them (planned, in progress, done), exchanges with partner
cities outside the network, and the commitments the coordinators follow.

Everything goes through practices.services, as real use would, from the approved demo actions of
commitments.demo (found by their titles there). The services stamp "now"; afterwards the
timestamps are moved back with queryset updates (demo data only) so the library reads like months
of work: a practice is written some weeks after its actions were approved, replications start
after it is published. The content is in demo_content.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ambassadors.demo import DEMO_COORDINATORS
from ambassadors.models import Ambassador, City
from commitments import services as action_services
from commitments.models import Action, Commitment, FocusArea
from core.models import OutgoingEmail

from . import services
from .demo_content import APPROVE_COMMENT, EXCHANGES, FOLLOWS, PRACTICES, REPLICATIONS, RETURN_COMMENT
from .models import (
    Exchange,
    ExchangeParticipation,
    PartnerCity,
    Practice,
    PracticeStatusChange,
    Replication,
    ReplicationAction,
)


def _past(at):
    """`at`, or two hours ago if that is earlier: the demo tells of the past."""
    return min(at, timezone.now() - datetime.timedelta(hours=2))


def _backdate_history(model, lookup, steps):
    """Move the audit entries with the steps [(recorded, moved)]: each entry keeps its distance from
    the step recorded before it."""
    for pk, recorded in model.history.filter(**lookup).values_list("pk", "history_date"):
        step_recorded, step_moved = max((step for step in steps if step[0] <= recorded), default=steps[0])
        model.history.filter(pk=pk).update(history_date=step_moved + (recorded - step_recorded))


def _city_action(city, title, *, approved):
    actions = Action.objects.filter(city=city, title=title).order_by("pk")
    return (actions.filter(status=Action.Status.APPROVED) if approved else actions).first()


def _write(spec, author):
    """The draft practice, from its city's approved actions (None if the demo actions are not there)."""
    city = author.city
    actions = [_city_action(city, title, approved=True) for title in spec["actions"]]
    if None in actions:
        return None
    missing = spec.get("returned_for", ())
    return services.practice_create(
        by=author.user,
        data={field: value for field, value in spec["data"].items() if field not in missing},
        actions=actions,
        focus_areas=FocusArea.objects.filter(
            commitment__in={action.commitment_id for action in actions}, name_es__in=spec["focus_areas"]
        ),
        evidence=[item for action in actions for item in action.evidence.all() if item.title in spec["share"]],
        goals=spec["goals"],
    )


def _review(practice, spec, author, coordinator):
    """Take the draft as far as the spec says, through the review."""
    if spec["status"] == "draft":
        return
    services.practice_submit(practice=practice, by=author.user)
    if spec.get("returned_for"):
        services.practice_return(practice=practice, by=coordinator, comment=RETURN_COMMENT)
        services.practice_update(
            practice=practice,
            by=author.user,
            data=spec["data"],
            actions=list(practice.actions.all()),
            focus_areas=list(practice.focus_areas.all()),
            evidence=list(practice.evidence.all()),
            goals=list(practice.goals.values_list("goal", flat=True)),
        )
        services.practice_submit(practice=practice, by=author.user)
    if spec["status"] == "published":
        services.practice_approve(practice=practice, by=coordinator, comment=APPROVE_COMMENT)
    if spec.get("featured"):
        services.practice_feature(practice=practice, by=coordinator, featured=True)


def _backdate_practice(practice, start, rng):
    """Each step of the practice a few days after the one before, from `start`, the last one in
    the past; the decision emails marked as sent, since they tell of the past."""
    changes = list(practice.status_changes.order_by("pk"))
    moments = [start]
    for _later in changes[1:]:
        moments.append(moments[-1] + datetime.timedelta(days=rng.randint(2, 6), hours=rng.randint(0, 8)))
    shift = moments[-1] - _past(moments[-1])
    moments = [moment - shift for moment in moments]
    for change, moment in zip(changes, moments, strict=True):
        PracticeStatusChange.objects.filter(pk=change.pk).update(at=moment)
        OutgoingEmail.objects.filter(key=f"practice-decision:{change.pk}").update(
            state=OutgoingEmail.State.SENT, created_at=moment, due_at=moment, sent_at=moment
        )
    moved_to = {change.to_status: moment for change, moment in zip(changes, moments, strict=True)}
    Practice.objects.filter(pk=practice.pk).update(
        created_at=moments[0],
        updated_at=moments[-1],
        submitted_at=moved_to.get(Practice.Status.SUBMITTED),
        published_at=moved_to.get(Practice.Status.PUBLISHED),
    )
    steps = [(change.at, moment) for change, moment in zip(changes, moments, strict=True)]
    _backdate_history(Practice, {"id": practice.pk}, steps)


def _practice(key, spec, appointments, coordinator_of):
    """The demo practice `key`, written and reviewed unless its city has it already."""
    author = appointments[spec["author"]]
    existing = Practice.objects.filter(city=author.city, title=spec["data"]["title"]).first()
    if existing is not None:
        return existing
    practice = _write(spec, author)
    if practice is None:
        return None
    _review(practice, spec, author, coordinator_of[author.city.country_id])
    rng = random.Random(key)
    last_approved = max(action.decided_at for action in practice.actions.all())
    _backdate_practice(practice, last_approved + datetime.timedelta(days=spec["written_after"], hours=2), rng)
    practice.refresh_from_db()
    return practice


def _replicate(practice, appointment, notes, links, days):
    """The appointment's city replicates the practice, with its own actions linked: said `days`
    after the publication, or the day before its first linked action was started."""
    user, city = appointment.user, appointment.city
    if practice.status != Practice.Status.PUBLISHED or practice.replications.filter(city=city).exists():
        return
    replication = services.replication_start(practice=practice, by=user, notes=notes)
    actions = [(_city_action(city, title, approved=False), completes) for title, completes in links]
    actions = [(action, completes) for action, completes in actions if action is not None]
    started = practice.published_at + datetime.timedelta(days=days)
    if actions:
        first_created = min(action.created_at for action, _completes in actions) - datetime.timedelta(days=1)
        started = max(practice.published_at + datetime.timedelta(days=1), min(started, first_created))
    started = _past(started)
    Replication.objects.filter(pk=replication.pk).update(started_at=started)
    Replication.history.filter(id=replication.pk).update(history_date=started)
    for action, completes in actions:
        link = services.replication_link(replication=replication, action=action, by=user, completes=completes)
        linked = _past(max(started, action.created_at) + datetime.timedelta(days=1))
        ReplicationAction.objects.filter(pk=link.pk).update(linked_at=linked)
        ReplicationAction.history.filter(id=link.pk).update(history_date=linked)


def _exchange(spec, users, practices):
    """The exchange, dated after the first practice it spread, unless it was recorded already."""
    linked = [practices[key] for key in spec["practices"] if practices.get(key) is not None]
    if Exchange.objects.filter(title=spec["title"]).exists() or not linked:
        return
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    started_on = min((linked[0].published_at + datetime.timedelta(days=spec["after"])).date(), yesterday)
    ended_on = None if spec["days"] is None else started_on + datetime.timedelta(days=spec["days"])
    exchange = services.exchange_save(
        by=users[spec["by"]],
        data={
            "kind": spec["kind"],
            "title": spec["title"],
            "description": spec["description"],
            "started_on": started_on,
            "ended_on": ended_on,
        },
        cities=City.objects.filter(ambassadors__isnull=False, name__in=spec["cities"]).distinct(),
        partner_cities=[{"name": name, "country": country} for name, country in spec["partners"]],
        practices=linked,
    )
    day_after = (ended_on or started_on) + datetime.timedelta(days=1)
    recorded = _past(timezone.make_aware(datetime.datetime.combine(day_after, datetime.time(9, 30))))
    Exchange.objects.filter(pk=exchange.pk).update(created_at=recorded, updated_at=recorded)
    Exchange.history.filter(id=exchange.pk).update(history_date=recorded)
    PartnerCity.history.filter(exchange_id=exchange.pk).update(history_date=recorded)
    _exchange_action(exchange, users[spec["by"]])


def _exchange_action(exchange, user):
    """The exchange as an action of the city that organised it (commitment 1.1), sent for review:
    its page links the exchange, whose page lists it."""
    if action_services.active_appointment(user) is None:
        return  # recorded by a coordinator
    commitment = Commitment.objects.with_axis().get(axis__number=1, number=1)
    action = action_services.action_create(
        by=user,
        commitment=commitment,
        data={
            "kind": Action.Kind.EXCHANGE,
            "title": exchange.title,
            "description": exchange.description,
            "started_on": exchange.started_on,
            "ended_on": exchange.ended_on,
        },
        focus_areas=list(commitment.focus_areas.filter(active=True)[:1]),
    )
    services.exchange_participation_save(
        action=action,
        data={"exchange": exchange, "role": ExchangeParticipation.Role.ORGANISED},
        by=user,
        at=timezone.now(),
    )
    action_services.action_submit(action=action, by=user)


def _follows(users):
    """The commitments each coordinator follows, added to any they chose themselves."""
    commitments = {commitment.code: commitment for commitment in Commitment.objects.with_axis()}
    for username, codes in FOLLOWS.items():
        user = users[username]
        followed = set(Commitment.objects.filter(followers__user=user))
        services.follows_set(user=user, commitments=followed | {commitments[code] for code in codes})


@transaction.atomic
def load_demo_practices():
    """Add the demo practices, replications, exchanges and follows that are not there yet."""
    appointments = {
        appointment.user.username: appointment
        for appointment in Ambassador.objects.filter(status=Ambassador.Status.ACTIVE).select_related("user", "city")
    }
    users = get_user_model().objects.in_bulk(
        [*appointments, *(username for username, *_rest in DEMO_COORDINATORS)], field_name="username"
    )
    coordinator_of = {code: users[username] for username, _f, _l, codes in DEMO_COORDINATORS for code in codes}
    practices = {key: _practice(key, spec, appointments, coordinator_of) for key, spec in PRACTICES.items()}
    for key, username, notes, links, days in REPLICATIONS:
        if practices.get(key) is not None:
            _replicate(practices[key], appointments[username], notes, links, days)
    for spec in EXCHANGES:
        _exchange(spec, users, practices)
    _follows(users)
