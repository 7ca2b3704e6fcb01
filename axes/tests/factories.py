import factory

from axes.models import Axis


class AxisFactory(factory.django.DjangoModelFactory):
    """A new axis after the three the migrations seed."""

    class Meta:
        model = Axis

    number = factory.Sequence(lambda n: n + 4)
    name_es = factory.Sequence(lambda n: f"Eje {n + 4}")
