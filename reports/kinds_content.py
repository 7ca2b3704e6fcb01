"""The kinds' and the hazard log's part of the panel, "Mi ciudad" and a progress report: the
figures of trainings, participation mechanisms and policies (kinds.figures) and of hazard events
(hazards.figures) for a scope and period.

Each is written as plain JSON (`kinds_entry`, `hazards_entry`: numbers, ISO dates, decimals as
strings, choices by their values), which a report stores in its snapshot since SNAPSHOT_VERSION
4, and presented from it (`presented_kinds`, `presented_hazards`: labels in the active language,
Decimals and dates), which the pages do too, so a page and a report show the same thing the same
way. A snapshot written before has neither key: presented as None, its sections are left out.
"""

import datetime
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commitments.models import Action
from hazards import figures as hazard_figures
from hazards.models import HazardEvent
from kinds import figures as kind_figures
from kinds.models import ParticipationMechanism, PublicPolicy

from .money_content import decimal_text
from .periods import Period

# How many of the period's events the panel lists (the latest); a report lists all its city's.
EVENTS_LISTED = 50


# Writing the JSON.


def kinds_entry(*, cities, period, city_count):
    """Trainings, mechanisms and policies of `cities` over `period` (kinds.figures.kind_figures,
    three queries), with the share of the `city_count` cities that had a local disaster-risk
    strategy by the period's end."""
    found = kind_figures.kind_figures(cities=cities, start=period.start, end=period.end, city_count=city_count)
    training, policy = found["training"], found["policy"]
    return {
        "training": {
            **training,
            "hours": decimal_text(training["hours"]),
            "satisfaction": decimal_text(training["satisfaction"]),
        },
        "participation": found["participation"],
        "policy": {**policy, "strategy_share": _tenths(policy["strategy_share"])},
    }


def _tenths(value):
    return None if value is None else str(value)


def _event_entry(event):
    return {
        "id": event.pk,
        "title": event.title,
        "city": event.city.name,
        "hazard": event.hazard,
        "started_on": event.started_on.isoformat(),
        "ended_on": event.ended_on.isoformat() if event.ended_on else None,
        "affected": event.people_affected,
        "deaths": event.deaths,
        "missing": event.missing,
        "loss": decimal_text(event.economic_loss),
        "currency": event.currency,
        "loss_usd": decimal_text(event.loss_usd),
        "linked_actions": event.linked_actions,
    }


def hazards_entry(*, cities, period, populations=None, limit=None, found=None):
    """The hazard events of `cities` over `period` (hazards.figures.hazard_figures, unless
    `found` holds them already) and the list of them (the latest `limit` when given): two queries
    (three without `populations`: hazard_figures says when)."""
    if found is None:
        found = hazard_figures.hazard_figures(
            cities=cities, start=period.start, end=period.end, populations=populations
        )
    events = hazard_figures.event_list(cities=cities, start=period.start, end=period.end, limit=limit)
    sendai = found["sendai"]
    return {
        **{key: value for key, value in found.items() if key not in ("by_city", "sendai")},
        "loss_usd": decimal_text(found["loss_usd"]),
        "sendai": {**sendai, "per_100k": _tenths(sendai["per_100k"])},
        "listed": [_event_entry(event) for event in events],
    }


# Presenting it.


def _labelled(counts, labels, *, keep_zeros=False):
    """{value: count} as [{value, label, count}] in `labels`' order, then any value it no longer
    knows (a choice removed since the snapshot was written) by its value."""
    ordered = [value for value in labels if value in counts] + [value for value in counts if value not in labels]
    return [
        {"value": value, "label": labels.get(value, value), "count": counts[value]}
        for value in ordered
        if keep_zeros or counts[value]
    ]


def _groups(people):
    """The people by group, labelled as on the action's form: the total first."""
    labels = {"people": _("Total")}
    for name, field in kind_figures.PEOPLE.items():
        if name != "people":
            labels[name] = capfirst(Action._meta.get_field(field).verbose_name)
    return _labelled(people, labels, keep_zeros=True)


def _decimal(value):
    return None if value is None else Decimal(value)


def presented_kinds(entry):
    """The kinds' part of a snapshot (or of a page) in the active language; None when absent."""
    if entry is None:
        return None
    training, participation, policy = entry["training"], entry["participation"], entry["policy"]
    field = ParticipationMechanism._meta.get_field
    measures = {name: capfirst(field(name).verbose_name) for name in ParticipationMechanism.ACCESSIBILITY}
    return {
        "training": {
            **training,
            "hours": _decimal(training["hours"]),
            "satisfaction": _decimal(training["satisfaction"]),
            "groups": _groups(training["people"]),
        },
        "participation": {
            **participation,
            "by_mechanism": _labelled(participation["by_mechanism"], dict(ParticipationMechanism.Mechanism.choices)),
            "by_measure": _labelled(participation["by_measure"], measures, keep_zeros=True),
            "groups": _groups(participation["people"]),
        },
        "policy": {
            **policy,
            "by_instrument": _labelled(policy["by_instrument"], dict(PublicPolicy.Instrument.choices)),
            "strategy_share": _decimal(policy.get("strategy_share")),
        },
    }


def _presented_event(event, hazards):
    return {
        **event,
        "hazard_label": hazards.get(event["hazard"], event["hazard"]),
        "started_on": datetime.date.fromisoformat(event["started_on"]),
        "ended_on": datetime.date.fromisoformat(event["ended_on"]) if event["ended_on"] else None,
        "loss": _decimal(event["loss"]),
        "loss_usd": _decimal(event["loss_usd"]),
    }


def presented_hazards(entry):
    """The hazard part of a snapshot (or of a page) in the active language; None when absent."""
    if entry is None:
        return None
    hazards = dict(HazardEvent.Hazard.choices)
    return {
        **entry,
        "by_hazard": _labelled(entry["by_hazard"], hazards),
        "loss_usd": Decimal(entry["loss_usd"]),
        "sendai": {**entry["sendai"], "per_100k": _decimal(entry["sendai"]["per_100k"])},
        "listed": [_presented_event(event, hazards) for event in entry["listed"]],
        "more": entry["events"] - len(entry["listed"]),
    }


# The pages.


def panel(*, cities, period, activity):
    """What the coordinators' panel shows of the kinds and the hazard log: its figures, the
    latest EVENTS_LISTED events, and the map's markers of the cities hit. `activity` is
    dashboards.city_activity's (every city of the scope, with its population and coordinates).
    Five queries."""
    populations = {city.pk: city.population for city in activity}
    found = hazard_figures.hazard_figures(cities=cities, start=period.start, end=period.end, populations=populations)
    hazards = presented_hazards(hazards_entry(cities=cities, period=period, limit=EVENTS_LISTED, found=found))
    return {
        "kinds": presented_kinds(kinds_entry(cities=cities, period=period, city_count=len(activity))),
        "hazards": hazards,
        "hazard_markers": hazard_markers(activity, found["by_city"]),
    }


def city_figures(*, city, start, end):
    """What "Mi ciudad" shows of the kinds and the hazard log, from `start` to `end`: five
    queries."""
    period = Period(start, end)
    return {
        "kinds": presented_kinds(kinds_entry(cities=[city], period=period, city_count=1)),
        "hazards": presented_hazards(
            hazards_entry(cities=[city], period=period, populations={city.pk: city.population})
        ),
    }


def hazard_markers(activity, by_city):
    """The map's markers: each city of `activity` with coordinates hit by events in the period
    (hazard_figures' by_city), with how many and the people they affected, and its tooltip."""
    markers = []
    for city in activity:
        hit = by_city.get(city.pk)
        if not hit or city.latitude is None or city.longitude is None:
            continue
        events = ngettext("%(n)s evento de riesgo", "%(n)s eventos de riesgo", hit["events"]) % {"n": hit["events"]}
        affected = ngettext("%(n)s persona afectada", "%(n)s personas afectadas", hit["affected"]) % {
            "n": hit["affected"]
        }
        markers.append(
            {
                "name": city.name,
                "latitude": float(city.latitude),
                "longitude": float(city.longitude),
                "events": hit["events"],
                "affected": hit["affected"],
                "label": f"{city.name}: {events} · {affected}",
            }
        )
    return markers


# The spreadsheets: rows of outputs.figure_rows ([section, code, concept, value, previous]) and a
# sheet of the events.


def _people_rows(section, concept, groups):
    return [[section, "", f"{concept}: {group['label']}", group["count"], None] for group in groups]


def _count_rows(section, concept, counts):
    """One row per labelled count (_labelled's), its value as the code."""
    return [[section, row["value"], f"{concept}: {row['label']}", row["count"], None] for row in counts]


def kinds_rows(report):
    """The kinds' figures of a report, one per row; none for a report written before them."""
    kinds = report.get("kinds")
    if kinds is None:
        return []
    training, participation, policy = kinds["training"], kinds["participation"], kinds["policy"]
    section = _("Formaciones")
    rows = [
        [section, "", _("Formaciones realizadas"), training["trainings"], None],
        [section, "", _("Sesiones"), training["sessions"], None],
        [section, "", _("Horas"), training["hours"], None],
        *_people_rows(section, _("Personas formadas"), training["groups"]),
        [section, "", _("Servidores públicos formados"), training["public_servants"], None],
        [section, "", _("Certificados emitidos"), training["certificates"], None],
        [section, "", _("Satisfacción media (1 a 5, ponderada por participantes)"), training["satisfaction"], None],
    ]
    section = _("Mecanismos de participación")
    rows += [
        [section, "", _("Mecanismos de participación"), participation["mechanisms"], None],
        *_count_rows(section, _("Tipo"), participation["by_mechanism"]),
        [section, "", _("Con al menos una medida de accesibilidad"), participation["accessible"], None],
        *_count_rows(section, _("Medida de accesibilidad"), participation["by_measure"]),
        [section, "", _("Cambiaron al menos una decisión"), participation["changed_decisions"], None],
        *_people_rows(section, _("Participantes"), participation["groups"]),
    ]
    section = _("Políticas públicas")
    rows += [
        [section, "", _("Políticas adoptadas"), policy["adopted"], None],
        *_count_rows(section, _("Instrumento"), policy["by_instrument"]),
        [section, "", _("Población cubierta"), policy["population_covered"], None],
        [
            section,
            "",
            _("Estrategias locales de reducción del riesgo de desastres adoptadas"),
            policy["strategies"],
            None,
        ],
        [
            section,
            "11.b.2 / 13.1.3",
            _("Ciudades con una estrategia local de reducción del riesgo de desastres"),
            policy["cities_with_strategy"],
            None,
        ],
    ]
    if policy.get("strategy_share") is not None:
        rows.append([section, "11.b.2 / 13.1.3", _("Ciudades con estrategia (%)"), policy["strategy_share"], None])
    return rows


def hazard_rows(report):
    """The hazard figures of a report, one per row; none for a report written before them."""
    hazards = report.get("hazards")
    if hazards is None:
        return []
    section, sendai = _("Eventos de riesgo"), hazards["sendai"]
    return [
        [section, "", _("Eventos de riesgo"), hazards["events"], None],
        *_count_rows(section, _("Tipo"), hazards["by_hazard"]),
        [section, "", _("Personas afectadas"), hazards["affected"], None],
        [section, "", _("Personas fallecidas"), hazards["deaths"], None],
        [section, "", _("Personas desaparecidas"), hazards["missing"], None],
        [
            section,
            "11.5.1 / 13.1.1",
            _("Fallecidas, desaparecidas y afectadas por cada 100.000 habitantes"),
            sendai["per_100k"],
            None,
        ],
        [section, "11.5.2", _("Pérdida económica directa (USD)"), hazards["loss_usd"], None],
        [section, "", _("Pérdidas sin tipo de cambio (no se cuentan en USD)"), hazards["losses_without_rate"], None],
    ]


def event_headers():
    return [
        _("Fecha de inicio"),
        _("Fecha de fin"),
        _("Evento"),
        _("Ciudad"),
        _("Tipo"),
        _("Personas afectadas"),
        _("Personas fallecidas"),
        _("Personas desaparecidas"),
        _("Pérdida económica directa"),
        _("Moneda"),
        _("Pérdida en USD"),
        _("Acciones vinculadas aprobadas"),
    ]


def event_rows(report):
    hazards = report.get("hazards")
    if hazards is None:
        return []
    return [
        [
            event["started_on"],
            event["ended_on"],
            event["title"],
            event["city"],
            event["hazard_label"],
            event["affected"],
            event["deaths"],
            event["missing"],
            event["loss"],
            event["currency"] if event["loss"] is not None else None,
            event["loss_usd"],
            event["linked_actions"],
        ]
        for event in hazards["listed"]
    ]
