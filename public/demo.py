"""Demo of the public pages: Lima, Bogotá, Rosario and Ciudad de México asked for theirs and the
coordinator of their country published them; Medellín's ambassador asked and waits for coord.sur.

Everything goes through public.services, as real use would (the ambassador asks, the coordinator
approves); the decision emails are marked as sent, since they tell of the past, as the
practices' demo does. Running it again adds nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ambassadors.models import Ambassador
from core.models import OutgoingEmail

from . import services
from .models import PublicPage

# city -> the coordinator who decides (None: the request waits)
DEMO_PAGES = [
    ("Lima", "coord.sur"),
    ("Bogotá", "coord.sur"),
    ("Rosario", "coord.sur"),
    ("Ciudad de México", "coord.norte"),
    ("Medellín", None),
]


@transaction.atomic
def load_demo_public():
    users = get_user_model().objects
    for city_name, coordinator in DEMO_PAGES:
        appointment = Ambassador.objects.current().select_related("city", "user").get(city__name=city_name)
        if PublicPage.objects.filter(city=appointment.city).exists():
            continue
        page = services.page_request(city=appointment.city, by=appointment.user)
        if coordinator is None:
            continue
        services.page_approve(page=page, by=users.get(username=coordinator))
        now = timezone.now()
        OutgoingEmail.objects.filter(key__startswith=f"public-page-decision:{page.pk}:").update(
            state=OutgoingEmail.State.SENT, sent_at=now
        )
