import factory
from django.core.files.base import ContentFile

from ambassadors.tests.factories import UserFactory
from imports.models import ImportJob


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A queued import of actions with a one-line CSV (the task is not run)."""

    class Meta:
        model = ImportJob

    user = factory.SubFactory(UserFactory)
    what = ImportJob.What.ACTIONS
    original_name = "acciones.csv"
    file = factory.LazyFunction(lambda: ContentFile("compromiso,título\n3.1,Taller\n".encode(), name="acciones.csv"))
