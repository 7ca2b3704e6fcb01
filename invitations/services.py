"""Writes on invitations: create (and send), send again, revoke, accept. Views, admin and the
other apps (terms names a successor through invitation_create) call these."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador, City, Coordinator
from ambassadors.scope import reviews_city, roles_of
from core.history import history_deferred, history_record_update, history_write
from core.mail import mail_queue_address

from .links import Problem, link_for, new_nonce
from .models import Invitation
from .signals import appointment_started

Role = Invitation.Role


def may_invite(user):
    """Admins and coordinators invite; nobody else."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator


def _users_with_email(email):
    return get_user_model().objects.filter(email__iexact=email)


def invitation_validate(*, by, email, role, city=None, countries=(), term_ends_on=None, succeeds=None, invitation=None):
    """Raise PermissionDenied if `by` may not invite at all, ValidationError (by field) if not this.
    `invitation`: the one being sent again (not counted among the pending ones)."""
    if not may_invite(by):
        raise PermissionDenied
    errors = {}
    if role == Role.COORDINATOR:
        if not by.is_superuser:
            errors["role"] = _("Solo un administrador puede invitar a coordinadores.")
        elif not countries:
            errors["countries"] = _("Elija los países que coordinará.")
        elif Coordinator.objects.filter(user__in=_users_with_email(email), active=True).exists():
            errors["email"] = _("Esa persona ya es coordinadora: cambie sus países en la administración.")
    elif role == Role.AMBASSADOR:
        errors.update(
            _ambassador_errors(
                by=by, email=email, city=city, term_ends_on=term_ends_on, succeeds=succeeds, invitation=invitation
            )
        )
    else:
        errors["role"] = _("Elija la función.")
    others = Invitation.objects.pending().exclude(pk=getattr(invitation, "pk", None))
    if "email" not in errors and others.filter(email__iexact=email).exists():
        errors["email"] = _("Ya hay una invitación pendiente para este correo: reenvíela o revóquela.")
    if errors:
        raise ValidationError(errors)


def _ambassador_errors(*, by, email, city, term_ends_on, succeeds, invitation=None):
    if city is None:
        return {"city": _("Elija la ciudad.")}
    if not reviews_city(by, city.pk):
        return {"city": _("%(city)s no está en los países que usted coordina.") % {"city": city}}
    if term_ends_on is not None and term_ends_on <= timezone.localdate():
        return {"term_ends_on": _("El fin del periodo debe ser una fecha futura.")}
    others = Invitation.objects.pending().exclude(pk=getattr(invitation, "pk", None))
    if others.filter(city=city).exclude(email__iexact=email).exists():
        return {"city": _("Ya hay una invitación pendiente para %(city)s: reenvíela o revóquela.") % {"city": city}}
    in_office = Ambassador.objects.current().filter(city=city).select_related("user").first()
    if in_office is not None and succeeds is None:
        name = in_office.user.get_full_name() or in_office.user.get_username()
        return {
            "city": _("%(city)s ya tiene embajador en funciones (%(name)s): marque que la persona invitada lo sucede.")
            % {"city": city, "name": name}
        }
    try:
        ambassador_services.appointment_refusal(
            city=city, succeeds=succeeds, people=_users_with_email(email), field="email", by=by
        )
    except ValidationError as error:
        return error.message_dict if hasattr(error, "error_dict") else {"city": error.messages}
    return {}


@transaction.atomic
def invitation_create(
    *, by, email, full_name, role, city=None, countries=(), term_ends_on=None, succeeds=None, language=None
) -> Invitation:
    """Invite a person by email to be ambassador of `city` or coordinator of `countries`, and
    send the invitation (in `language`, the site's default language, settings.LANGUAGE_CODE, by default)."""
    email = get_user_model().objects.normalize_email(email.strip())
    invitation_validate(
        by=by, email=email, role=role, city=city, countries=countries, term_ends_on=term_ends_on, succeeds=succeeds
    )
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        language=language or settings.LANGUAGE_CODE,
        role=role,
        city=city if role == Role.AMBASSADOR else None,
        term_ends_on=term_ends_on if role == Role.AMBASSADOR else None,
        succeeds=succeeds if role == Role.AMBASSADOR else None,
        invited_by=by,
        nonce=new_nonce(),
        expires_at=_expiry(),
        sent_at=timezone.now(),
        times_sent=1,
    )
    with history_deferred(invitation):
        invitation.full_clean()
        invitation.save()
        if role == Role.COORDINATOR:
            invitation.countries.set(countries)
    history_write(invitation, created=True, by=by)
    _mail(invitation)
    return invitation


def _expiry():
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


def _mail(invitation):
    """The email with the invitation's current link (one email per sending)."""

    def context(language):
        return {
            "invitation": invitation,
            "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.get_username(),
            "countries": ", ".join(sorted(country.name for country in invitation.countries.all())),
            "expires_on": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
            "term_ends_on": date_format(invitation.term_ends_on, "DATE_FORMAT") if invitation.term_ends_on else "",
            "url": link_for(invitation),
        }

    mail_queue_address(
        key=f"invitation:{invitation.pk}:{invitation.nonce}",
        to=invitation.email,
        language=invitation.language,
        template="invitations/email/invitation",
        context=context,
    )


@transaction.atomic
def invitation_resend(*, invitation, by) -> Invitation:
    """Send the invitation again with a new link, valid from now: the old link stops working.
    Checked again as if new (the city or the person may have changed since), and locked, so two
    resends at once send two emails, the second one's link the one that works."""
    if invitation.role == Role.AMBASSADOR:
        City.objects.select_for_update().filter(pk=invitation.city_id).first()
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError(_("Esta invitación ya fue aceptada o revocada: no puede enviarse otra vez."))
    invitation_validate(
        by=by,
        email=locked.email,
        role=locked.role,
        city=locked.city,
        countries=list(locked.countries.all()),
        term_ends_on=locked.term_ends_on,
        succeeds=locked.succeeds,
        invitation=locked,
    )
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        nonce=new_nonce(), expires_at=_expiry(), sent_at=now, times_sent=F("times_sent") + 1
    )
    invitation.refresh_from_db()
    history_record_update(invitation, by=by, at=now)
    _mail(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation, by) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    now = timezone.now()
    revoked = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
    if not revoked.update(revoked_at=now, revoked_by=by, nonce=""):
        raise ValidationError(_("Esta invitación ya fue aceptada o revocada."))
    history_record_update(invitation, by=by, at=now)
    return invitation


def existing_user(invitation):
    """The account that already has the invitation's address, if any: that person logs in to
    accept instead of setting a password (an account is never taken over by a link)."""
    return _users_with_email(invitation.email).order_by("pk").first()


class InvitationUnusable(Exception):
    def __init__(self, problem):
        super().__init__(problem)
        self.problem = problem


@transaction.atomic
def invitation_accept(*, invitation, nonce, user=None, first_name="", last_name="", password=None):
    """Accept the invitation: consume its link, create the person's account (or take `user`, the
    logged-in account with the invitation's address), make the appointment and, after the commit,
    send appointment_started. Returns the account. Raises InvitationUnusable when the link no
    longer works (accepted in another tab, revoked, sent again, expired), ValidationError when the
    appointment cannot be made (nothing is then written)."""
    now = timezone.now()
    if invitation.role == Role.AMBASSADOR:
        # The city first (as every appointment does): a handover of the same city waits for this one.
        City.objects.select_for_update().filter(pk=invitation.city_id).first()
    # Conditional: of two acceptances of one link (two tabs, a double tap), one claims it; the
    # other's UPDATE waits for this transaction and then finds the nonce gone (and the row accepted).
    claimed = Invitation.objects.pending(now=now).filter(pk=invitation.pk, nonce=nonce).exclude(nonce="")
    if not claimed.update(nonce=""):
        invitation.refresh_from_db()
        raise InvitationUnusable(_problem_of(invitation))
    invitation_still_valid(invitation, user=user)
    if user is None:
        user = _user_create(invitation, first_name=first_name, last_name=last_name, password=password)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now, user=user)
    ambassador = outgoing = None
    today = timezone.localdate()
    if invitation.role == Role.AMBASSADOR:
        outgoing = invitation.succeeds
        if outgoing is not None:
            outgoing = ambassador_services.ambassador_end(ambassador=outgoing, ended_on=today)
        ambassador = ambassador_services.ambassador_appoint(
            city=invitation.city, user=user, appointed_on=today, term_ends_on=invitation.term_ends_on
        )
    else:
        current = Coordinator.objects.filter(user=user, active=True).first()
        countries = {*invitation.countries.all(), *(current.countries.all() if current else ())}
        ambassador_services.coordinator_set_scope(user=user, countries=countries, by=invitation.invited_by)
    history_record_update(invitation, by=user, at=now)

    # robust: the appointment stands whatever a listener does (its error is logged by this name).
    def send_appointment_started():
        appointment_started.send(sender=Invitation, invitation=invitation, ambassador=ambassador, outgoing=outgoing)

    transaction.on_commit(send_appointment_started, robust=True)
    return user


def invitation_still_valid(invitation, *, user=None):
    """Raise InvitationUnusable(Problem.CLOSED) when the appointment the invitation offers can no
    longer be made: its inviter may no longer invite for it (an admin's stays good), the city has
    an ambassador in office other than the one it succeeds, or that one was already succeeded;
    ValidationError when `user`, the account accepting, may not take the post. The caller holds
    the city's lock (invitation_accept)."""
    inviter = invitation.invited_by
    if invitation.role == Role.COORDINATOR:
        if not (inviter.is_active and inviter.is_superuser):
            raise InvitationUnusable(Problem.CLOSED)
        return
    in_scope = reviews_city(inviter, invitation.city_id)
    if not (may_invite(inviter) and in_scope):
        raise InvitationUnusable(Problem.CLOSED)
    city, succeeds = invitation.city, invitation.succeeds
    try:
        ambassador_services.appointment_refusal(city=city, succeeds=succeeds)
    except ValidationError:
        raise InvitationUnusable(Problem.CLOSED) from None
    ambassador_services.appointment_refusal(city=city, succeeds=succeeds, people=[user] if user else ())


def _problem_of(invitation):
    if invitation.accepted_at:
        return Problem.USED
    if invitation.revoked_at:
        return Problem.REVOKED
    if invitation.state == Invitation.State.EXPIRED:
        return Problem.EXPIRED
    return Problem.REPLACED


def _user_create(invitation, *, first_name, last_name, password):
    """A new account named by the invitation's address (the person logs in with it)."""
    User = get_user_model()
    base = invitation.email.lower()[:150]
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base[:145]}-{number}"
    user = User(username=username, email=invitation.email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(_("Otra persona acaba de crear esta cuenta. Inténtelo de nuevo.")) from None
    return user
