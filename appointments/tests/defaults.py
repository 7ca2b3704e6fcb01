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


def accept_new_wording(sender, raw=False, **kwargs):
    """A test that adds to the catalogue (a factory's commitment) changes the wording: the
    appointments in force accept it as they accepted the one before, so the default holds."""
    if raw or _suspended:
        return
    from appointments.services import acceptance_record, wording_for_acceptance

    wording, version = wording_for_acceptance(language="es")
    for appointment in Ambassador.objects.current().exclude(acceptances__version=version).select_related("user"):
        acceptance_record(appointment=appointment, by=appointment.user, language="es", wording=wording, version=version)


CATALOGUE_UIDS = ("appointments.tests.defaults.axis", "appointments.tests.defaults.commitment")


def connect():
    from axes.models import Axis
    from commitments.models import Commitment

    post_save.connect(accept_new_appointments, sender=Ambassador, dispatch_uid="appointments.tests.defaults")
    for model, uid in zip((Axis, Commitment), CATALOGUE_UIDS, strict=True):
        post_save.connect(accept_new_wording, sender=model, dispatch_uid=uid)


def disconnect():
    from axes.models import Axis
    from commitments.models import Commitment

    post_save.disconnect(sender=Ambassador, dispatch_uid="appointments.tests.defaults")
    for model, uid in zip((Axis, Commitment), CATALOGUE_UIDS, strict=True):
        post_save.disconnect(sender=model, dispatch_uid=uid)


@contextlib.contextmanager
def pending():
    """Within it, new appointments wait for their acceptance."""
    _suspended.append(True)
    try:
        yield
    finally:
        _suspended.pop()
