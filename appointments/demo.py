"""Demo: every demo ambassador accepted the commitments (in Spanish) the day after their
appointment, and has their letter."""

import datetime

from django.db import transaction
from django.utils import timezone

from ambassadors.demo import DEMO_AMBASSADORS
from ambassadors.models import Ambassador

from .models import Acceptance
from .services import acceptance_record, wording_for_acceptance


@transaction.atomic
def load_demo_appointments():
    wording, version = wording_for_acceptance(language="es")
    usernames = [row[0] for row in DEMO_AMBASSADORS]
    appointments = Ambassador.objects.current().filter(user__username__in=usernames).select_related("user")
    for appointment in appointments:
        if Acceptance.objects.filter(appointment=appointment, version=version).exists():
            continue
        accepted_at = timezone.make_aware(
            datetime.datetime.combine(appointment.appointed_on + datetime.timedelta(days=1), datetime.time(10))
        )
        acceptance_record(
            appointment=appointment,
            by=appointment.user,
            language="es",
            wording=wording,
            version=version,
            now=min(accepted_at, timezone.now()),
        )
