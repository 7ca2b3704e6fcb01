import datetime

import factory
from django.utils import timezone

from ambassadors import services
from ambassadors.models import AccessAttempt, AccessCounter, Ambassador, City, Coordinator, Country
from core.tests.factories import UserFactory


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = "PE"
    subregion = Country.Subregion.SOUTH_AMERICA


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Ciudad {n}")
    population = 100_000
    time_zone = "America/Lima"


class AmbassadorFactory(factory.django.DjangoModelFactory):
    """A person appointed ambassador of a city through the service, as the admin does."""

    class Meta:
        model = Ambassador

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    appointed_on = datetime.date(2025, 3, 1)

    @classmethod
    def _create(cls, model_class, *, user, city, appointed_on, **fields):
        return services.ambassador_appoint(city=city, user=user, appointed_on=appointed_on, **fields)


class CoordinatorFactory(factory.django.DjangoModelFactory):
    """A coordinator of `countries` (a list) through the service."""

    class Meta:
        model = Coordinator

    user = factory.SubFactory(UserFactory)
    countries = factory.LazyFunction(lambda: [CountryFactory()])

    @classmethod
    def _create(cls, model_class, *, user, countries, **fields):
        return services.coordinator_set_scope(user=user, countries=countries, **fields)


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessAttempt

    kind = AccessAttempt.Kind.values[0]
    username = "alicia"
    ip_address = "127.0.0.1"
    attempted_at = factory.LazyFunction(timezone.now)


class AccessCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessCounter

    limit = AccessCounter.Limit.LOGIN_USERNAME
    username = "alicia"
    window_started_at = factory.LazyFunction(timezone.now)
