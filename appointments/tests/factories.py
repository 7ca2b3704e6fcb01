import factory
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory
from appointments.models import Acceptance, AppointmentLetter, Wording
from appointments.services import CODE_ALPHABET, CODE_LENGTH


class AcceptanceFactory(factory.django.DjangoModelFactory):
    """An acceptance of an appointment's commitments in a wording of its own (not the current
    one, unless `version` and `wording` say so). In tests every new appointment is accepted
    already (appointments/tests/defaults.py): this is for more of them."""

    class Meta:
        model = Acceptance

    appointment = factory.SubFactory(AmbassadorFactory)
    accepted_by = factory.LazyAttribute(lambda acceptance: acceptance.appointment.user)
    language = "es"
    version = factory.Sequence(lambda n: f"{n:064x}")
    wording = factory.LazyFunction(lambda: {"axes": []})
    accepted_at = factory.LazyFunction(timezone.now)


class AppointmentLetterFactory(factory.django.DjangoModelFactory):
    """A letter in force (revoked_at=None) of its acceptance's appointment; the appointment's
    letter issued by the default acceptance is revoked first, so the one-in-force rule holds."""

    class Meta:
        model = AppointmentLetter

    acceptance = factory.SubFactory(AcceptanceFactory)
    appointment = factory.LazyAttribute(lambda letter: letter.acceptance.appointment)
    code = factory.Sequence(
        lambda n: "".join(
            CODE_ALPHABET[(n // len(CODE_ALPHABET) ** i) % len(CODE_ALPHABET)] for i in range(CODE_LENGTH)
        )
    )
    language = "es"
    issued_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, appointment, revoked_at=None, **kwargs):
        if revoked_at is None:
            AppointmentLetter.objects.filter(appointment=appointment, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        return super()._create(model_class, *args, appointment=appointment, revoked_at=revoked_at, **kwargs)


class WordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wording
        django_get_or_create = ["language"]

    language = "es"
    version = factory.Sequence(lambda n: f"{n:064x}")
