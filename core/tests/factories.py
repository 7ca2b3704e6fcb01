import factory
from django.contrib.auth import get_user_model

from core.models import EmailPreferences, OutgoingEmail


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password-2026")


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
