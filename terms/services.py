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
from ambassadors.scope import READ_GRACE_DAYS, reviews_city
from commitments import succession
from invitations.models import Invitation

from .models import Handover


def can_manage_term(user, ambassador):
    """Whoever reviews the appointment's city: its country's coordinators, and admins."""
    return reviews_city(user, ambassador.city_id)


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


def renewable(ambassador):
    """Whether the appointment's term may be renewed: it is in force, or it ended only because its
    term ran out (ambassadors_end_expired_terms: ended on its term's last day) and nobody has
    held the city's post since (renewing then re-opens it)."""
    if ambassador.status != Ambassador.Status.ENDED:
        return True
    if ambassador.ended_on != ambassador.term_ends_on or Handover.objects.filter(outgoing=ambassador).exists():
        return False
    try:
        ambassador_services.appointment_refusal(city=ambassador.city, succeeds=ambassador)
    except ValidationError:
        return False
    return True


@transaction.atomic
def term_renew(*, ambassador, term_ends_on, by):
    """Set a new end of the term of an appointment in force, or re-open one that ended only
    because its term ran out (ambassadors' own writes, with their audit entries)."""
    _require_manager(by, ambassador)
    City.objects.select_for_update().filter(pk=ambassador.city_id).first()
    ambassador = Ambassador.objects.select_for_update().select_related("city").get(pk=ambassador.pk)
    if not renewable(ambassador):
        raise ValidationError(_("Este nombramiento terminó antes del fin de su periodo: nombre a un sucesor."))
    if term_ends_on <= timezone.localdate():
        raise ValidationError({"term_ends_on": _("El nuevo fin del periodo debe ser una fecha futura.")})
    if ambassador.status == Ambassador.Status.ENDED:
        return ambassador_services.ambassador_reopen(ambassador=ambassador, term_ends_on=term_ends_on)
    return ambassador_services.ambassador_set_term(ambassador=ambassador, term_ends_on=term_ends_on)


def succession_validate(*, outgoing, by, user=None, email=None, field="user"):
    """Raise ValidationError unless `user` (a registered person) or whoever has `email` (someone
    invited) may succeed `outgoing` now: it has no successor yet, no other succession waits for
    the city (an invitation), and ambassadors' rule for a city's post holds. The caller locks the
    city first."""
    if Handover.objects.filter(outgoing=outgoing).exists():
        raise ValidationError(_("Este nombramiento ya tiene sucesor."))
    people = [user] if user is not None else get_user_model().objects.filter(email__iexact=email)
    if any(person.pk == outgoing.user_id for person in people):
        if renewable(outgoing):
            message = _("La persona saliente no puede sucederse a sí misma: para que siga, renueve el periodo.")
        else:
            message = _("La persona saliente no puede sucederse a sí misma.")
        raise ValidationError({field: message})
    if user is not None:
        _no_pending_invitation(outgoing.city)
    ambassador_services.appointment_refusal(city=outgoing.city, succeeds=outgoing, people=people, field=field, by=by)


def pending_invitation_for(city):
    """The open invitation (link still working) to the post of `city`, or None."""
    return Invitation.objects.pending().filter(city=city).order_by("-created_at").first()


def _no_pending_invitation(city):
    pending = pending_invitation_for(city)
    if pending is not None:
        raise ValidationError(
            _("Hay una invitación pendiente para %(city)s (%(email)s): revóquela antes de nombrar a otra persona.")
            % {"city": city.name, "email": pending.email}
        )


@transaction.atomic
def successor_appoint(*, outgoing, user, by, term_ends_on=None):
    """Hand the city's post from `outgoing` to `user`, who holds no current post, today: the
    outgoing appointment ends (if it had not), the successor's starts, the handover is recorded.
    All or nothing: a successor who cannot be appointed leaves the outgoing one in office."""
    _require_manager(by, outgoing)
    City.objects.select_for_update().filter(pk=outgoing.city_id).first()
    outgoing = Ambassador.objects.select_for_update().select_related("city").get(pk=outgoing.pk)
    succession_validate(outgoing=outgoing, by=by, user=user)
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
