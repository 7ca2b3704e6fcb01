"""The tests' default: an appointment made during a test (by a fixture, a factory, a service, an
import, the demo) counts as accepted, as the appointments in force when the acceptance shipped
do (migration 0002), so the hundreds of tests written before it open their pages as before.

The root conftest.py connects `accept_new_appointments` for the whole session; a test marked
`@pytest.mark.acceptance_pending` gets appointments whose commitments wait to be accepted, as
in production."""

import contextlib

from django.db.models.signals import post_save

from ambassadors.models import Ambassador

_suspended = []


def accept_new_appointments(sender, instance, created, raw=False, **kwargs):
    if created and not raw and not _suspended and instance.status != Ambassador.Status.ENDED:
        from appointments.services import acceptance_record

        acceptance_record(appointment=instance, by=instance.user, language="es")


def connect():
    post_save.connect(accept_new_appointments, sender=Ambassador, dispatch_uid="appointments.tests.defaults")


def disconnect():
    post_save.disconnect(sender=Ambassador, dispatch_uid="appointments.tests.defaults")


@contextlib.contextmanager
def pending():
    """Within it, new appointments wait for their acceptance."""
    _suspended.append(True)
    try:
        yield
    finally:
        _suspended.pop()
