import factory

from ambassadors.tests.factories import CityFactory
from core.tests.factories import UserFactory
from invitations import services
from invitations.models import Invitation


class InvitationFactory(factory.django.DjangoModelFactory):
    """An ambassador's invitation made (and sent) through the service, by an admin unless `by`."""

    class Meta:
        model = Invitation

    by = factory.SubFactory(UserFactory, is_staff=True, is_superuser=True)
    email = factory.Sequence(lambda n: f"invitada{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Persona Invitada {n}")
    role = Invitation.Role.AMBASSADOR
    city = factory.SubFactory(CityFactory)

    @classmethod
    def _create(cls, model_class, *, by, **fields):
        return services.invitation_create(by=by, **fields)
