import factory

from ambassadors.tests.factories import UserFactory
from core.models import EmailPreferences, OutgoingEmail


class EmailPreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailPreferences
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutgoingEmail

    key = factory.Sequence(lambda n: f"test:{n}")
    recipient = factory.SubFactory(UserFactory)
    to = factory.LazyAttribute(lambda mail: mail.recipient.email)
    subject = "Asunto"
    body = "Texto."
