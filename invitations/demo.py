"""Demo of the invitations: coord.sur invited a new ambassador for Arequipa, who has not answered
yet (the invitation is pending; its email sits in the outgoing mail). Running it again adds
nothing, and sends again an invitation the days have expired."""

from django.contrib.auth import get_user_model
from django.db import transaction

from ambassadors.demo import DEMO_EMAIL_DOMAIN
from ambassadors.models import City

from . import services
from .models import Invitation

DEMO_INVITATION = {
    "email": f"invitada.arequipa@{DEMO_EMAIL_DOMAIN}",
    "full_name": "Valeria Huamán Flores",
    "city_name": "Arequipa",
    "country": "PE",
    "inviter": "coord.sur",
}


@transaction.atomic
def load_demo_invitations():
    demo = DEMO_INVITATION
    inviter = get_user_model().objects.get(username=demo["inviter"])
    existing = Invitation.objects.filter(email=demo["email"], accepted_at__isnull=True, revoked_at__isnull=True).first()
    if existing is not None:
        if existing.state == Invitation.State.EXPIRED:
            services.invitation_resend(invitation=existing, by=inviter)
        return existing
    city = City.objects.filter(country_id=demo["country"], name=demo["city_name"]).order_by("pk").first()
    if city is None:
        return None
    return services.invitation_create(
        by=inviter,
        email=demo["email"],
        full_name=demo["full_name"],
        role=Invitation.Role.AMBASSADOR,
        city=city,
        language="es",
    )
