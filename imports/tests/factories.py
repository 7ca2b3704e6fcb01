import factory

from ambassadors.tests.factories import CityFactory, UserFactory
from imports.models import ImportJob


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A queued import of actions with a one-line CSV (the task is not run)."""

    class Meta:
        model = ImportJob

    user = factory.SubFactory(UserFactory)
    what = ImportJob.What.ACTIONS
    city = factory.SubFactory(CityFactory)
    original_name = "acciones.csv"
    file = factory.django.FileField(filename="acciones.csv", data="compromiso,título\n3.1,Taller\n".encode())
