"""Renewing a term and handing a city's post over to a successor. Views, admin and the
invitations app's signal (terms.receivers) call these; each checks who may do it."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador, City, Coordinator
from ambassadors.scope import READ_GRACE_DAYS, review_scope_filter
from commitments import succession

from .models import Handover


def can_manage_term(user, ambassador):
    """Whoever reviews the appointment's city: its country's coordinators, and admins."""
    return City.objects.filter(review_scope_filter(user), pk=ambassador.city_id).exists()


def _require_manager(user, ambassador):
    if not can_manage_term(user, ambassador):
        raise PermissionDenied(_("Usted no puede cambiar el periodo de este nombramiento."))


def successor_candidates():
    """People who may succeed an ambassador: active, holding no current post (no appointment in
    force, no active coordination, not an admin)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .exclude(pk__in=Ambassador.objects.current().values("user"))
        .exclude(pk__in=Coordinator.objects.filter(active=True).values("user"))
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def term_renew(*, ambassador, term_ends_on, by):
    """Set a new end of the term of an appointment in force (ambassadors' own write, with its
    audit entry)."""
    _require_manager(by, ambassador)
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    if ambassador.status == Ambassador.Status.ENDED:
        raise ValidationError(_("Este nombramiento ya terminó: nombre a un sucesor."))
    if term_ends_on <= timezone.localdate():
        raise ValidationError({"term_ends_on": _("El nuevo fin del periodo debe ser una fecha futura.")})
    return ambassador_services.ambassador_set_term(ambassador=ambassador, term_ends_on=term_ends_on)


@transaction.atomic
def successor_appoint(*, outgoing, user, by, term_ends_on=None):
    """Hand the city's post from `outgoing` to `user`, who holds no current post, today: the
    outgoing appointment ends (if it had not), the successor's starts, the handover is recorded.
    All or nothing: a successor who cannot be appointed leaves the outgoing one in office."""
    _require_manager(by, outgoing)
    outgoing = Ambassador.objects.select_for_update().select_related("city").get(pk=outgoing.pk)
    if Handover.objects.filter(outgoing=outgoing).exists():
        raise ValidationError(_("Este nombramiento ya tiene sucesor."))
    if user.pk == outgoing.user_id:
        raise ValidationError({"user": _("El sucesor debe ser otra persona: para seguir, renueve el periodo.")})
    current = Ambassador.objects.current().filter(city=outgoing.city).exclude(pk=outgoing.pk).exists()
    if current:
        raise ValidationError(_("La ciudad ya tiene otro embajador en funciones."))
    today = timezone.localdate()
    ambassador_services.ambassador_end(ambassador=outgoing, ended_on=today)
    successor = ambassador_services.ambassador_appoint(
        city=outgoing.city, user=user, appointed_on=today, term_ends_on=term_ends_on
    )
    return handover_record(outgoing=outgoing, successor=successor, by=by)


def handover_record(*, outgoing, successor, by=None, at=None):
    """Record that `successor` took over the post `outgoing` held (ended already). Idempotent:
    the invitations app's signal may arrive for a handover already recorded."""
    outgoing.refresh_from_db(fields=["status", "ended_on"])
    if outgoing.ended_on is None:
        raise ValidationError(_("El nombramiento saliente sigue en funciones."))
    handover, _created = Handover.objects.get_or_create(
        outgoing=outgoing,
        defaults={
            "successor": successor,
            "by": by,
            "at": at or timezone.now(),
            "read_access_until": outgoing.ended_on + datetime.timedelta(days=READ_GRACE_DAYS),
        },
    )
    return handover


def draft_take_over(*, action, by):
    """The city's ambassador in office (or whoever reviews the city) takes over an unfinished
    action an ended appointment left: commitments' own rule and write, with its audit entry."""
    return succession.action_take_over(action=action, by=by)


def draft_discard(*, action, by):
    """Delete a draft an ended appointment left, with its evidence."""
    succession.action_discard_left_behind(action=action, by=by)
