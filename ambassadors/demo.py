"""Demo people and places: the accounts the README lists, all with the password DEMO_PASSWORD."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.db import transaction
from django.utils import timezone

from .gazetteer import load_gazetteer
from .models import Ambassador, City, Country
from .services import ambassador_appoint, coordinator_set_scope
from .twofactor import device_for_demo

DEMO_PASSWORD = "demo-omcs-2026"  # noqa: S105 - public by design: the README lists it.
DEMO_EMAIL_DOMAIN = "demo.omcs.example"
# The demo admin's and coordinators' second factor (ambassadors/twofactor.py): public by design, the
# README gives it to add to any TOTP app (base32, 30-second codes of 6 digits). Ambassadors have none.
DEMO_TOTP_SECRET = "OMCSDEMOTOTPSECRETKEYFORTHEDEMOS"  # noqa: S105

# username, first name, last name, GeoNames id of the city, the city's name and region as shown.
DEMO_AMBASSADORS = [
    ("emb.cdmx", "Mariana", "López Hernández", 3530597, "Ciudad de México", "Ciudad de México"),
    ("emb.monterrey", "Javier", "Garza Treviño", 3995465, "Monterrey", "Nuevo León"),
    ("emb.bogota", "Catalina", "Rojas Pardo", 3688689, "Bogotá", "Bogotá D.C."),
    ("emb.medellin", "Andrés", "Restrepo Gómez", 3674962, "Medellín", "Antioquia"),
    ("emb.lima", "Rosa", "Quispe Mamani", 3936456, "Lima", "Lima"),
    ("emb.valparaiso", "Tomás", "Fuentes Araya", 3868626, "Valparaíso", "Valparaíso"),
    ("emb.rosario", "Lucía", "Ferraro", 3838583, "Rosario", "Santa Fe"),
    ("emb.sanjose", "Daniela", "Vargas Solís", 3621849, "San José", "San José"),
]
DEMO_COORDINATORS = [
    ("coord.norte", "Elena", "Martínez Ruiz", ["MX", "CR"]),
    ("coord.sur", "Ricardo", "Silva Paredes", ["CO", "PE", "CL", "AR"]),
]
DEMO_COUNTRIES = ["MX", "CO", "PE", "CL", "AR", "CR"]


def _user(username, first_name, last_name, **extra):
    User = get_user_model()
    email = f"{username}@{DEMO_EMAIL_DOMAIN}"
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if not created and user.email != email:
        raise CommandError(f"A real account named {username!r} exists: the demo will not overwrite it.")
    user.first_name, user.last_name = first_name, last_name
    for field, value in extra.items():
        setattr(user, field, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def load_demo(today=None):
    """Create (or bring back to their demo state) the demo cities, people and roles.

    Appointments start about nine months before the first load and run three years, so the
    daily task that ends expired terms leaves the demo alone.
    """
    today = today or timezone.localdate()
    appointed_on = today - datetime.timedelta(days=270)
    load_gazetteer(country_codes=DEMO_COUNTRIES)
    device_for_demo(_user("admin", "Administración", "OMCS", is_staff=True, is_superuser=True), DEMO_TOTP_SECRET)
    for username, first_name, last_name, geoname_id, city_name, region in DEMO_AMBASSADORS:
        city = City.objects.get(geoname_id=geoname_id)
        if (city.name, city.region) != (city_name, region):
            city.name, city.region = city_name, region
            city.save(update_fields=["name", "region"])
        user = _user(username, first_name, last_name)
        if not Ambassador.objects.current().filter(city=city, user=user).exists():
            ambassador_appoint(
                city=city,
                user=user,
                appointed_on=appointed_on,
                term_ends_on=appointed_on + datetime.timedelta(days=3 * 365),
            )
    for username, first_name, last_name, country_codes in DEMO_COORDINATORS:
        user = _user(username, first_name, last_name)
        device_for_demo(user, DEMO_TOTP_SECRET)
        coordinator_set_scope(user=user, countries=Country.objects.filter(code__in=country_codes))
