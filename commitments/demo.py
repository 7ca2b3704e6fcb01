"""Demo actions: about six months of work per demo city, in every status, with evidence.

Everything goes through the workflow services, as real use would; only the timestamps are
moved back afterwards so the history reads like six months of work.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ambassadors.demo import DEMO_AMBASSADORS, DEMO_COORDINATORS
from ambassadors.models import Ambassador
from core.models import OutgoingEmail

from . import review_tally, services
from .models import (
    Action,
    ActionStatusChange,
    Commitment,
    Evidence,
    ExchangeRate,
    Indicator,
    IndicatorValue,
    Notification,
)
from .sample_files import pdf_bytes, png_bytes, upload

# USD per unit, as a starting table admins replace with their own.
DEMO_RATES = {
    "MXN": "0.0550",
    "COP": "0.00025",
    "PEN": "0.2700",
    "CLP": "0.00105",
    "ARS": "0.00090",
    "CRC": "0.00195",
    "EUR": "1.0800",
}
CURRENCY_OF_COUNTRY = {"MX": "MXN", "CO": "COP", "PE": "PEN", "CL": "CLP", "AR": "ARS", "CR": "CRC"}

# commitment, title, what was done, what came of it, people reached, {indicator: (low, high)}, and
# whether money was sought for it (funding.demo records that money as opportunities of the action).
TEMPLATES = [
    ("1.1", "Intercambio de buenas prácticas con ciudades hermanas",
     "Presentamos el programa municipal de huertos urbanos a tres ciudades de la red en una sesión virtual.",
     "Dos ciudades pidieron la guía de implementación.", 45, {"1.1-a": (1, 3), "1.1-b": (1, 3)}, False),
    ("1.2", "Taller de Gobernanza Emocional para el equipo municipal",
     "Taller de dos jornadas sobre escucha activa y liderazgo cercano para directivos.",
     "Los equipos acordaron audiencias públicas mensuales.", 60, {"1.2-a": (20, 60), "1.2-b": (1, 2)}, False),
    ("1.3", "Cabildo abierto accesible con intérprete de lengua de señas",
     "Sesión de cabildo en un centro comunitario con rampa, subtitulado e interpretación.",
     "Se registraron 38 propuestas vecinales.", 180, {"1.3-a": (1, 2), "1.3-b": (80, 200)}, False),
    ("1.4", "Solicitud al fondo internacional para la transición ecológica",
     "Preparamos el diagnóstico y la nota conceptual para un fondo climático internacional.",
     "La solicitud pasó a la segunda fase de evaluación.", None, {"1.4-b": (1, 1)}, True),
    ("2.1", "Mercado de productoras y productores locales",
     "Feria mensual con 40 puestos de economía local y compra pública directa.",
     "Ventas por encima de lo previsto y 12 emprendimientos nuevos.", 900, {"2.1-b": (300, 900), "2.1-c": (10, 40)},
     False),
    ("3.1", "Cosecha de agua de lluvia en escuelas públicas",
     "Instalación de sistemas de captación en escuelas de barrios con cortes de agua.",
     "Las escuelas cubren el riego y los sanitarios en temporada de lluvias.", 1200, {"3.1-a": (80, 400)}, False),
    ("3.1", "Restauración de la ribera del río con brigadas vecinales",
     "Limpieza, reforestación con especies nativas y monitoreo de la calidad del agua.",
     "Se recuperaron tramos de ribera y se retiraron residuos sólidos.", 150, {"3.1-e": (2, 12)}, False),
]  # fmt: skip
RETURN_COMMENT = "Gracias. Añada la lista de asistentes y una foto de la actividad, por favor."
# Status of each demo action of a city, oldest first: mostly approved, then one of each other.
STATUSES = ["approved", "approved", "approved", "returned", "approved", "submitted", "draft"]
# This share of the demo actions that count people also count people with disabilities,
# indigenous and Afro-descendant people.
WIDER_GROUPS_SHARE = 0.3


def _rates():
    for currency, rate in DEMO_RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=currency, effective_on=datetime.date(2025, 1, 1), defaults={"usd_per_unit": Decimal(rate)}
        )


def _backdate(action, day, review_days):
    """Move the action's timestamps back to the day it happened (demo data only): each step two
    days after the last, a decision `review_days` after the submission. Demo notifications are
    marked as emailed: they tell of the past, not of news."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    Action.objects.filter(pk=action.pk).update(created_at=moment, updated_at=moment)
    at = moment
    submitted_at = None
    steps = []  # (when the step was recorded, when it is said to have happened)
    for change in action.status_changes.order_by("pk"):
        steps.append((change.at, None))
        review_time = None
        if change.to_status in ActionStatusChange.DECISIONS:
            at, review_time = submitted_at + review_days, review_days
        elif change.from_status:
            at = at + datetime.timedelta(days=2)
        if change.to_status == Action.Status.SUBMITTED:
            submitted_at = at
        steps[-1] = (change.at, at)
        ActionStatusChange.objects.filter(pk=change.pk).update(at=at, review_time=review_time)
        # A decision moved in time moves in the review tally too (its month and band).
        review_tally.count(change, -1)
        change.at, change.review_time = at, review_time
        review_tally.count(change)
        Notification.objects.filter(status_change=change).update(created_at=at)
        OutgoingEmail.objects.filter(pk__in=Notification.objects.filter(status_change=change).values("mail")).update(
            state=OutgoingEmail.State.SENT, created_at=at, due_at=at, sent_at=at
        )
    Action.objects.filter(pk=action.pk, submitted_at__isnull=False).update(submitted_at=submitted_at)
    Action.objects.filter(pk=action.pk, decided_at__isnull=False).update(decided_at=at)
    _backdate_history(action, steps)


def _backdate_history(action, steps):
    """Move the audit trail with the steps, so the action's timeline reads like its steps: each
    entry keeps its distance from the step recorded before it (the files uploaded right after
    the creation stay beside it)."""
    for model, lookup in ((Action, "id"), (IndicatorValue, "action_id"), (Evidence, "action_id")):
        for pk, recorded in model.history.filter(**{lookup: action.pk}).values_list("pk", "history_date"):
            step_recorded, step_moved = max((step for step in steps if step[0] <= recorded), default=steps[0])
            model.history.filter(pk=pk).update(history_date=step_moved + (recorded - step_recorded))


# How far each city's short-term training goal is from what it trained: reached, on course, behind.
TRAINING_GOAL_FACTORS = (Decimal("0.9"), Decimal("1.05"), Decimal("3"))


def _training_goal(city):
    """The short-term goal for people trained (1.2-a), set from what the city's approved actions
    trained, so the demo shows targets achieved, on track and at risk side by side."""
    trained = IndicatorValue.objects.filter(
        action__city=city, action__status=Action.Status.APPROVED, indicator__code="1.2-a"
    ).aggregate(total=Sum("value"))["total"]
    if not trained:
        return 250
    # Its own draw, so the other targets' figures (Lima's 3.1-b baseline of 61) stay as they were.
    factor = random.Random(f"training-{city.geoname_id}").choice(TRAINING_GOAL_FACTORS)
    return max(10, round(trained * factor))


def _targets(appointment, rng):
    user, city = appointment.user, appointment.city
    for code, horizon, baseline, goal, due in (
        ("1.2-a", "short", 0, _training_goal(city), datetime.date(2026, 12, 31)),
        ("3.1-a", "medium", 500, 5000, datetime.date(2028, 12, 31)),
        ("3.1-b", "long", rng.randint(60, 80), 95, datetime.date(2030, 12, 31)),
    ):
        if not city.targets.filter(indicator__code=code, horizon=horizon).exists():
            services.target_save(
                by=user,
                city=city,
                indicator=Indicator.objects.get(code=code),
                horizon=horizon,
                baseline=Decimal(baseline),
                baseline_year=2025,
                target_value=Decimal(goal),
                due_on=due,
            )


def _city_actions(appointment, reviewer, today):
    """One action of the appointment's city in each of STATUSES, a few weeks apart over about six
    months, each with two evidence files."""
    # The same demo on every machine: the draws from `rng` keep their order, here and in the helpers.
    rng = random.Random(appointment.city.geoname_id)
    user = appointment.user
    commitments = {c.code: c for c in Commitment.objects.with_axis()}
    templates = rng.sample(TEMPLATES, k=len(STATUSES))
    # Some cities are busy, others have gone quiet for a month or more: the dashboards show both.
    quiet_days = rng.randint(0, 70)
    for position, (template, status) in enumerate(zip(templates, STATUSES, strict=True)):
        commitment = commitments[template[0]]
        day = today - datetime.timedelta(days=max(1, 180 - position * 25 - quiet_days + rng.randint(0, 10)))
        action = _create_action(rng, appointment, commitment, template, day, good_practice=position % 3 == 0)
        _add_evidence(action, user)
        _take_to(status, action, by=user, reviewer=reviewer)
        _backdate(action, day, datetime.timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 23)))


def _create_action(rng, appointment, commitment, template, day, *, good_practice):
    """A draft action from one of TEMPLATES, started on `day`, with its people and values."""
    _code, title, description, outcome, people, values, with_funds = template
    women = people and rng.randint(people // 3, people // 2)
    indicator_values = {
        Indicator.objects.get(code=indicator).pk: Decimal(rng.randint(low, high))
        for indicator, (low, high) in values.items()
    }
    if with_funds:
        # The money sought for it is funding.demo's opportunities now; the two draws of the
        # amounts it had stay, so that everything drawn after them comes out as before.
        rng.randint(50, 400), rng.randint(20, 90)
    return services.action_create(
        by=appointment.user,
        commitment=commitment,
        data={
            "title": title,
            "description": description,
            "outcome": outcome,
            "started_on": day,
            "ended_on": day + datetime.timedelta(days=rng.randint(0, 3)),
            "people_reached": people,
            "women_reached": women,
            "men_reached": people and people - women - 2,
            "other_reached": people and 2,
            "youth_reached": people and people // 4,
            **_wider_groups(appointment.city, title, people),
            "partners": "Universidad local\nColectivo vecinal",
            "good_practice": good_practice,
        },
        focus_areas=list(commitment.focus_areas.all()[:2]),
        indicator_values=indicator_values,
        links=[{"url": "https://www.un.org/sustainabledevelopment/es/", "title": "Objetivos de Desarrollo Sostenible"}],
    )


def _wider_groups(city, title, people):
    """People with disabilities, indigenous and Afro-descendant people of one demo action (each
    within its total), or nothing for most: drawn from the action's own stream, so the demo's
    other draws come out as they did before these were counted."""
    rng = random.Random(f"{city.geoname_id}:{title}")
    if not people or rng.random() >= WIDER_GROUPS_SHARE:
        return {}
    return {
        "disability_reached": rng.randint(1, people // 8),
        "indigenous_reached": rng.randint(0, people // 3),
        "afro_reached": rng.randint(0, people // 4),
    }


def _add_evidence(action, user):
    """The minutes (a PDF) and a photo (a PNG) of the activity."""
    services.evidence_add_file(
        action=action,
        by=user,
        uploaded_file=upload("acta.pdf", pdf_bytes(action.title[:40])),
        title="Acta de la actividad",
    )
    services.evidence_add_file(
        action=action, by=user, uploaded_file=upload("foto.png", png_bytes(64, 48)), title="Foto de la actividad"
    )


def _take_to(status, action, *, by, reviewer):
    """Submit the draft, then approve or return it, as far as `status` says."""
    if status != "draft":
        services.action_submit(action=action, by=by)
    if status == "approved":
        services.action_approve(action=action, by=reviewer, comment="Aprobada. ¡Buen trabajo!")
    elif status == "returned":
        services.action_return(action=action, by=reviewer, comment=RETURN_COMMENT)


@transaction.atomic
def load_demo_actions(today=None):
    """Add the demo actions and targets of each demo city that has none yet."""
    today = today or timezone.localdate()
    _rates()
    users = get_user_model().objects
    coordinator_of = {
        code: users.get(username=username) for username, _first, _last, codes in DEMO_COORDINATORS for code in codes
    }
    for username, *_rest in DEMO_AMBASSADORS:
        appointment = Ambassador.objects.select_related("city", "user").get(
            user__username=username, status=Ambassador.Status.ACTIVE
        )
        if not Action.objects.filter(ambassador=appointment).exists():
            _city_actions(appointment, coordinator_of[appointment.city.country_id], today)
        _targets(appointment, random.Random(appointment.city.geoname_id))
