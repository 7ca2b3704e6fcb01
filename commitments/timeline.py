"""The action's timeline: its audit trail told in sentences ("Ana Pérez cambió el título de «…»
a «…»"), for the action's page.

Read from the history tables django-simple-history keeps (the action with its focus areas and
cities, its indicator values and evidence) and from the status changes, which hold the
reviewers' comments. The services write every row of one change at one moment by one person,
so a change is one entry of the timeline with one sentence per thing changed; one person's
changes less than a minute apart read as one entry too.
"""

import datetime
from dataclasses import dataclass, field

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

# Within one change, the sentences in this order.
STATUS, FIELDS, AREAS, CITIES, VALUES, LINKS, FILES = range(7)


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
    commitment was changed, one more unless its status_changes are prefetched with their `by`)."""
    moments = {}  # (moment, person id) -> [person, [(order, sentence)]]

    def say(at, user, order, sentence):
        moments.setdefault((at, user.pk if user else None), [user, []])[1].append((order, sentence))

    for change in action.status_changes.all():
        say(change.at, change.by, STATUS, _status_sentence(change))
    _action_rows(action, say)
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
                after = names.get(row.pk, {})
                for name in sorted(name for pk, name in after.items() if pk not in before):
                    say_here(order, add_text % {"name": name})
                for name in sorted(name for pk, name in before.items() if pk not in after):
                    say_here(order, remove_text % {"name": name})
        previous = row


def _related_names(m2m_field, action, target):
    """{history row id: {related id: name}} of one many-to-many field, in one query."""
    rows = getattr(Action.history.model, m2m_field.name).model.objects.filter(action_id=action.pk)
    found = {}
    for row in rows.select_related(target):
        found.setdefault(row.history_id, {})[getattr(row, f"{target}_id")] = str(getattr(row, target))
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
    if name == "kind":
        return str(Action.Kind(row.kind).label)
    value = getattr(row, name)
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return Truncator(" ".join(str(value).split())).chars(TEXT_SHOWN)


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
