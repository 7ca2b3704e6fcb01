"""A successor who is new to the site, invited by email: the invitations app's invitation, which
on acceptance ends the outgoing appointment, appoints the successor and sends
invitations.signals.appointment_started (terms.receivers records the handover then).

Imported only when the invitations app is installed (terms.views checks it): this module is the
one place the terms app calls that app."""

from invitations.services import invitation_create

from .services import _require_manager


def successor_invite(*, outgoing, by, email, full_name, term_ends_on=None):
    """Invite `email` to succeed `outgoing` as ambassador of its city."""
    _require_manager(by, outgoing)
    return invitation_create(
        by=by,
        email=email,
        full_name=full_name,
        role="ambassador",
        city=outgoing.city,
        term_ends_on=term_ends_on,
        succeeds=outgoing,
    )
