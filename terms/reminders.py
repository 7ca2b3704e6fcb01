"""Terms about to end, as the digests (reports.digests) tell them: the ambassador and the
coordinators of the city's country hear of it 60 days ahead and again 30 days ahead, each
once (a TermReminder row, written with the digest that tells it, says it was told)."""

import datetime

from django.utils import timezone

from ambassadors.models import Ambassador

from .models import TermReminder

# Days before the end of a term when it is told; the nearest threshold reached is told.
THRESHOLDS = (60, 30)


def threshold_for(days_left):
    """The threshold a term `days_left` days from its end has reached (None: not yet, or past)."""
    if days_left < 0:
        return None
    reached = [threshold for threshold in THRESHOLDS if days_left <= threshold]
    return min(reached) if reached else None


def ending_terms(*, today):
    """Appointments in force of active people whose term ends within the largest threshold,
    with their person and city. One query."""
    return (
        Ambassador.objects.current()
        .filter(
            user__is_active=True,
            term_ends_on__gte=today,
            term_ends_on__lte=today + datetime.timedelta(days=max(THRESHOLDS)),
        )
        .select_related("user", "city")
        .order_by("term_ends_on", "pk")
    )


def term_items(*, today, reviewers):
    """{user: [item, …]}: each ending term for its ambassador and for each coordinator (one of
    ambassadors.scope.reviewers() with countries; admins are not told) of its country, at the
    threshold it has reached, unless that person was already told at that threshold. Two queries."""
    terms = list(ending_terms(today=today))
    told = set(
        TermReminder.objects.filter(appointment__in=[term.pk for term in terms]).values_list(
            "appointment_id", "term_ends_on", "threshold", "recipient_id"
        )
    )
    coordinators = [reviewer for reviewer in reviewers if reviewer.countries is not None]
    items = {}
    for term in terms:
        days = (term.term_ends_on - today).days
        threshold = threshold_for(days)
        readers = [term.user] + [c.user for c in coordinators if c.covers(term.city.country_id)]
        for reader in readers:
            if (term.pk, term.term_ends_on, threshold, reader.pk) in told:
                continue
            items.setdefault(reader, []).append(
                {
                    "type": "term_ending",
                    "appointment": term.pk,
                    "own": reader.pk == term.user_id,
                    "city": term.city.name,
                    "person": term.user.get_full_name() or term.user.get_username(),
                    "term_ends_on": term.term_ends_on.isoformat(),
                    "threshold": threshold,
                    "days": days,
                }
            )
    return items


def term_reminders_record(*, recipient, items, at=None):
    """Note that `recipient` was told the term_ending `items` (in the digest just written)."""
    at = at or timezone.now()
    TermReminder.objects.bulk_create(
        [
            TermReminder(
                appointment_id=item["appointment"],
                threshold=item["threshold"],
                term_ends_on=datetime.date.fromisoformat(item["term_ends_on"]),
                recipient=recipient,
                sent_at=at,
            )
            for item in items
            if item["type"] == "term_ending"
        ],
        ignore_conflicts=True,
    )
