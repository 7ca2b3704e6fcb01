"""Writes on people and their scope. Admin, commands and tasks all call these."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_deferred, history_record_update, history_write

from .models import AMBASSADORS_GROUP, COORDINATORS_GROUP, Ambassador, City, Coordinator
from .scope import reviews_city


def role_groups_sync(*, user):
    """Keep the role groups in step with the scope rows: a current appointment makes an
    Embajador, an active coordinator row a Coordinador."""
    memberships = {
        AMBASSADORS_GROUP: Ambassador.objects.current().filter(user=user).exists(),
        COORDINATORS_GROUP: Coordinator.objects.filter(user=user, active=True).exists(),
    }
    for name, member in memberships.items():
        group, _created = Group.objects.get_or_create(name=name)
        if member:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    user.__dict__.pop("_omcs_roles", None)


def ambassador_appointment_validate(*, city: City, user, appointed_on: datetime.date, term_ends_on=None):
    """Raise ValidationError if `user` cannot become ambassador of `city` on that date."""
    if appointed_on > timezone.localdate():
        raise ValidationError(
            {"appointed_on": _("Registre el nombramiento el día en que empieza: hoy o una fecha pasada.")}
        )
    if term_ends_on is not None and term_ends_on < appointed_on:
        raise ValidationError({"term_ends_on": _("El fin del periodo no puede ser anterior al nombramiento.")})
    current = Ambassador.objects.current().filter(Q(user=user) | Q(city=city)).select_related("city")
    for appointment in current:
        if appointment.user_id == user.pk and appointment.city_id == city.pk:
            raise ValidationError({"user": _("Esta persona ya es la embajadora de esta ciudad.")})
        if appointment.user_id == user.pk:
            raise ValidationError(
                {
                    "user": _("Esta persona ya es embajadora de %(city)s: termine ese nombramiento primero.")
                    % {"city": appointment.city}
                }
            )
        if appointment.appointed_on > appointed_on:
            raise ValidationError(
                {"appointed_on": _("El nombramiento no puede ser anterior al del embajador en funciones.")}
            )


def appointment_refusal(*, city: City, succeeds=None, people=(), field="user", by=None):
    """Raise ValidationError unless a new ambassador of `city` may be appointed now, as successor
    of `succeeds` (an appointment of that city, or None), being one of `people` (the account, or
    the accounts with the invited address; none for someone new). The one rule for who may take a
    city's post, checked when a successor is named or invited and again when the invitation is
    accepted (the caller locks the city row first).

    The person: an active account, not an admin, not an active coordinator, holding no current
    post, not the outgoing person. The city: no appointment in force but `succeeds`; and
    `succeeds` not already succeeded (no later appointment in the city). A city outside `by`'s
    scope is not named (`by`: who asks; None names every city)."""
    if succeeds is not None and succeeds.city_id != city.pk:
        raise ValidationError({"city": _("La persona sucede a un embajador de otra ciudad.")})
    for person in people:
        if succeeds is not None and person.pk == succeeds.user_id:
            raise ValidationError({field: _("La persona saliente no puede sucederse a sí misma.")})
        if not person.is_active:
            raise ValidationError({field: _("La cuenta de esa persona está desactivada.")})
        if person.is_superuser or Coordinator.objects.filter(user=person, active=True).exists():
            raise ValidationError({field: _("Esa persona es administradora o coordinadora: no puede ser embajadora.")})
        post = Ambassador.objects.current().filter(user=person).select_related("city").first()
        if post is not None:
            named = by is None or reviews_city(by, post.city_id)
            message = _("Esa persona ya es embajadora de %(city)s.") % {"city": post.city} if named else None
            raise ValidationError({field: message or _("Esa persona ya tiene un cargo vigente.")})
    others = Ambassador.objects.current().filter(city=city)
    if succeeds is not None:
        others = others.exclude(pk=succeeds.pk)
        after = Q(appointed_on__gt=succeeds.appointed_on) | Q(appointed_on=succeeds.appointed_on, pk__gt=succeeds.pk)
        later = Ambassador.objects.filter(after, city=city)
        if later.exists():
            raise ValidationError(_("Este nombramiento ya tiene sucesor."))
    if others.exists():
        raise ValidationError(_("La ciudad ya tiene otro embajador en funciones."))


@transaction.atomic
def ambassador_appoint(*, city: City, user, appointed_on: datetime.date, term_ends_on=None) -> Ambassador:
    """Make `user` the ambassador of `city`; the city's current ambassador, if any, ends that day.

    The ended appointment stays, so the city keeps the history of its ambassadors.
    """
    # Lock the city and the person, in that order, so two simultaneous appointments of the
    # same city or the same person queue up instead of both passing validation.
    City.objects.select_for_update().filter(pk=city.pk).first()
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    ambassador_appointment_validate(city=city, user=user, appointed_on=appointed_on, term_ends_on=term_ends_on)
    for appointment in Ambassador.objects.current().filter(city=city):
        _end(appointment, ended_on=appointed_on)
    try:
        with transaction.atomic():
            ambassador = Ambassador.objects.create(
                user=user,
                city=city,
                appointed_on=appointed_on,
                term_ends_on=term_ends_on,
                status=Ambassador.Status.ACTIVE,
            )
    except IntegrityError:
        # SQLite has no row locks: the partial unique constraints are the last word there.
        raise ValidationError(_("Otra persona acaba de cambiar este nombramiento. Inténtelo de nuevo.")) from None
    role_groups_sync(user=user)
    return ambassador


def _end(ambassador: Ambassador, *, ended_on: datetime.date) -> bool:
    """End the appointment unless someone already did (a conditional UPDATE claims it)."""
    ended_on = max(ended_on, ambassador.appointed_on)
    claimed = (
        Ambassador.objects.filter(pk=ambassador.pk)
        .exclude(status=Ambassador.Status.ENDED)
        .update(status=Ambassador.Status.ENDED, ended_on=ended_on, updated_at=timezone.now())
    )
    if claimed:
        history_record_update(ambassador)
        role_groups_sync(user=ambassador.user)
    return bool(claimed)


@transaction.atomic
def ambassador_end(*, ambassador: Ambassador, ended_on: datetime.date) -> Ambassador:
    """End an appointment. The person loses access to the city; the record stays."""
    _end(ambassador, ended_on=ended_on)
    ambassador.refresh_from_db()
    return ambassador


def ambassador_set_term(*, ambassador: Ambassador, term_ends_on) -> Ambassador:
    """Change when the appointment's term ends (None: open-ended)."""
    if term_ends_on is not None and term_ends_on < ambassador.appointed_on:
        raise ValidationError({"term_ends_on": _("El fin del periodo no puede ser anterior al nombramiento.")})
    Ambassador.objects.filter(pk=ambassador.pk).update(term_ends_on=term_ends_on, updated_at=timezone.now())
    history_record_update(ambassador)
    return ambassador


def ambassador_reopen(*, ambassador: Ambassador, term_ends_on) -> Ambassador:
    """Put an ended appointment back in force with a new end of term (its term ran out and it is
    renewed). The caller checks that nobody holds the city's post (appointment_refusal) and
    locks the city; the partial unique constraints are the last word."""
    if term_ends_on < ambassador.appointed_on:
        raise ValidationError({"term_ends_on": _("El fin del periodo no puede ser anterior al nombramiento.")})
    try:
        with transaction.atomic():
            reopened = Ambassador.objects.filter(pk=ambassador.pk, status=Ambassador.Status.ENDED).update(
                status=Ambassador.Status.ACTIVE, ended_on=None, term_ends_on=term_ends_on, updated_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(_("Otra persona acaba de cambiar este nombramiento. Inténtelo de nuevo.")) from None
    if not reopened:
        raise ValidationError(_("Otra persona acaba de cambiar este nombramiento. Inténtelo de nuevo."))
    history_record_update(ambassador)
    role_groups_sync(user=ambassador.user)
    ambassador.refresh_from_db()
    return ambassador


def ambassador_set_paused(*, ambassador: Ambassador, paused: bool) -> Ambassador:
    """Pause or resume an appointment in force (a leave, an election period)."""
    status = Ambassador.Status.PAUSED if paused else Ambassador.Status.ACTIVE
    changed = (
        Ambassador.objects.filter(pk=ambassador.pk)
        .exclude(status=Ambassador.Status.ENDED)
        .update(status=status, updated_at=timezone.now())
    )
    if not changed:
        raise ValidationError(_("Un nombramiento terminado no puede pausarse ni reanudarse."))
    history_record_update(ambassador)
    return ambassador


def ambassadors_end_expired_terms(*, today: datetime.date) -> int:
    """End every appointment whose term ended before `today`; returns how many ended."""
    ended = 0
    expired = Ambassador.objects.current().filter(term_ends_on__lt=today).select_related("user")
    for ambassador in expired:
        with transaction.atomic():
            # A second run, or an admin's end a moment before, finds nothing left to claim.
            ended += _end(ambassador, ended_on=ambassador.term_ends_on)
    return ended


@transaction.atomic
def coordinator_set_scope(*, user, countries, active: bool = True, by=None) -> Coordinator:
    """Make `user` a coordinator of exactly `countries` (or withdraw the role with active=False).

    Writes what changed, with one audit entry holding the countries (`by`: who did it, else the
    request's user)."""
    # The person locked first: two saves of the same person's scope queue up (one creates the
    # row, the other then changes it) instead of mixing countries.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    coordinator = Coordinator.objects.filter(user=user).first()
    created = coordinator is None
    coordinator = coordinator or Coordinator(user=user, active=active)
    with history_deferred(coordinator):
        if created or coordinator.active != active:
            coordinator.active = active
            coordinator.save(update_fields=None if created else ["active"])
            changed = True
        else:
            changed = False
        current = set() if created else set(coordinator.countries.values_list("pk", flat=True))
        wanted = {country.pk for country in countries}
        if current != wanted:
            coordinator.countries.set(wanted)
            changed = True
    if changed:
        history_write(coordinator, created=created, by=by)
    role_groups_sync(user=user)
    return coordinator


@transaction.atomic
def coordinator_delete(*, coordinator: Coordinator, by=None) -> None:
    """Remove a coordinator: the person loses the role and its scope; the audit trail keeps both."""
    user = coordinator.user
    if by is not None:
        coordinator._history_user = by
    coordinator.delete()
    role_groups_sync(user=user)


@transaction.atomic
def city_save(*, data, by, city=None) -> City:
    """Create a city, or change the fields of `data` that differ (the spreadsheet import; Django
    admin keeps its own form), checked by the model, with an audit entry by `by`."""
    city = city or City()
    adding = city._state.adding
    fields = list(data) if adding else [name for name, value in data.items() if getattr(city, name) != value]
    if adding or fields:
        for name in fields:
            setattr(city, name, data[name])
        city.full_clean()
        city._history_user = by
        city.save(update_fields=None if adding else fields)
    return city
