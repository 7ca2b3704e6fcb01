"""What the invitations tell the apps above them (they listen; this app knows none of them).

appointment_started: an invitation was accepted and its appointment made. Sent once the
transaction commits, with sender=Invitation and
- invitation: the accepted Invitation;
- ambassador: the new ambassadors.Ambassador, or None for a coordinator's invitation;
- outgoing: the ambassadors.Ambassador the invitation's `succeeds` named, ended that day by this
  acceptance (or before it, with no successor since), or None (the invitation succeeds nobody).
"""

from django.dispatch import Signal

appointment_started = Signal()
