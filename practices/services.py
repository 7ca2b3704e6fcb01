"""Writes on practices, their replications, exchanges and the commitments people follow.

Views, admin, the demo and tasks call these; each checks who may do it. A status change is
claimed with a conditional UPDATE, as for actions, so a double tap or two coordinators cannot
both move the same practice. Every change keeps its audit entry (who, when, what).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador
from ambassadors.scope import roles_of
from commitments.models import Action, Evidence
from commitments.services import active_appointment, details_save
from core.history import history_deferred, history_record_update, history_stamp, history_write
from core.mail import mail_queue

from . import search
from .models import (
    CommitmentFollow,
    Exchange,
    ExchangeParticipation,
    PartnerCity,
    Practice,
    PracticeGoal,
    PracticeStatusChange,
    Replication,
    ReplicationAction,
    is_network_member,
)


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


# Who may do what -------------------------------------------------------------------------


def can_edit_practice(user, practice):
    """The ambassador in office in the practice's city, while it is a draft or returned (a
    successor after a handover carries on their predecessor's draft)."""
    appointment = active_appointment(user)
    return practice.is_editable and appointment is not None and appointment.city_id == practice.city_id


def can_review_practice(user, practice):
    return Practice.objects.reviewable_by(user).filter(pk=practice.pk).exists()


def can_feature_practice(user, practice):
    """Those who may review it (coordinators of its country and admins, never its own people) put a
    published practice forward."""
    return (
        practice.status == Practice.Status.PUBLISHED
        and Practice.objects.reviewable_by(user).filter(pk=practice.pk).exists()
    )


def can_replicate(user, practice):
    """An ambassador in office, of another city, on a published practice their city does not replicate yet."""
    appointment = active_appointment(user)
    return (
        appointment is not None
        and practice.status == Practice.Status.PUBLISHED
        and appointment.city_id != practice.city_id
        and not practice.replications.filter(city_id=appointment.city_id).exists()
    )


def can_edit_replication(user, replication):
    appointment = active_appointment(user)
    return appointment is not None and appointment.city_id == replication.city_id


# Writing a practice ----------------------------------------------------------------------


def _check_sources(city, *, actions, commitments, focus_areas, evidence, goals):
    """The practice's sources must be its city's approved actions, and what it shares must be theirs."""
    errors = {}
    actions = list(actions)
    if not actions:
        errors["actions"] = [_("Elija al menos una acción aprobada de su ciudad.")]
    elif any(action.city_id != city.pk or action.status != Action.Status.APPROVED for action in actions):
        errors["actions"] = [_("Solo se publican prácticas de acciones aprobadas de su ciudad.")]
    commitment_ids = {commitment.pk for commitment in commitments} or {action.commitment_id for action in actions}
    if any(area.commitment_id not in commitment_ids for area in focus_areas):
        errors["focus_areas"] = [_("Cada área de enfoque debe ser de uno de los compromisos elegidos.")]
    action_ids = {action.pk for action in actions}
    if any(item.action_id not in action_ids for item in evidence):
        errors["evidence"] = [_("Solo puede compartir evidencias de las acciones elegidas.")]
    if any(goal not in range(1, 18) for goal in goals):
        errors["goals"] = [_("Elija ODS del 1 al 17.")]
    if errors:
        raise ValidationError(errors)
    return commitment_ids


def _write(practice, *, by, data, actions, commitments, focus_areas, evidence, goals, created):
    at = timezone.now()
    commitment_ids = _check_sources(
        practice.city, actions=actions, commitments=commitments, focus_areas=focus_areas, evidence=evidence, goals=goals
    )
    for field in Practice.AUTHOR_FIELDS:
        if field in data:
            setattr(practice, field, data[field])
    if "contact_consent" in data:
        practice.contact = by if data["contact_consent"] else None
    with history_deferred(practice):
        practice.full_clean(exclude=["search_document", "search_vector"])
        practice.save()
        practice.actions.set(actions)
        practice.commitments.set(commitment_ids)
        practice.focus_areas.set(focus_areas)
        practice.evidence.set(evidence)
    practice.goals.exclude(goal__in=goals).delete()
    PracticeGoal.objects.bulk_create(
        [PracticeGoal(practice=practice, goal=goal) for goal in sorted(set(goals))], ignore_conflicts=True
    )
    history_write(practice, created=created, by=by, at=at)
    search.index(practice)
    return practice


@transaction.atomic
def practice_create(*, by, data, actions, commitments=(), focus_areas=(), evidence=(), goals=()):
    """A new draft practice of the ambassador's city, written from its approved actions.

    `data` holds Practice.AUTHOR_FIELDS; `commitments` default to the actions' own.
    """
    appointment = active_appointment(by)
    _require(appointment is not None, _("Solo un embajador en funciones puede publicar prácticas."))
    practice = Practice(city=appointment.city, author=appointment)
    _write(
        practice,
        by=by,
        data=data,
        actions=actions,
        commitments=commitments,
        focus_areas=focus_areas,
        evidence=evidence,
        goals=goals,
        created=True,
    )
    _record(practice, from_status="", to_status=Practice.Status.DRAFT, by=by)
    return practice


@transaction.atomic
def practice_update(*, practice, by, data, actions, commitments=(), focus_areas=(), evidence=(), goals=()):
    practice = Practice.objects.select_for_update().select_related("city").get(pk=practice.pk)
    _require(
        can_edit_practice(by, practice),
        _("Solo el embajador de su ciudad puede cambiar esta práctica, y solo en borrador o devuelta."),
    )
    return _write(
        practice,
        by=by,
        data=data,
        actions=actions,
        commitments=commitments,
        focus_areas=focus_areas,
        evidence=evidence,
        goals=goals,
        created=False,
    )


def practice_submission_errors(practice):
    """What still blocks sending the practice for review, by field, in the user's language."""
    errors = {}
    if not any(getattr(practice, name).strip() for name in Practice.summary.fields):
        errors["summary_es"] = [_("Escriba un resumen en al menos un idioma.")]
    for field, message in (
        ("problem", _("Cuente qué problema atendía.")),
        ("what_was_done", _("Cuente qué se hizo.")),
        ("results", _("Cuente qué resultados tuvo.")),
        ("how_to_replicate", _("Cuente cómo otra ciudad puede replicarla.")),
    ):
        if not getattr(practice, field).strip():
            errors[field] = [message]
    if practice.actions.exclude(status=Action.Status.APPROVED).exists() or not practice.actions.exists():
        errors["actions"] = [_("Todas sus acciones deben estar aprobadas.")]
    return errors


def _record(practice, *, from_status, to_status, by, at=None, comment=""):
    return PracticeStatusChange.objects.create(
        practice=practice,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=at or timezone.now(),
        comment=comment,
    )


def _move(practice, *, by, allowed_from, to_status, comment="", extra=None):
    """Claim the transition with a conditional UPDATE; only one caller wins."""
    now = timezone.now()
    current = Practice.objects.select_for_update().filter(pk=practice.pk).values_list("status", flat=True).first()
    moved = current in allowed_from and Practice.objects.filter(pk=practice.pk, status=current).update(
        status=to_status, updated_at=now, **(extra or {})
    )
    if not moved:
        raise ValidationError(_("La práctica ya no está en un estado que permita este cambio. Recargue la página."))
    change = _record(practice, from_status=current, to_status=to_status, by=by, at=now, comment=comment)
    history_record_update(practice, by=by, at=now)
    return change


@transaction.atomic
def practice_submit(*, practice, by):
    """Send a draft (or a fixed returned practice) to the coordinators of its country."""
    practice = Practice.objects.select_for_update().select_related("city").get(pk=practice.pk)
    _require(can_edit_practice(by, practice), _("Solo el embajador de su ciudad puede enviar esta práctica."))
    errors = practice_submission_errors(practice)
    if errors:
        raise ValidationError(errors)
    _move(
        practice,
        by=by,
        allowed_from=[Practice.Status.DRAFT, Practice.Status.RETURNED],
        to_status=Practice.Status.SUBMITTED,
        extra={"submitted_at": timezone.now()},
    )
    return practice


def _decide(practice, *, by, to_status, comment, extra=None):
    _require(can_review_practice(by, practice), _("Usted no puede revisar prácticas de esta ciudad."))
    change = _move(
        practice,
        by=by,
        allowed_from=[Practice.Status.SUBMITTED],
        to_status=to_status,
        comment=comment.strip(),
        extra=extra,
    )
    _queue_decision_email(practice, change)
    return practice


@transaction.atomic
def practice_approve(*, practice, by, comment=""):
    """Publish the practice: from now on the whole network reads it."""
    return _decide(
        practice, by=by, to_status=Practice.Status.PUBLISHED, comment=comment, extra={"published_at": timezone.now()}
    )


@transaction.atomic
def practice_return(*, practice, by, comment):
    """Send the practice back to its city; the comment says what to fix and is required."""
    if not comment or not comment.strip():
        raise ValidationError({"comment": [_("Explique qué debe corregirse: el comentario es obligatorio.")]})
    return _decide(practice, by=by, to_status=Practice.Status.RETURNED, comment=comment)


def _queue_decision_email(practice, change):
    """Tell the ambassador in office in the practice's city (the author, or their successor) of the
    decision; with none in office nobody is told (a former ambassador can no longer act on it)."""
    appointment = practice.city.ambassadors.filter(status=Ambassador.Status.ACTIVE).select_related("user").first()
    if appointment is None:
        return
    recipient = appointment.user
    mail_queue(
        key=f"practice-decision:{change.pk}",
        recipient=recipient,
        template="practices/email/decision",
        context={
            "recipient": recipient,
            "practice": practice,
            "change": change,
            "url": settings.SITE_URL + reverse("practices:practice", args=[practice.pk]),
        },
    )


@transaction.atomic
def practice_feature(*, practice, by, featured):
    """Put a published practice forward in the library (or stop doing so)."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    _require(can_feature_practice(by, practice), _("Usted no puede destacar prácticas de esta ciudad."))
    if practice.featured != featured:
        practice.featured = featured
        history_stamp(practice, by=by)
        practice.save(update_fields=["featured", "updated_at"])
    return practice


# Replication -----------------------------------------------------------------------------


@transaction.atomic
def replication_start(*, practice, by, notes=""):
    """The ambassador's city says it replicates the practice (planned, until it links actions)."""
    appointment = active_appointment(by)
    _require(appointment is not None, _("Solo un embajador en funciones puede registrar una réplica."))
    if practice.status != Practice.Status.PUBLISHED:
        raise ValidationError(_("Solo se replican prácticas publicadas."))
    if appointment.city_id == practice.city_id:
        raise ValidationError(_("Esta práctica es de su ciudad: no la puede replicar."))
    replication = Replication(
        practice=practice, city=appointment.city, started_by=by, notes=notes.strip(), started_at=timezone.now()
    )
    # The one-per-city constraint is the INSERT's to enforce (below, with its own message).
    replication.full_clean(validate_unique=False, validate_constraints=False)
    history_stamp(replication, by=by)
    try:
        with transaction.atomic():
            replication.save()
    except IntegrityError:
        raise ValidationError(_("Su ciudad ya registró que replica esta práctica.")) from None
    return replication


@transaction.atomic
def replication_update(*, replication, by, notes):
    _require(can_edit_replication(by, replication), _("Solo el embajador de la ciudad que replica puede cambiarla."))
    replication.notes = notes.strip()
    replication.full_clean(validate_unique=False)
    history_stamp(replication, by=by)
    replication.save(update_fields=["notes"])
    return replication


@transaction.atomic
def replication_link(*, replication, action, by, completes=False):
    """Link an action of the replicating city (in any state: a draft too) to the replication.
    The replication counts as done once an action linked with `completes` is approved."""
    _require(can_edit_replication(by, replication), _("Solo el embajador de la ciudad que replica puede cambiarla."))
    if action.city_id != replication.city_id:
        raise ValidationError({"action": [_("Solo puede enlazar acciones de su ciudad.")]})
    link, created = ReplicationAction.objects.get_or_create(
        replication=replication,
        action=action,
        defaults={"completes": completes, "linked_at": timezone.now()},
    )
    if not created and link.completes != completes:
        # Saying "this completes it" now: only an approval from now on makes it done.
        link.completes, link.linked_at = completes, timezone.now()
        history_stamp(link, by=by)
        link.save(update_fields=["completes", "linked_at"])
    return link


@transaction.atomic
def replication_unlink(*, link, by):
    _require(
        can_edit_replication(by, link.replication), _("Solo el embajador de la ciudad que replica puede cambiarla.")
    )
    history_stamp(link, by=by).delete()


# Exchanges -------------------------------------------------------------------------------


def can_record_exchange(user):
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator or active_appointment(user) is not None


def can_edit_exchange(user, exchange):
    """Admins, and who recorded it while they may still record exchanges (not once paused or gone)."""
    return roles_of(user).is_admin or (exchange.created_by_id == user.pk and can_record_exchange(user))


@transaction.atomic
def exchange_save(*, by, data, cities, partner_cities=(), practices=(), exchange=None):
    """Record (or change) an exchange. An ambassador's own city always takes part in the
    exchanges they record. `partner_cities`: [{"name", "country"}] outside the network;
    `practices`: published practices it spread."""
    if exchange is None:
        _require(can_record_exchange(by), _("Solo embajadores y coordinadores registran intercambios."))
        exchange = Exchange(created_by=by)
    else:
        _require(can_edit_exchange(by, exchange), _("Solo quien registró este intercambio puede cambiarlo."))
    cities = set(cities)
    appointment = active_appointment(by)
    if appointment is not None:
        cities.add(appointment.city)
    if len(cities) + len(partner_cities) < 2:
        raise ValidationError({"cities": [_("Un intercambio une al menos dos ciudades.")]})
    if exchange.pk is not None:
        # A city whose actions name the exchange stays in it (its actions would point at an
        # exchange it was never part of).
        kept = ExchangeParticipation.objects.filter(exchange=exchange).exclude(action__city__in=cities)
        names = sorted(set(kept.values_list("action__city__name", flat=True)))
        if names:
            raise ValidationError(
                {"cities": [_("No se puede quitar %(cities)s: tiene acciones registradas en este intercambio.")
                            % {"cities": ", ".join(names)}]}
            )  # fmt: skip
    if any(practice.status != Practice.Status.PUBLISHED for practice in practices):
        raise ValidationError({"practices": [_("Solo se enlazan prácticas publicadas.")]})
    for field in ("kind", "title", "description", "started_on", "ended_on"):
        if field in data:
            setattr(exchange, field, data[field])
    created, at = exchange.pk is None, timezone.now()
    with history_deferred(exchange):
        exchange.full_clean()
        exchange.save()
        exchange.cities.set(cities)
        exchange.practices.set(practices)
    # Partner rows are saved one by one (a few per exchange), so each addition and removal keeps
    # its audit entry, and an unchanged partner keeps its row.
    wanted = dict.fromkeys((partner["name"].strip(), str(partner["country"])) for partner in partner_cities)
    for partner in exchange.partner_cities.all():
        key = (partner.name, partner.country.code)
        if key in wanted:
            del wanted[key]
        else:
            history_stamp(partner, by=by, at=at).delete()
    for name, country in wanted:
        partner = PartnerCity(exchange=exchange, name=name, country=country)
        try:
            partner.full_clean(exclude=["exchange"])
        except ValidationError as error:
            raise ValidationError({"partner_cities": error.messages}) from None
        history_stamp(partner, by=by, at=at).save()
    history_write(exchange, created=created, by=by, at=at)
    return exchange


# Following commitments ---------------------------------------------------------------------


@transaction.atomic
def follows_set(*, user, commitments):
    """The commitments whose new practices go into the user's weekly summary."""
    _require(is_network_member(user), _("Solo los miembros de la red siguen compromisos."))
    wanted = {commitment.pk for commitment in commitments}
    CommitmentFollow.objects.filter(user=user).exclude(commitment__in=wanted).delete()
    CommitmentFollow.objects.bulk_create(
        [CommitmentFollow(user=user, commitment_id=pk) for pk in wanted], ignore_conflicts=True
    )


def evidence_shared_by(practice, *, pk):
    """One evidence the practice shares (its own list, chosen by its author); DoesNotExist otherwise."""
    return Evidence.objects.filter(practices=practice).get(pk=pk)


def exchange_participation_save(*, action, data, by, at):
    """An exchange action's exchange and role; only an exchange its city took part in."""
    if not data["exchange"].cities.filter(pk=action.city_id).exists():
        raise ValidationError({"exchange": [_("Su ciudad no participa en ese intercambio.")]})
    return details_save(ExchangeParticipation, action=action, data=data, by=by, at=at)
