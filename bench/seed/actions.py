"""The actions, with the status history the workflow would have written, focus areas,
indicator values and the funding opportunities found for them: drawn in bulk, generated chunk
by chunk and written while the next chunk is generated."""

import datetime
import itertools
import math
import random
import time

from commitments.models import Action, ActionStatusChange, IndicatorValue

from .moments import DAY, HOUR
from .money import CURRENCY_OF_COUNTRY
from .pipeline import Pipeline
from .tables import Table, Writer, reset_sequences

CHUNK = 100_000  # actions per COPY round; their status changes, values, opportunities and areas go with them.

# Beyond the approved actions, these shares of their number in the other statuses (about 8 %).
OTHER_STATUSES = [(Action.Status.DRAFT, 0.03), (Action.Status.SUBMITTED, 0.03), (Action.Status.RETURNED, 0.02)]
ZIPF_EXPONENT = 0.7  # a city's share of the actions falls with its population rank as 1 / rank^0.7.
QUIET_CITIES = 0.08  # this share of the cities has had no action for 31 to 120 days.
# This share of the actions that count people also count people with disabilities, indigenous and
# Afro-descendant people, each up to this share of the total.
WIDER_GROUPS_SHARE = 0.3
WIDER_GROUPS_MOST = (0.15, 0.4, 0.3)

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
APPROVAL_COMMENTS = ["Aprobada. ¡Buen trabajo!", "Gracias por el detalle.", "Aprobada."]
RETURN_COMMENTS = [
    "Gracias. Añada la lista de asistentes y una foto de la actividad, por favor.",
    "Falta el desglose de personas alcanzadas.",
    "Indique qué resultó de la actividad.",
    "Revise las fechas: el fin es anterior a lo que cuenta la descripción.",
]


def running_totals(weights):
    return list(itertools.accumulate(weights))


def plan_actions(rng, *, approved, city_count, span):
    """Draw every action's status, city and day (offset from the window's start), in bulk.

    Returned in the order the actions get their ids: by day, as a real table grows.
    """
    counts = [(Action.Status.APPROVED.value, approved)]
    counts += [(status.value, round(approved * share)) for status, share in OTHER_STATUSES]
    statuses = [status for status, count in counts for _ in range(count)]
    total = len(statuses)
    city_weights = running_totals([1 / rank**ZIPF_EXPONENT for rank in range(1, city_count + 1)])
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
    """Write the actions with their status changes, focus areas, indicator values and
    opportunities (pipeline.Pipeline).

    Returns {table: rows written}, {(city index, indicator id): approved sum after the
    baseline year} of cumulative indicators, for the targets, and the opportunities to link to a
    milestone of their city's plan [(opportunity id, city index)], for the plans.
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
            *("men_reached", "other_reached", "youth_reached", "disability_reached", "indigenous_reached"),
            *("afro_reached", "kind", "partners", "good_practice", "status"),
            *("submitted_at", "decided_at", "created_at", "updated_at", "ambassador_id", "city_id", "commitment_id"),
        ],
    )
    changes = Table(
        ActionStatusChange,
        ["id", "action_id", "from_status", "to_status", "by_id", "at", "comment", "review_time", "city_id"],
    )
    areas_table = Table(Action.focus_areas.through, ["id", "action_id", "focusarea_id"])
    values_table = Table(IndicatorValue, ["id", "action_id", "indicator_id", "value"])
    pipeline = Pipeline(rng, ctx)
    action_id, change_id, area_id = actions.next_id(), changes.next_id(), areas_table.next_id()
    value_id = values_table.next_id()

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
    sums = {}

    approved_, submitted_, returned_, draft_ = (
        Action.Status.APPROVED.value,
        Action.Status.SUBMITTED.value,
        Action.Status.RETURNED.value,
        Action.Status.DRAFT.value,
    )
    r = rng.random
    # The wider groups draw from their own stream, seeded from the main one's state without
    # drawing from it: everything else comes out as it did before they were counted.
    wider = random.Random(repr(rng.getstate())).random  # noqa: S311 - benchmark data, not secrets
    general = Action.Kind.GENERAL.value
    td = datetime.timedelta
    started = time.monotonic()
    with Writer() as writer:
        for chunk_start in range(0, total, CHUNK):
            action_rows, change_rows, area_rows, value_rows = [], [], [], []
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
                    disability = indigenous = afro = None
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
                    disability = indigenous = afro = None
                    if people is not None and wider() < WIDER_GROUPS_SHARE:
                        disability, indigenous, afro = (int(people * wider() * most) for most in WIDER_GROUPS_MOST)
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
                        disability,
                        indigenous,
                        afro,
                        general,
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

                # Opportunities for about one action in ten (most of them under 1.4), each
                # linked to it, in the city's currency at the rate of the action's quarter, or in
                # dollars.
                if r() < commitment.opportunity_share:
                    for _ in range(1 if r() < 0.8 else 2):
                        usd = 1000 * 10 ** (r() * 3.3)
                        currency = currency_of[c] if r() < 0.65 else "USD"
                        if currency == "USD":
                            amount = f"{max(round(usd, -2), 100):.2f}"
                        else:
                            amount = f"{max(usd / rates[currency][quarter_of[day]], 0.01):.2f}"
                        pipeline.add(
                            action_id=action_id,
                            c=c,
                            city_id=city,
                            author=author,
                            day=day,
                            created=created,
                            currency=currency,
                            amount=amount,
                        )
                action_id += 1

            writer.write(
                [
                    (actions, action_rows),
                    (changes, change_rows),
                    (areas_table, area_rows),
                    (values_table, value_rows),
                    *pipeline.batches(),
                ]
            )
            done = min(chunk_start + CHUNK, total)
            log(f"actions: {done:,} of {total:,} generated ({time.monotonic() - started:.1f} s)")
    tables = {
        "actions": actions,
        "status changes": changes,
        "focus areas": areas_table,
        "indicator values": values_table,
        **pipeline.tables(),
    }
    reset_sequences([table.model for table in tables.values()])
    return {name: table.written for name, table in tables.items()}, sums, pipeline.to_milestones
