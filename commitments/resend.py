"""A phone sends again a draft that had already arrived (the same client_key: the reply to the
first send was lost, and the person may have typed more since). The resend is an edit of that
action from the version the first send produced, never a second action and never silently lost:

- the action is as the first send left it: the phone's copy is saved over it (what was typed
  after the first send is kept; nothing is written when nothing differs);
- the action changed since (edited elsewhere, sent for review, taken over): if the phone's copy
  would change nothing, it had arrived; otherwise EditConflict, and the conflict page shows both.
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from . import services
from .models import Action

WRITES = ("INSERT", "UPDATE", "DELETE")


class _Undo(Exception):
    """Leaves the savepoint of a trial write, undone."""


def first_version(action):
    """The updated_at the first send left: the one of the action's creation entry in its history
    (None when history was off: then the action counts as changed)."""
    return action.history.filter(history_type="+").order_by("history_date").values_list("updated_at", flat=True).first()


def _writing(written):
    def watch(execute, sql, params, many, context):
        if sql.lstrip()[:6].upper() in WRITES:
            written.append(sql)
        return execute(sql, params, many, context)

    return watch


@transaction.atomic
def action_resent(*, action, by, commitment, data, **details):
    """Apply the phone's copy (`data` and `details` as for services.action_update) to `action`,
    the one its first send made. Returns whether anything was written; raises EditConflict when
    the action changed since the first send and the phone's copy differs from it."""
    action = Action.objects.select_for_update().select_related("ambassador", "commitment").get(pk=action.pk)
    first = first_version(action)
    unchanged = (
        first is not None
        and action.updated_at <= first
        and commitment.pk == action.commitment_id
        and services.can_edit_action(by, action)
    )
    written = []
    try:
        with transaction.atomic(), connection.execute_wrapper(_writing(written)):
            # The author's own write (services.action_update's, without its checks: done here).
            services._write(action, by=by, at=timezone.now(), data=data, details=details)
            if not unchanged:
                raise _Undo  # only a trial: would the phone's copy change anything?
    except _Undo:
        action.refresh_from_db()
    except ValidationError:
        if unchanged:
            raise  # the phone's copy does not hold: the form shows why
        written.append("refused")
    if written and not unchanged:
        raise services.EditConflict(action)
    return bool(written)
