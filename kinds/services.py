"""Every write of a training's, a mechanism's and a policy's details. The action's services
(commitments.services) call them through the kinds' sections, inside the action's transaction,
with the moment and the person of the action's own change: its audit entries line up."""

from django.core.exceptions import ValidationError

from commitments.services import details_save, write_rows
from core.history import history_stamp

from . import rules
from .models import ParticipationMechanism, PublicPolicy, Training, TrainingSession


def _refuse(errors):
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})


def training_save(*, action, data, sessions, by, at):
    """The training's fields and its sessions (a list of dicts: held_on, hours, topic), which
    replace the saved ones in date order. Refuses what kinds.rules refuses."""
    counts = {name: data.get(name) for name in ("public_servants", "certificates_issued")}
    errors = rules.training_errors(action, counts=counts, days=[session["held_on"] for session in sessions])
    for session in sessions:
        try:
            TrainingSession(**session).full_clean(exclude=["training"])
        except ValidationError as error:
            errors.setdefault("sessions", " ".join(error.messages))
    _refuse(errors)
    training = details_save(Training, action=action, data=data, by=by, at=at)
    saved = list(training.sessions.all())
    wanted = sorted(sessions, key=lambda session: (session["held_on"], session["hours"]))
    changed, added = [], []
    for row, session in zip(saved, wanted, strict=False):
        if any(getattr(row, field) != value for field, value in session.items()):
            for field, value in session.items():
                setattr(row, field, value)
            changed.append(row)
    added = [TrainingSession(training=training, **session) for session in wanted[len(saved) :]]
    removed = saved[len(wanted) :]
    write_rows(
        TrainingSession,
        added=added,
        changed=changed,
        removed=removed,
        fields=["held_on", "hours", "topic"],
        by=by,
        at=at,
    )
    return training


def participation_save(*, action, data, by, at):
    return details_save(ParticipationMechanism, action=action, data=data, by=by, at=at)


def policy_save(*, action, data, by, at):
    _refuse(rules.policy_errors(data, city=action.city))
    return details_save(PublicPolicy, action=action, data=data, by=by, at=at)


def sessions_discard(*, action, by, at):
    """A training's sessions, removed before it (the action left the kind), so their audit
    entries carry this moment and person too."""
    for session in TrainingSession.objects.filter(training__action=action):
        history_stamp(session, by=by, at=at).delete()
