"""The handover of a successor invited by email, recorded when their invitation is accepted.
Connected by TermsConfig.ready() when the invitations app is installed."""

from django.dispatch import receiver

from invitations.signals import appointment_started

from .services import handover_record


@receiver(appointment_started, dispatch_uid="terms.handover_on_appointment")
def record_handover(sender, *, invitation, ambassador=None, outgoing=None, **kwargs):
    if ambassador is None or outgoing is None:
        return
    handover_record(outgoing=outgoing, successor=ambassador, by=invitation.invited_by)
