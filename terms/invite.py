"""A successor who is new to the site, invited by email: the invitations app's invitation, which
on acceptance ends the outgoing appointment, appoints the successor and sends
invitations.signals.appointment_started (terms.receivers records the handover then)."""

from django.db import transaction

from ambassadors.models import Ambassador, City
from invitations.services import invitation_create

from .services import _require_manager, succession_validate


@transaction.atomic
def successor_invite(*, outgoing, by, email, full_name, term_ends_on=None):
    """Invite `email` to succeed `outgoing` as ambassador of its city (the same rules as naming a
    registered person; checked again when the invitation is accepted)."""
    _require_manager(by, outgoing)
    City.objects.select_for_update().filter(pk=outgoing.city_id).first()
    outgoing = Ambassador.objects.select_related("city").get(pk=outgoing.pk)
    succession_validate(outgoing=outgoing, by=by, email=email.strip(), field="email")
    return invitation_create(
        by=by,
        email=email,
        full_name=full_name,
        role="ambassador",
        city=outgoing.city,
        term_ends_on=term_ends_on,
        succeeds=outgoing,
    )
