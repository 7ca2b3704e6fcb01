"""Factories of the terms app. A handover is made through terms.services, as a coordinator
makes it: the outgoing appointment ends and the successor's starts."""

import datetime

import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory, UserFactory
from terms import services
from terms.models import Handover, TermReminder


class HandoverFactory(factory.django.DjangoModelFactory):
    """HandoverFactory(outgoing=appointment, by=coordinator): `successor_user` (by default a new
    person) succeeds `outgoing` (by default a new city's ambassador) today."""

    class Meta:
        model = Handover

    outgoing = factory.SubFactory(AmbassadorFactory)
    successor_user = factory.SubFactory(UserFactory)
    by = factory.LazyFunction(lambda: UserFactory(is_staff=True, is_superuser=True))
    term_ends_on = None

    @classmethod
    def _create(cls, model_class, *, outgoing, successor_user, by, term_ends_on):
        return services.successor_appoint(outgoing=outgoing, user=successor_user, by=by, term_ends_on=term_ends_on)


class TermReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermReminder

    appointment = factory.SubFactory(AmbassadorFactory, term_ends_on=datetime.date(2027, 3, 1))
    threshold = 60
    recipient = factory.LazyAttribute(lambda reminder: reminder.appointment.user)
    term_ends_on = factory.LazyAttribute(lambda reminder: reminder.appointment.term_ends_on)
    sent_at = factory.LazyFunction(timezone.now)
