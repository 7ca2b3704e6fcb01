"""Demo terms: Monterrey's ambassador's term ends within 60 days (the reminders and the terms
page show it), and Medellín's post was handed over to its ambassador by a predecessor."""

import datetime

from django.db import transaction
from django.utils import timezone

from ambassadors.demo import _user
from ambassadors.models import Ambassador
from ambassadors.services import ambassador_set_term

from .models import Handover
from .services import handover_record

NEAR_END_USERNAME = "emb.monterrey"
NEAR_END_DAYS = 45
HANDED_OVER_USERNAME = "emb.medellin"
PREDECESSOR = ("emb.medellin.anterior", "Sergio", "Arango Vélez")


@transaction.atomic
def load_demo_terms(today=None):
    """After ambassadors.demo.load_demo. Idempotent: a second load moves the near end to the new
    today and keeps the one handover."""
    today = today or timezone.localdate()
    near = Ambassador.objects.current().get(user__username=NEAR_END_USERNAME)
    ambassador_set_term(ambassador=near, term_ends_on=today + datetime.timedelta(days=NEAR_END_DAYS))
    successor = Ambassador.objects.current().select_related("city").get(user__username=HANDED_OVER_USERNAME)
    if Handover.objects.filter(successor=successor).exists():
        return
    username, first_name, last_name = PREDECESSOR
    person = _user(username, first_name, last_name)
    # The predecessor's three years ended the day the current ambassador was appointed: written
    # as the past it is (ambassador_appoint records appointments from today back, in order).
    outgoing = Ambassador.objects.create(
        user=person,
        city=successor.city,
        appointed_on=successor.appointed_on - datetime.timedelta(days=3 * 365),
        term_ends_on=successor.appointed_on,
        status=Ambassador.Status.ENDED,
        ended_on=successor.appointed_on,
    )
    coordinator = successor.city.country.coordinators.select_related("user").first()
    handover_record(
        outgoing=outgoing,
        successor=successor,
        by=coordinator.user if coordinator else None,
        at=timezone.make_aware(datetime.datetime.combine(successor.appointed_on, datetime.time(10))),
    )
