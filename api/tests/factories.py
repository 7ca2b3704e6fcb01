import datetime

import factory
from django.utils import timezone

from ambassadors.tests.factories import UserFactory
from api.models import SECRET_PREFIX, VISIBLE_CHARS, ApiToken, secret_hash


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A usable token; its secret is on the instance (`token.secret`), as services.token_create
    returns it once."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Script {n}")
    secret = factory.Sequence(lambda n: f"{SECRET_PREFIX}factory-secret-{n:06d}-0123456789abcdef")
    prefix = factory.LazyAttribute(lambda token: token.secret[:VISIBLE_CHARS])
    key_hash = factory.LazyAttribute(lambda token: secret_hash(token.secret))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda token: token.created_at + datetime.timedelta(days=90))

    @classmethod
    def _create(cls, model_class, *args, secret, **kwargs):
        token = super()._create(model_class, *args, **kwargs)
        token.secret = secret
        return token
