"""What the action's timeline tells of a training (with its sessions), a participation mechanism
and a policy: each section's `timeline_changes` (commitments.kinds), read from their history
tables with the shared helpers of commitments.timeline, in one query a model."""

from collections import Counter
from itertools import groupby
from operator import itemgetter

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import Action
from commitments.timeline import DETAILS, details_changes, number_text

from .models import ParticipationMechanism, PublicPolicy, Training, TrainingSession

# The fields of each model, as a sentence names them; a yes-or-no field by the pair of sentences
# said when it is set and when it is cleared (commitments.timeline.field_sentences).
TRAINING_NAMES = {
    "format": gettext_lazy("el formato"),
    "modality": gettext_lazy("la modalidad"),
    "facilitators": gettext_lazy("los facilitadores"),
    "public_servants": gettext_lazy("los servidores públicos entre los participantes"),
    "certificates_issued": gettext_lazy("los certificados emitidos"),
    "satisfaction": gettext_lazy("la satisfacción media"),
    "score_before": gettext_lazy("el puntaje antes"),
    "score_after": gettext_lazy("el puntaje después"),
}
MEASURE_TEXTS = (
    gettext_lazy("añadió la medida de accesibilidad «%(field)s»"),
    gettext_lazy("quitó la medida de accesibilidad «%(field)s»"),
)
PARTICIPATION_NAMES = {
    "mechanism": gettext_lazy("el mecanismo"),
    **dict.fromkeys(ParticipationMechanism.ACCESSIBILITY, MEASURE_TEXTS),
    "decisions_changed": gettext_lazy("las decisiones que cambió la participación"),
}
POLICY_NAMES = {
    "instrument": gettext_lazy("el instrumento"),
    "stage": gettext_lazy("la etapa"),
    "adopted_on": gettext_lazy("la fecha de adopción"),
    "population_covered": gettext_lazy("la población cubierta"),
    "official_text_url": gettext_lazy("el enlace al texto oficial"),
    "disaster_risk_strategy": (
        gettext_lazy("la marcó como «%(field)s»"),
        gettext_lazy("la desmarcó como «%(field)s»"),
    ),
}


def _rows(model, **rows):
    return list(model.history.filter(**rows).select_related("history_user").order_by("history_date", "history_id"))


def training_changes(action):
    """The training's fields and its sessions, in two queries."""
    trainings = _rows(Training, action_id=action.pk)
    yield from details_changes(trainings, kind=Action.Kind.TRAINING, names=TRAINING_NAMES)
    yield from _session_changes(_rows(TrainingSession, training_id=action.pk), trainings)


def participation_changes(action):
    rows = _rows(ParticipationMechanism, action_id=action.pk)
    return details_changes(rows, kind=Action.Kind.PARTICIPATION, names=PARTICIPATION_NAMES)


def policy_changes(action):
    return details_changes(_rows(PublicPolicy, action_id=action.pk), kind=Action.Kind.POLICY, names=POLICY_NAMES)


# Sessions --------------------------------------------------------------------------------------


def _session_changes(rows, trainings):
    """The sessions added, removed and changed at each moment. The service rewrites the saved
    sessions in date order, so a row may pass from one day to another: the sessions are compared
    as they were before and after each moment, not row by row. Those that went with their
    training (the action left the kind) are told by the training's removal."""
    held = {}  # session id -> (day, hours, topic)
    for (at, _person_id), moment in groupby(rows, key=lambda row: (row.history_date, row.history_user_id)):
        moment = list(moment)
        before = Counter(held.values())
        for row in moment:
            if row.history_type == "-":
                held.pop(row.id, None)
            else:
                held[row.id] = (row.held_on, row.hours, row.topic)
        if all(row.history_type == "-" and _gone_with_training(row, trainings) for row in moment):
            continue
        for sentence in _session_sentences(before, Counter(held.values())):
            yield at, moment[0].history_user, DETAILS, sentence


def _gone_with_training(row, trainings):
    """Whether a session's removal followed its training's (a cascade, at the moment it ran)."""
    last = [training for training in trainings if training.history_date <= row.history_date]
    return bool(last) and last[-1].history_type == "-"


def _session_sentences(before, after):
    """Sentences for the sessions (day, hours, topic) that differ, by day: a day that lost one
    session and gained another changed it."""
    removed, added = sorted((before - after).elements()), sorted((after - before).elements())
    sentences = []
    for session in removed:
        same_day = next((other for other in added if other[0] == session[0]), None)
        if same_day is None:
            sentences.append((session[0], _("quitó la sesión del %(day)s (%(session)s)") % _session_text(session)))
            continue
        added.remove(same_day)
        texts = {"day": _session_text(session)["day"], "before": _what(session), "after": _what(same_day)}
        sentences.append((session[0], _("cambió la sesión del %(day)s de «%(before)s» a «%(after)s»") % texts))
    for session in added:
        sentences.append((session[0], _("añadió la sesión del %(day)s (%(session)s)") % _session_text(session)))
    return [sentence for _day, sentence in sorted(sentences, key=itemgetter(0))]


def _what(session):
    _day, hours, topic = session
    if topic:
        return _("%(hours)s h: %(topic)s") % {"hours": number_text(hours), "topic": topic}
    return _("%(hours)s h") % {"hours": number_text(hours)}


def _session_text(session):
    return {"day": formats.date_format(session[0], "SHORT_DATE_FORMAT"), "session": _what(session)}
