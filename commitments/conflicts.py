"""A draft changed on the server while a phone kept its own copy: both side by side, to choose.

The phone's copy was typed from a version of the action (its updated_at, which the form sends);
services.action_update refuses it when the action changed since (EditConflict). This page shows
what differs, keeps the phone's copy in hidden fields and offers the two ways out: save the
phone's copy over the server's (sent again with the server's version), or keep the server's.
"""

from django.shortcuts import render
from django.template.defaultfilters import date as date_format
from django.utils.translation import gettext as _

from .models import Action
from .services import can_edit_action

# What the page never sends back: the token is the page's own, the version is the server's.
NOT_RESENT = {"csrfmiddlewaretoken", "version"}


def _shown(field, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "DateField":
        return date_format(value)
    return str(value)


def differences(action, cleaned):
    """[(label, on the server, on the phone)] for the author's fields that differ."""
    rows = []
    for name in Action.AUTHOR_FIELDS:
        if name not in cleaned:
            continue
        field = Action._meta.get_field(name)
        server, phone = getattr(action, name), cleaned[name]
        if server != phone:
            rows.append((field.verbose_name, _shown(field, server), _shown(field, phone)))
    return rows


# The header that tells a phone's background send (static/js/offline.js) it met a conflict: the
# page itself answers 200, a page a person reads, not an error.
CONFLICT_HEADER = "X-Draft-Conflict"


def conflict_page(request, action, form):
    """The choice. A phone's background send reads CONFLICT_HEADER and keeps its copy until the
    person chooses."""
    posted = [(name, value) for name, values in request.POST.lists() if name not in NOT_RESENT for value in values]
    if "commitment" not in request.POST:
        # A resend of the form that logs an action (commitments.resend), which has no such field.
        posted.append(("commitment", str(action.commitment_id)))
    response = render(
        request,
        "commitments/action_conflict.html",
        {
            "action": action,
            "rows": differences(action, form.cleaned_data),
            "posted": posted,
            "version": action.updated_at.isoformat(),
            # The page the phone's copy was typed on: its draft there is kept until the choice.
            "draft_path": request.path,
            "can_edit": can_edit_action(request.user, action),
        },
    )
    response[CONFLICT_HEADER] = "1"
    return response
