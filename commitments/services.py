"""Writes on actions, their evidence and the cities' targets.

Views, admin, commands and tasks all call these; each checks who may do it, so no caller
can forget to. A status change is claimed with a conditional UPDATE, so two requests (a
double tap on a phone, two coordinators) cannot both move the same action.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ambassadors.models import Ambassador, City
from ambassadors.scope import roles_of
from core.history import history_deferred, history_record_update, history_stamp, history_write
from core.mail import mail_queue

from . import kinds, review_tally, tallies
from .evidence import MAX_EVIDENCE_FILES, check_upload_rate, check_uploaded_file, strip_image_metadata
from .models import Action, ActionStatusChange, Commitment, Evidence, IndicatorValue, Notification, Target

# Who may do what -------------------------------------------------------------------------


def active_appointment(user):
    """The user's active appointment, which is what lets them log actions (None if none)."""
    if not user.is_authenticated or not roles_of(user).is_ambassador:
        return None
    return Ambassador.objects.filter(user=user, status=Ambassador.Status.ACTIVE).select_related("city").first()


def keeps_city(user, city_id):
    """The ambassador in office in the city keeps its records (plan, pipeline, hazard log): a
    successor after a handover carries on where their predecessor left off."""
    appointment = active_appointment(user)
    return appointment is not None and appointment.city_id == city_id


def can_edit_action(user, action):
    """Only its own ambassador, still in office, and only while draft or returned."""
    return (
        action.is_editable
        and action.ambassador.user_id == user.pk
        and action.ambassador.status == Ambassador.Status.ACTIVE
    )


def can_withdraw_action(user, action):
    """Its ambassador, still in office, takes a submitted action back before anyone decides on it."""
    return (
        action.status == Action.Status.SUBMITTED
        and action.ambassador.user_id == user.pk
        and action.ambassador.status != Ambassador.Status.ENDED
    )


def can_delete_action(user, action):
    return (
        action.status == Action.Status.DRAFT
        and action.ambassador.user_id == user.pk
        and action.ambassador.status != Ambassador.Status.ENDED
    )


def can_review_action(user, action):
    """Coordinators of the action's country, and admins; never the action's own author."""
    return Action.objects.reviewable_by(user).filter(pk=action.pk).exists()


def can_manage_targets(user, city):
    """The city's ambassador sets its targets; coordinators in scope and admins adjust them."""
    return City.objects.visible_to(user).filter(pk=city.pk).exists()


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


# Writing an action ------------------------------------------------------------------------


def write_rows(model, *, added=(), changed=(), removed=(), fields=(), by, at):
    """Insert, update and delete rows of an action's details, each with its audit entry (who,
    when and the row as it became), in a fixed number of queries but for deletions."""
    if added:
        bulk_create_with_history(list(added), model, default_user=by, default_date=at)
    if changed:
        bulk_update_with_history(list(changed), model, fields=list(fields), default_user=by, default_date=at)
    for row in removed:
        history_stamp(row, by=by, at=at).delete()


def _set_related(manager, objs, *, fresh):
    """manager.set(objs), saying whether anything changed (a new action has nothing yet)."""
    current = set() if fresh else set(manager.values_list("pk", flat=True))
    wanted = {obj.pk for obj in objs}
    if current - wanted:
        manager.remove(*(current - wanted))
    if wanted - current:
        manager.add(*(wanted - current))
    return current != wanted


def _save_values(action, values, *, by, at, fresh):
    """{indicator id: value or None}; values of indicators of another commitment go."""
    allowed = set(action.commitment.indicators.values_list("pk", flat=True))
    saved = {} if fresh else {value.indicator_id: value for value in action.indicator_values.all()}
    removed = [value for indicator_id, value in saved.items() if indicator_id not in allowed]
    added, changed = [], []
    for indicator_id, value in values.items():
        if indicator_id not in allowed:
            continue
        row = saved.get(indicator_id)
        if value is None:
            removed += [row] if row else []
        elif row is None:
            added.append(IndicatorValue(action=action, indicator_id=indicator_id, value=value))
        elif row.value != value:
            row.value = value
            changed.append(row)
    write_rows(IndicatorValue, added=added, changed=changed, removed=removed, fields=["value"], by=by, at=at)


def _save_links(action, links, *, by, at, fresh):
    """Links are evidence without a file, one per address; a new address is a new link."""
    wanted = {link["url"]: link.get("title", "") for link in links}
    saved = [] if fresh else list(action.evidence.filter(file=""))
    removed = [link for link in saved if link.url not in wanted]
    changed = []
    for link in saved:
        if link.url in wanted and link.title != wanted[link.url]:
            link.title = wanted[link.url]
            changed.append(link)
    kept = {link.url for link in saved}
    added = [Evidence(action=action, url=url, title=wanted[url], uploaded_by=by) for url in wanted if url not in kept]
    write_rows(Evidence, added=added, changed=changed, removed=removed, fields=["title"], by=by, at=at)


def details_save(model, *, action, data, by, at):
    """Create or update the action's one-to-one row of `model` (a kind's details) with `data`,
    checked by the model, with its audit entry; nothing written when nothing changed."""
    row = model.objects.filter(action=action).first() or model(action=action)
    fields = list(data) if row._state.adding else [field for field in data if getattr(row, field) != data[field]]
    if row._state.adding or fields:
        for field in fields:
            setattr(row, field, data[field])
        row.full_clean(exclude=["action"])
        history_stamp(row, by=by, at=at).save()
    return row


def details_discard(model, *, action, by, at):
    """Remove the action's rows of `model` (it left the kind), with their audit entries."""
    for row in model.objects.filter(action=action):
        history_stamp(row, by=by, at=at).delete()


def _save_details(
    action,
    *,
    by,
    at,
    fresh,
    focus_areas=None,
    cities_involved=None,
    indicator_values=None,
    links=None,
    kind_form=None,
):
    """Write the details that changed (a detail left as None stays as it is); `kind_form` is
    the valid form of the details of the action's kind (commitments.kinds). Returns whether
    the action's focus areas or cities changed: they are part of the action's own entry."""
    related_changed = False
    section = kinds.section_for(action.kind)
    if kind_form is not None and section is not None:
        section.save(action=action, form=kind_form, by=by, at=at)
    if focus_areas is not None:
        areas = [area for area in focus_areas if area.commitment_id == action.commitment_id]
        related_changed |= _set_related(action.focus_areas, areas, fresh=fresh)
    if cities_involved is not None:
        cities = [city for city in cities_involved if city.pk != action.city_id]
        related_changed |= _set_related(action.cities_involved, cities, fresh=fresh)
    if indicator_values is not None:
        _save_values(action, indicator_values, by=by, at=at, fresh=fresh)
    if links is not None:
        _save_links(action, links, by=by, at=at, fresh=fresh)
    return related_changed


def _record(action, *, from_status, to_status, by, at=None, comment="", review_time=None):
    return ActionStatusChange.objects.create(
        action=action,
        city_id=action.city_id,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=at or timezone.now(),
        comment=comment,
        review_time=review_time,
    )


def _write(action, *, by, at, data, details, created=False, changed=()):
    """Save what the author changed, and only that: the action's fields (plus `changed`, fields
    the caller set) and its details. The action gets one audit entry, with its focus areas and
    cities, when any of those changed; each value and link its own; all at `at` by `by`."""
    fields = [*changed, *(f for f in Action.AUTHOR_FIELDS if f in data and getattr(action, f) != data[f])]
    if "kind" in fields and data["kind"] not in kinds.kinds_for(action.commitment, None if created else action.kind):
        raise ValidationError({"kind": [_("Este compromiso no ofrece ese tipo de acción.")]})
    for field in fields:
        setattr(action, field, data.get(field, getattr(action, field)))
    if "kind" in fields and not created:
        for section in kinds.SECTIONS.values():
            if section.kind != data["kind"]:
                section.discard(action=action, by=by, at=at)
    with history_deferred(action):
        if created or fields:
            action.full_clean()
            action.save(update_fields=None if created else [*fields, "updated_at"])
        related_changed = _save_details(action, by=by, at=at, fresh=created, **details)
    if created or fields or related_changed:
        history_write(action, created=created, by=by, at=at)


class EditConflict(Exception):
    """The action changed on the server after the version the author's phone started from."""

    def __init__(self, action):
        super().__init__(action.pk)
        self.action = action


@transaction.atomic
def action_create(*, by, commitment, data, client_key=None, **details):
    """A new draft in the ambassador's city. A commitment and a title are enough.

    `data` holds Action.AUTHOR_FIELDS; `details` may hold focus_areas, cities_involved,
    indicator_values ({indicator id: value or None}) and links (a list of dicts). `client_key`
    is the key a phone gave its draft: a resend with the same key returns the action the first
    send made (its `resent` is True), whatever it says now; nothing is written twice.
    """
    appointment = active_appointment(by)
    _require(appointment is not None, _("Solo un embajador en funciones puede registrar acciones."))
    if client_key is not None:
        sent = Action.objects.filter(ambassador=appointment, client_key=client_key).first()
        if sent is not None:
            sent.resent = True
            return sent
    action = Action(ambassador=appointment, city=appointment.city, commitment=commitment, client_key=client_key)
    at = timezone.now()
    try:
        # A savepoint: two sends of one draft that cross each other meet at the unique key (in
        # full_clean's check, or at the insert when both passed it), and the one that loses
        # reads what the other wrote.
        with transaction.atomic():
            _write(action, by=by, at=at, data=data, details=details, created=True)
    except (IntegrityError, ValidationError):
        sent = client_key and Action.objects.filter(ambassador=appointment, client_key=client_key).first()
        if not sent:
            raise
        sent.resent = True
        return sent
    _record(action, from_status="", to_status=Action.Status.DRAFT, by=by, at=at)
    return action


@transaction.atomic
def action_update(*, action, by, data, commitment=None, version=None, **details):
    """Change a draft or returned action; only its ambassador may. Same arguments as create;
    a detail left out (or None) stays as it is. `version` is the updated_at the author's copy
    started from: if the action changed since, EditConflict is raised and nothing is written."""
    action = Action.objects.select_for_update().select_related("ambassador").get(pk=action.pk)
    _require(
        can_edit_action(by, action), _("Solo su embajador puede cambiar esta acción, y solo en borrador o devuelta.")
    )
    if version is not None and action.updated_at > version:
        raise EditConflict(action)
    changed = []
    if commitment is not None and commitment.pk != action.commitment_id:
        action.commitment = commitment
        changed.append("commitment")
        # Focus areas and indicator values belong to a commitment: the old ones no longer apply
        # (_save_details keeps only the new commitment's).
        details["focus_areas"] = details.get("focus_areas") or []
        details["indicator_values"] = details.get("indicator_values") or {}
        if data.get("kind", action.kind) not in commitment.offered_kinds:
            # A kind the new commitment does not offer: the action becomes general.
            data = {**data, "kind": Action.Kind.GENERAL}
            details["kind_form"] = None
    _write(action, by=by, at=timezone.now(), data=data, details=details, changed=changed)
    return action


def action_submission_errors(action):
    """What still blocks sending the action for review, by field, in the user's language."""
    errors = {}
    if not action.started_on:
        errors["started_on"] = [_("Indique cuándo empezó la acción.")]
    elif action.started_on > timezone.localdate():
        errors["started_on"] = [_("La fecha de inicio no puede estar en el futuro: registre lo que ya se hizo.")]
    if not action.description.strip():
        errors["description"] = [_("Cuente qué se hizo.")]
    if _lacks_focus_area(action):
        errors["focus_areas"] = [_("Elija al menos un área de enfoque.")]
    section = kinds.section_for(action.kind)
    if section is not None:
        errors.update(section.submission_errors(action))
    return errors


def _lacks_focus_area(action):
    """Its commitment has focus areas and the action none (one query)."""
    chosen = Action.focus_areas.through.objects.filter(action_id=action.pk)
    return (
        Commitment.objects.filter(pk=action.commitment_id, focus_areas__isnull=False).filter(~Exists(chosen)).exists()
    )


def _move(action, *, by, allowed_from, to_status, comment="", extra=None):
    """Claim the transition with a conditional UPDATE; only one caller wins.

    Returns the recorded ActionStatusChange; `action` is refreshed in place.
    """
    now = timezone.now()
    current, submitted_at = Action.objects.select_for_update().filter(pk=action.pk).values_list(
        "status", "submitted_at"
    ).first() or (None, None)
    moved = current in allowed_from and Action.objects.filter(pk=action.pk, status=current).update(
        status=to_status, updated_at=now, **(extra or {})
    )
    if not moved:
        raise ValidationError(_("La acción ya no está en un estado que permita este cambio. Recargue la página."))
    if to_status == Action.Status.APPROVED:
        tallies.count(action.pk, 1)
    elif current == Action.Status.APPROVED:
        tallies.count(action.pk, -1)
    is_decision = to_status in ActionStatusChange.DECISIONS and submitted_at is not None
    change = _record(
        action,
        from_status=current,
        to_status=to_status,
        by=by,
        at=now,
        comment=comment,
        review_time=now - submitted_at if is_decision else None,
    )
    review_tally.count(change)
    history_record_update(action, by=by, at=now)  # refreshes `action` in place
    return change


@transaction.atomic
def action_submit(*, action, by):
    """Send a draft (or a fixed returned action) for review."""
    _require(can_edit_action(by, action), _("Solo su embajador puede enviar esta acción."))
    errors = action_submission_errors(action)
    if errors:
        raise ValidationError(errors)
    _move(
        action,
        by=by,
        allowed_from=[Action.Status.DRAFT, Action.Status.RETURNED],
        to_status=Action.Status.SUBMITTED,
        extra={"submitted_at": timezone.now()},
    )
    return action


@transaction.atomic
def action_withdraw(*, action, by):
    """Take a submitted action back to draft before anyone decides on it."""
    _require(
        can_withdraw_action(by, action), _("Solo su embajador puede retirar una acción enviada que aún no se revisó.")
    )
    _move(
        action,
        by=by,
        allowed_from=[Action.Status.SUBMITTED],
        to_status=Action.Status.DRAFT,
        extra={"submitted_at": None},
    )
    return action


def _decide(action, *, by, to_status, comment, checked=False):
    """Record the decision and tell the ambassador: in the app now, by email once committed.

    `checked`: the caller took `action` from Action.objects.reviewable_by(by).
    """
    _require(checked or can_review_action(by, action), _("Usted no puede revisar acciones de esta ciudad."))
    change = _move(
        action,
        by=by,
        allowed_from=[Action.Status.SUBMITTED],
        to_status=to_status,
        comment=comment.strip(),
        extra={"decided_at": timezone.now()},
    )
    notification = Notification.objects.create(recipient_id=action.ambassador.user_id, status_change=change)
    notification_email_queue(notification=notification)
    return action


@transaction.atomic
def action_approve(*, action, by, comment=""):
    return _decide(action, by=by, to_status=Action.Status.APPROVED, comment=comment)


@transaction.atomic
def action_return(*, action, by, comment):
    """Send the action back to its ambassador; the comment says what to fix and is required."""
    if not comment or not comment.strip():
        raise ValidationError({"comment": [_("Explique qué debe corregirse: el comentario es obligatorio.")]})
    return _decide(action, by=by, to_status=Action.Status.RETURNED, comment=comment)


def actions_approve(*, action_ids, by):
    """Bulk approval from the review queue: each selected action the reviewer may decide on is
    approved in its own savepoint; the rest (out of scope, own, already decided) are skipped.

    Returns (approved actions, number skipped).
    """
    candidates = Action.objects.filter(pk__in=action_ids, status=Action.Status.SUBMITTED).select_related("ambassador")
    approved = []
    for action in candidates:
        if not can_review_action(by, action):
            continue
        try:
            with transaction.atomic():
                approved.append(_decide(action, by=by, to_status=Action.Status.APPROVED, comment=""))
        except ValidationError:
            continue  # decided by someone else meanwhile
    return approved, len(set(action_ids)) - len(approved)


def notifications_read_about(*, action, by):
    """Opening an action reads the notifications that told `by` of it. Returns how many."""
    unread = Notification.objects.unread().filter(recipient=by, status_change__action=action)
    return unread.update(read_at=timezone.now())


def notifications_read_all(*, by):
    """Mark every notification of `by` as read. Returns how many."""
    return Notification.objects.unread().filter(recipient=by).update(read_at=timezone.now())


# Decision emails ------------------------------------------------------------------------


def notification_email_queue(*, notification):
    """Write the decision's email to the ambassador, in the language they chose, through the
    outgoing mail: it leaves once the decision commits, at most once, retried while the mail
    server fails (the sweep sends it if the broker was down). Returns the mail row, or None
    when the person has no address."""
    change = notification.status_change
    context = {
        "recipient": notification.recipient,
        "change": change,
        "action": change.action,
        "url": settings.SITE_URL + reverse("commitments:action", args=[change.action_id]),
    }
    mail = mail_queue(
        key=f"decision:{notification.pk}",
        recipient=notification.recipient,
        template="commitments/email/decision",
        context=context,
    )
    if mail is not None:
        Notification.objects.filter(pk=notification.pk).update(mail=mail)
    return mail


@transaction.atomic
def action_delete(*, action, by):
    """Delete a draft, with its evidence files."""
    _require(can_delete_action(by, action), _("Solo su embajador puede eliminar una acción, y solo en borrador."))
    _delete_draft(action, by=by)


def _hand_on(action, *, to):
    """Move an unfinished action to the appointment `to` (commitments.succession decides who may);
    conditional, so a second caller finds nothing left to move."""
    unfinished = [Action.Status.DRAFT, Action.Status.RETURNED]
    return Action.objects.filter(pk=action.pk, ambassador_id=action.ambassador_id, status__in=unfinished).update(
        ambassador=to, updated_at=timezone.now()
    )


def _delete_draft(action, *, by, left_by=None):
    # Locked first: no evidence can be added between listing the files and deleting the rows.
    Action.objects.select_for_update().filter(pk=action.pk).first()
    files = [evidence.file for evidence in action.evidence.exclude(file="")]
    # left_by (commitments.succession): only while still that ended appointment's draft.
    left = {"ambassador_id": left_by, "ambassador__status": Ambassador.Status.ENDED} if left_by else {}
    review_tally.uncount_action(action.pk)  # a withdrawn draft may have been returned once
    deleted, _counts = Action.objects.filter(pk=action.pk, status=Action.Status.DRAFT, **left).delete()
    if not deleted:
        raise ValidationError(_("La acción ya no es un borrador. Recargue la página."))
    # The conditional delete loads its own instances: name who deleted in the audit entries.
    Action.history.filter(id=action.pk, history_type="-").update(history_user=by)
    for detail in (Evidence, IndicatorValue):
        detail.history.filter(action_id=action.pk, history_type="-").update(history_user=by)
    transaction.on_commit(lambda: [stored.delete(save=False) for stored in files])


# Evidence ---------------------------------------------------------------------------------


@transaction.atomic
def evidence_add_file(*, action, by, uploaded_file, title=""):
    """Store one uploaded file as evidence, after checking its content, size and count; images
    are stored without their metadata (the GPS position of a photo)."""
    action = Action.objects.select_for_update().select_related("ambassador").get(pk=action.pk)
    _require(
        can_edit_action(by, action), _("Solo su embajador puede añadir evidencias, y solo en borrador o devuelta.")
    )
    if action.evidence.exclude(file="").count() >= MAX_EVIDENCE_FILES:
        raise ValidationError(
            _("«%(name)s» no se guardó: la acción ya tiene %(max)d archivos, el máximo.")
            % {"name": uploaded_file.name, "max": MAX_EVIDENCE_FILES}
        )
    check_upload_rate(by, uploaded_file.name)
    content_type, extension = check_uploaded_file(uploaded_file)
    stored_file = strip_image_metadata(uploaded_file, content_type)
    evidence = Evidence(
        action=action,
        original_name=uploaded_file.name[-255:],
        content_type=content_type,
        size=stored_file.size,
        title=title,
        uploaded_by=by,
    )
    evidence.extension = extension
    evidence._history_user = by
    evidence.file.save(uploaded_file.name, stored_file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence, by):
    _require(
        can_edit_action(by, evidence.action),
        _("Solo su embajador puede quitar evidencias, y solo en borrador o devuelta."),
    )
    stored = evidence.file if evidence.file else None
    evidence._history_user = by
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: stored.delete(save=False))


# Targets ----------------------------------------------------------------------------------


@transaction.atomic
def target_save(*, by, city, indicator, horizon, baseline, baseline_year, target_value, due_on, target=None):
    """Create or adjust a city's target on an indicator for a horizon. The site's form, Django
    admin and any later API call this; what makes a target valid is Target.clean, which
    full_clean runs with the database constraints."""
    _require(can_manage_targets(by, city), _("Usted no puede fijar metas para esta ciudad."))
    target = target or Target(city=city)
    _require(target.city_id == city.pk, _("Esta meta es de otra ciudad."))
    target.indicator, target.horizon = indicator, horizon
    target.baseline, target.baseline_year = baseline, baseline_year
    target.target_value, target.due_on, target.updated_by = target_value, due_on, by
    target.full_clean()
    target._history_user = by
    try:
        with transaction.atomic():  # a savepoint: the transaction outlives a refused insert
            target.save()
    except IntegrityError:
        # The same target saved by another request between full_clean and this write (two taps,
        # two people): the unique constraint refused ours. Its check now finds the other one and
        # says so as a duplicate typed in the form would be told.
        target.validate_constraints()
        raise
    return target


@transaction.atomic
def target_delete(*, target, by):
    """Remove a target (from Django admin: the site keeps and adjusts them), recording who did."""
    _require(can_manage_targets(by, target.city), _("Usted no puede fijar metas para esta ciudad."))
    target._history_user = by
    target.delete()


def year_start(today=None):
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1)
