"""The action's timeline: its audit trail told in sentences ("Ana Pérez cambió el título de «…»
a «…»"), for the action's page.

Read from the history tables django-simple-history keeps (the action with its focus areas and
cities, its indicator values and evidence) and from the status changes, which hold the
reviewers' comments. The details of the action's kind (a training and its sessions, a policy…)
are their apps': each kind's section tells its own sentences (commitments.kinds,
`timeline_changes`), with the helpers below, and they join the same entries. The services write
every row of one change at one moment by one person, so a change is one entry of the timeline
with one sentence per thing changed; one person's changes less than a minute apart read as one
entry too.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import kinds
from .models import Action, Commitment, Evidence, Indicator, IndicatorValue

# The fields a person changes, named as a sentence names them (the status has its own
# sentences, from the status changes; the rest is the workflow's bookkeeping).
FIELD_NAMES = {
    "commitment": gettext_lazy("el compromiso"),
    "kind": gettext_lazy("el tipo de acción"),
    "title": gettext_lazy("el título"),
    "description": gettext_lazy("la descripción"),
    "outcome": gettext_lazy("el resultado"),
    "started_on": gettext_lazy("la fecha de inicio"),
    "ended_on": gettext_lazy("la fecha de fin"),
    "people_reached": gettext_lazy("las personas alcanzadas"),
    "women_reached": gettext_lazy("las mujeres alcanzadas"),
    "men_reached": gettext_lazy("los hombres alcanzados"),
    "other_reached": gettext_lazy("las otras personas alcanzadas"),
    "youth_reached": gettext_lazy("los jóvenes alcanzados"),
    "disability_reached": gettext_lazy("las personas con discapacidad alcanzadas"),
    "indigenous_reached": gettext_lazy("las personas indígenas alcanzadas"),
    "afro_reached": gettext_lazy("las personas afrodescendientes alcanzadas"),
    "partners": gettext_lazy("las organizaciones aliadas"),
}
AREA_TEXTS = gettext_lazy("añadió el área de enfoque «%(name)s»"), gettext_lazy("quitó el área de enfoque «%(name)s»")
CITY_TEXTS = gettext_lazy("añadió la ciudad involucrada %(name)s"), gettext_lazy("quitó la ciudad involucrada %(name)s")
TEXT_SHOWN = 200  # characters of a long text quoted in a sentence; the audit trail keeps it all

# Within one change, the sentences in this order: the details of a kind the action left come
# before those of the kind it took.
STATUS, FIELDS, AREAS, CITIES, DETAILS_GONE, DETAILS, VALUES, LINKS, FILES = range(9)


# One person's changes this close together read as one (several files uploaded at once, a save
# and its submission).
TOGETHER = datetime.timedelta(minutes=1)


@dataclass
class TimelineEntry:
    at: datetime.datetime
    who: str
    changes: list = field(default_factory=list)


def action_timeline(action):
    """Every change of `action`, oldest first: TimelineEntry(at, who, changes), a sentence per
    thing changed. Five queries whatever the action's length of life (one more when its
    commitment was changed, one more unless its status_changes are prefetched with their `by`),
    and the few of each kind's section for each kind the action has had."""
    moments = {}  # (moment, person id) -> [person, [(order, sentence)]]

    def say(at, user, order, sentence):
        moments.setdefault((at, user.pk if user else None), [user, []])[1].append((order, sentence))

    for change in action.status_changes.all():
        say(change.at, change.by, STATUS, _status_sentence(change))
    kinds_had = _action_rows(action, say) | {action.kind}
    for kind in [kind for kind in Action.Kind.values if kind in kinds_had]:
        changes = getattr(kinds.section_for(kind), "timeline_changes", None)
        for at, user, order, sentence in changes(action) if changes else ():
            say(at, user, order, sentence)
    _detail_rows(IndicatorValue, action, say, VALUES, _value_sentences, "indicator", "history_user")
    _detail_rows(Evidence, action, say, LINKS, _evidence_sentences, "history_user")
    timeline, last = [], None
    for (at, person_id), (user, sentences) in sorted(moments.items(), key=lambda item: item[0][0]):
        changes = [sentence for _order, sentence in sorted(sentences, key=lambda item: item[0])]
        if timeline and last[1] == person_id and at - last[0] < TOGETHER:
            timeline[-1].changes += changes
        else:
            timeline.append(TimelineEntry(at=at, who=_person(user), changes=changes))
        last = (at, person_id)
    return timeline


def _person(user):
    if user is None:
        return _("Alguien")
    return user.get_full_name() or user.get_username()


def _status_sentence(change):
    to, comment = change.to_status, change.comment.strip()
    if not change.from_status:
        return _("creó la acción")
    if to == Action.Status.SUBMITTED:
        return _("envió a revisión")
    if to == Action.Status.DRAFT:
        return _("retiró la acción de la revisión")
    if to == Action.Status.APPROVED:
        return _("aprobó con el comentario «%(comment)s»") % {"comment": comment} if comment else _("aprobó")
    return _("devolvió con el comentario «%(comment)s»") % {"comment": comment}


# The action's own rows: its fields, focus areas and cities -----------------------------------


def _action_rows(action, say):
    """Tell the action's own rows; returns the kinds the action has had."""
    rows = list(
        Action.history.filter(id=action.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    related = [
        (_related_names(Action.focus_areas.field, action, "focusarea"), AREAS, *AREA_TEXTS),
        (_related_names(Action.cities_involved.field, action, "city"), CITIES, *CITY_TEXTS),
    ]
    commitments = _commitments(rows)
    # The first row is the action as created: its focus areas and cities are news, its fields not
    # (the page shows them). A first row that is a change (history begun later) is the baseline.
    previous = None
    for row in rows:

        def say_here(order, sentence, row=row):
            say(row.history_date, row.history_user, order, sentence)

        if previous is not None:
            for name in FIELD_NAMES:
                before, after = _field_value(previous, name, commitments), _field_value(row, name, commitments)
                if before != after:
                    say_here(FIELDS, _field_sentence(FIELD_NAMES[name], before, after))
            if previous.good_practice != row.good_practice:
                marked = row.good_practice
                say_here(FIELDS, _("la marcó como buena práctica") if marked else _("la desmarcó como buena práctica"))
        if previous is not None or row.history_type == "+":
            for names, order, add_text, remove_text in related:
                before = names.get(previous.pk, {}) if previous else {}
                for sentence in related_sentences(before, names.get(row.pk, {}), add_text, remove_text):
                    say_here(order, sentence)
        previous = row
    return {row.kind for row in rows}


def _related_names(m2m_field, action, target):
    return related_names(Action, m2m_field.name, target, action_id=action.pk)


def related_names(model, m2m_name, target, **rows):
    """{history row id: {related id: name}} of one many-to-many field `model` keeps in its history
    (`target`: the related model's field in the history's through table), for the history rows of
    the through table filtered by `rows`, in one query."""
    through = getattr(model.history.model, m2m_name).model
    found = {}
    for row in through.objects.filter(**rows).select_related(target):
        related_id, related = getattr(row, f"{target}_id"), getattr(row, target)
        found.setdefault(row.history_id, {})[related_id] = str(related) if related else f"#{related_id}"
    return found


def _commitments(rows):
    """The commitments the rows name, when the action changed commitment (rare: one query)."""
    ids = {row.commitment_id for row in rows}
    if len(ids) < 2:
        return {}
    return {commitment.pk: commitment for commitment in Commitment.objects.with_axis().filter(pk__in=ids)}


def _field_value(row, name, commitments):
    """The field as a sentence quotes it ("" when empty)."""
    if name == "commitment":
        commitment = commitments.get(row.commitment_id)
        return str(commitment) if commitment else str(row.commitment_id)
    return value_text(row, name)


def _field_sentence(what, before, after):
    if not before:
        return _("puso %(field)s: «%(after)s»") % {"field": what, "after": after}
    if not after:
        return _("borró %(field)s («%(before)s»)") % {"field": what, "before": before}
    return _("cambió %(field)s de «%(before)s» a «%(after)s»") % {"field": what, "before": before, "after": after}


# Values and evidence: one history row per row added, changed or removed -------------


def _detail_rows(model, action, say, order, sentences, *related):
    rows = model.history.filter(action_id=action.pk).select_related(*related).order_by("history_date", "history_id")
    last = {}
    for row in rows:
        for sentence_order, sentence in sentences(last.get(row.id), row):
            say(row.history_date, row.history_user, order if sentence_order is None else sentence_order, sentence)
        last[row.id] = row


def _value(row):
    indicator = row.indicator
    if indicator.kind == Indicator.Kind.YES_NO:
        return _("Sí") if row.value else _("No")
    return f"{floatformat(row.value, '-2g')} {indicator.unit}".strip()


def _value_sentences(before, row):
    code = row.indicator.code
    if row.history_type == "+":
        yield None, _("añadió el valor %(indicator)s: %(value)s") % {"indicator": code, "value": _value(row)}
    elif row.history_type == "-":
        yield None, _("quitó el valor %(indicator)s (%(value)s)") % {"indicator": code, "value": _value(row)}
    elif before is None:
        yield None, _("cambió el valor %(indicator)s a %(after)s") % {"indicator": code, "after": _value(row)}
    elif before.value != row.value:
        yield (
            None,
            _("cambió el valor %(indicator)s de %(before)s a %(after)s")
            % {"indicator": code, "before": _value(before), "after": _value(row)},
        )


def _link(row):
    return f"«{row.title}» ({row.url})" if row.title else row.url


def _evidence_sentences(before, row):
    if row.file:
        name = row.original_name or row.title
        if row.history_type == "+":
            yield FILES, _("añadió el archivo «%(name)s»") % {"name": name}
        elif row.history_type == "-":
            yield FILES, _("quitó el archivo «%(name)s»") % {"name": name}
    elif row.history_type == "+":
        yield LINKS, _("añadió el enlace %(link)s") % {"link": _link(row)}
    elif row.history_type == "-":
        yield LINKS, _("quitó el enlace %(link)s") % {"link": _link(row)}
    elif before is not None and before.title != row.title:
        yield (
            LINKS,
            _("cambió la descripción del enlace %(url)s de «%(before)s» a «%(after)s»")
            % {"url": row.url, "before": before.title, "after": row.title},
        )


# The details of a kind: the helpers each kind's section tells its history with ------------


def value_text(row, name):
    """The field `name` of a (history) row as a sentence quotes it ("" when empty): a choice by its
    label, a date short, a number grouped, a yes or no, a related row by its name, a text on one
    line (its lines apart by " / ": one facilitator, one decision a line) and cut short."""
    field = row._meta.get_field(name)
    value = getattr(row, name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, Decimal):
        return number_text(value)
    lines = (" ".join(line.split()) for line in str(value).splitlines())
    return Truncator(" / ".join(line for line in lines if line)).chars(TEXT_SHOWN)


def number_text(value):
    """A decimal number grouped, with the decimals it has (at most two): 1.50 → "1,5", 3.00 → "3"."""
    places = min(2, max(0, -value.normalize().as_tuple().exponent))
    return floatformat(value, f"{places}g")


def field_sentences(before, row, names):
    """A sentence per field of `names` that differs between two history rows of one model.
    `names`: {field: the field as a sentence names it ("la modalidad")}, or for a yes-or-no field
    the pair of sentences said when it is set and when it is cleared, where %(field)s is the
    field's verbose name ("añadió la medida «%(field)s»", "quitó la medida «%(field)s»")."""
    for name, what in names.items():
        if isinstance(what, tuple):
            if getattr(before, name) != getattr(row, name):
                text = what[0] if getattr(row, name) else what[1]
                yield text % {"field": row._meta.get_field(name).verbose_name}
            continue
        old, new = value_text(before, name), value_text(row, name)
        if old != new:
            yield _field_sentence(what, old, new)


def related_sentences(before, after, add_text, remove_text):
    """Sentences for the related rows added and removed ({id: name} before and after), by name."""
    for name in sorted(name for pk, name in after.items() if pk not in before):
        yield add_text % {"name": name}
    for name in sorted(name for pk, name in before.items() if pk not in after):
        yield remove_text % {"name": name}


def details_changes(rows, *, kind, names, related=None):
    """What a section's `timeline_changes` gives for the history rows of a kind's one-to-one
    details, oldest first (with their `history_user`): (at, user, order, sentence), a sentence for
    the details added or removed (the action took or left the kind) and one per field changed
    (field_sentences' `names`). `related`: ({history row id: {id: name}}, add text, remove text)
    of a many-to-many field kept in the history (related_names), whose rows added and removed
    are told too, at the details' creation as well."""
    label = Action.Kind(kind).label
    previous = None
    for row in rows:
        at, user = row.history_date, row.history_user
        if row.history_type == "-":
            yield at, user, DETAILS_GONE, _("quitó los datos de «%(kind)s»") % {"kind": label}
            previous = None
            continue
        if row.history_type == "+":
            yield at, user, DETAILS, _("añadió los datos de «%(kind)s»") % {"kind": label}
        elif previous is not None:
            for sentence in field_sentences(previous, row, names):
                yield at, user, DETAILS, sentence
        if related and (previous is not None or row.history_type == "+"):
            found, add_text, remove_text = related
            before = found.get(previous.pk, {}) if previous else {}
            for sentence in related_sentences(before, found.get(row.pk, {}), add_text, remove_text):
                yield at, user, DETAILS, sentence
        previous = row
