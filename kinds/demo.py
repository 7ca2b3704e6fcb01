"""Demo of the kinds of action: in every demo city, two trainings of the Escuela de Gobernanza
Emocional (1.2), two participation mechanisms (1.3) and two public policies (2.1), about a month
apart over the demo's six months, so each period of the dashboards has some of each.

The first three of a city are one of each kind and approved; of the next three most are approved,
and the rest wait for review, are drafts or were returned, as the city's STATUS_PATTERNS says.
Valparaíso's and Lima's first policy is their local disaster-risk reduction plan.

Everything goes through the services, as real use would: commitments.services creates the action
with its kind and its people by group (for a training or a mechanism, its participants), this
app's services write the details, and the workflow sends and decides. The services stamp "now";
the action's moments are then moved back as commitments.demo moves its own, to the day it ended
(a policy's adoption), and the details are stamped with that day. The same city draws the same
demo on every machine (its random generator is seeded by the city); the dates count back from
the demo's today. The content is in demo_content.

The trainings type no value on 1.2-a (people trained): commitments.demo sets each city's goal for
it from its own actions, so that targets reached, on course and behind show side by side; the
people each training reached are its own figures.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ambassadors.demo import DEMO_AMBASSADORS, DEMO_COORDINATORS
from ambassadors.models import Ambassador
from commitments import services as action_services
from commitments.demo import _backdate
from commitments.models import Action, Commitment, Indicator
from commitments.sample_files import pdf_bytes, upload

from . import services
from .demo_content import (
    AFRO,
    APPROVE_COMMENT,
    DISABILITY,
    EVIDENCE_TITLES,
    FACILITATORS,
    INDIGENOUS,
    MECHANISMS,
    PARTNERS,
    POLICIES,
    RETURN_COMMENTS,
    RISK_PLAN,
    RISK_PLAN_CITIES,
    TRAININGS,
    YOUTH,
)
from .models import ParticipationMechanism

TRAINING, PARTICIPATION, POLICY = Action.Kind.TRAINING, Action.Kind.PARTICIPATION, Action.Kind.POLICY
KINDS = [TRAINING, PARTICIPATION, POLICY]
COMMITMENT_OF = {TRAINING: "1.2", PARTICIPATION: "1.3", POLICY: "2.1"}
# The status of each of a city's six actions, oldest first, by the city's place in DEMO_AMBASSADORS:
# the first three (one of each kind) approved, then mostly approved.
STATUS_PATTERNS = [
    ["approved", "approved", "approved", "approved", "returned", "submitted"],
    ["approved", "approved", "approved", "approved", "approved", "draft"],
    ["approved", "approved", "approved", "returned", "approved", "submitted"],
    ["approved", "approved", "approved", "approved", "submitted", "approved"],
]
# Days between a city's actions, and the age of its first one.
SPACING, FIRST_DAYS_AGO = 30, 175
# A training or a mechanism ends this many days ago at the latest: it is recorded on its last day,
# sent two days later and decided within ten, all before the demo's today.
LATEST_END_DAYS_AGO = 14


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _end(day, days, today):
    return min(day + datetime.timedelta(days=days), today - datetime.timedelta(days=LATEST_END_DAYS_AGO))


def _share(rng, total, shares):
    return None if shares is None else round(total * rng.uniform(*shares))


def _people(rng, total, country, *, indigenous=None):
    """The people an action reached, by group: women, men and other add up to the total; youth,
    people with disabilities, indigenous and Afro-descendant people are each a share of it (a
    group the country's demo leaves uncounted stays empty)."""
    women = round(total * rng.uniform(0.45, 0.65))
    other = rng.randint(0, total // 40)
    return {
        "people_reached": total,
        "women_reached": women,
        "men_reached": total - women - other,
        "other_reached": other,
        "youth_reached": _share(rng, total, YOUTH),
        "disability_reached": _share(rng, total, DISABILITY),
        "indigenous_reached": _share(rng, total, indigenous or INDIGENOUS.get(country)),
        "afro_reached": _share(rng, total, AFRO.get(country)),
    }


def _create(appointment, commitment, kind, spec, *, started_on, ended_on, people, values=None):
    """The draft action of `kind`, from a spec of demo_content."""
    return action_services.action_create(
        by=appointment.user,
        commitment=commitment,
        data={
            "kind": kind,
            "title": spec["title"],
            "description": spec["description"],
            "outcome": spec["outcome"],
            "started_on": started_on,
            "ended_on": ended_on,
            **people,
            "partners": PARTNERS[kind],
        },
        focus_areas=list(commitment.focus_areas.filter(name_es__in=spec["focus_areas"])),
        indicator_values={
            indicator.pk: values[indicator.code]
            for indicator in Indicator.objects.filter(code__in=list(values or ()), commitment=commitment)
        },
    )


def _sessions(rng, spec, start, end):
    """2 to 6 sessions on days of the training, the first on its first day."""
    days = (end - start).days
    count = min(rng.randint(*spec["sessions"]), days + 1)
    offsets = sorted([0, *rng.sample(range(1, days + 1), count - 1)])
    return [
        {
            "held_on": start + datetime.timedelta(days=offset),
            "hours": Decimal(spec["hours"]),
            "topic": spec["topics"][position % len(spec["topics"])],
        }
        for position, offset in enumerate(offsets)
    ]


def _training(rng, appointment, commitment, spec, day, today):
    end = _end(day, spec["days"] + rng.randint(0, 7), today)
    total = rng.randint(*spec["people"])
    action = _create(
        appointment,
        commitment,
        TRAINING,
        spec,
        started_on=day,
        ended_on=end,
        people=_people(rng, total, appointment.city.country_id),
    )
    before = Decimal(rng.randint(40, 62)) if spec["scored"] else None
    services.training_save(
        action=action,
        data={
            "format": spec["format"],
            "modality": spec["modality"],
            "facilitators": "\n".join(rng.sample(FACILITATORS, rng.randint(1, 3))),
            "public_servants": _share(rng, total, spec["servants"]),
            "certificates_issued": _share(rng, total, spec["certificates"]),
            "satisfaction": Decimal(rng.randint(38, 49)) / 10,
            "score_before": before,
            "score_after": before + rng.randint(10, 28) if before is not None else None,
        },
        sessions=_sessions(rng, spec, day, end),
        by=appointment.user,
        at=_moment(end),
    )
    return action


def _participation(rng, appointment, commitment, spec, day, today):
    end = _end(day, spec["days"], today)
    total = rng.randint(*spec["people"])
    action = _create(
        appointment,
        commitment,
        PARTICIPATION,
        spec,
        started_on=day,
        ended_on=end,
        people=_people(rng, total, appointment.city.country_id, indigenous=spec.get("indigenous")),
        values={"1.3-a": Decimal(1), "1.3-b": Decimal(total)},
    )
    services.participation_save(
        action=action,
        data={
            "mechanism": spec["mechanism"],
            **{measure: measure in spec["measures"] for measure in ParticipationMechanism.ACCESSIBILITY},
            "decisions_changed": spec["decisions"],
        },
        by=appointment.user,
        at=_moment(end),
    )
    return action


def _policy(rng, appointment, commitment, spec, day, today):
    """A policy whose work began `adopted_after` days before its adoption on `day`; one not adopted
    yet is work in progress since `day`."""
    adopted = spec["adopted_after"] is not None
    started_on = day - datetime.timedelta(days=spec["adopted_after"] + rng.randint(0, 10)) if adopted else day
    city = appointment.city
    action = _create(
        appointment,
        commitment,
        POLICY,
        spec,
        started_on=started_on,
        ended_on=day if adopted else None,
        people={},
        values={"2.1-a": Decimal(1)} if adopted else None,
    )
    services.policy_save(
        action=action,
        data={
            "instrument": spec["instrument"],
            "stage": spec["stage"],
            "adopted_on": day if adopted else None,
            "population_covered": _share(rng, city.population, spec["population"]) if city.population else None,
            "official_text_url": f"https://normas.demo.omcs.example/{city.geoname_id}/{action.pk}" if adopted else "",
            "disaster_risk_strategy": spec.get("disaster_risk_strategy", False),
        },
        by=appointment.user,
        at=_moment(day),
    )
    return action


WRITERS = {TRAINING: _training, PARTICIPATION: _participation, POLICY: _policy}


def _take_to(status, action, *, kind, by, reviewer):
    """Send the draft with its evidence, then approve or return it, as far as `status` says."""
    name, title = EVIDENCE_TITLES[kind]
    action_services.evidence_add_file(
        action=action, by=by, uploaded_file=upload(name, pdf_bytes(action.title[:40])), title=title
    )
    if status != "draft":
        action_services.action_submit(action=action, by=by)
    if status == "approved":
        action_services.action_approve(action=action, by=reviewer, comment=APPROVE_COMMENT)
    elif status == "returned":
        action_services.action_return(action=action, by=reviewer, comment=RETURN_COMMENTS[kind])


def _city_kinds(appointment, reviewer, statuses, *, commitments, today):
    rng = random.Random(f"kinds-{appointment.city.geoname_id}")
    if appointment.city.name in RISK_PLAN_CITIES:
        policies = [RISK_PLAN, rng.choice(POLICIES)]
    else:
        policies = rng.sample(POLICIES, 2)
    specs = {TRAINING: iter(rng.sample(TRAININGS, 2)), PARTICIPATION: iter(rng.sample(MECHANISMS, 2))}
    specs[POLICY] = iter(policies)
    kinds = rng.sample(KINDS, 3) + rng.sample(KINDS, 3)
    for position, (kind, status) in enumerate(zip(kinds, statuses, strict=True)):
        day = today - datetime.timedelta(days=FIRST_DAYS_AGO - position * SPACING + rng.randint(0, 12))
        commitment = commitments[COMMITMENT_OF[kind]]
        action = WRITERS[kind](rng, appointment, commitment, next(specs[kind]), day, today)
        _take_to(status, action, kind=kind, by=appointment.user, reviewer=reviewer)
        # Recorded once it ended: on a training's or a mechanism's last day, a policy's adoption.
        _backdate(action, action.ended_on or day, datetime.timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 23)))


@transaction.atomic
def load_demo_kinds(today=None):
    """Add the trainings, participation mechanisms and policies of each demo city that has none."""
    today = today or timezone.localdate()
    users = get_user_model().objects
    coordinator_of = {
        code: users.get(username=username) for username, _first, _last, codes in DEMO_COORDINATORS for code in codes
    }
    commitments = {commitment.code: commitment for commitment in Commitment.objects.with_axis()}
    for position, (username, *_rest) in enumerate(DEMO_AMBASSADORS):
        appointment = Ambassador.objects.select_related("city", "user").get(
            user__username=username, status=Ambassador.Status.ACTIVE
        )
        if Action.objects.filter(ambassador=appointment, kind__in=KINDS).exists():
            continue
        statuses = STATUS_PATTERNS[position % len(STATUS_PATTERNS)]
        _city_kinds(
            appointment,
            coordinator_of[appointment.city.country_id],
            statuses,
            commitments=commitments,
            today=today,
        )
