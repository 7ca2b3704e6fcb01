"""Writes on transition plans, milestones, opportunities and disbursements.

Views, admin, the demo and tasks call these; each checks who may do it. A status or stage change
is claimed with a conditional UPDATE, as for actions and practices, so a double tap or two people
cannot both move the same row; each one leaves its audit entry (who, when, from, to, comment).
Amounts are Decimal from the form to the database; nothing here converts money.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador
from commitments.evidence import check_uploaded_file, strip_image_metadata
from commitments.models import Horizon
from commitments.services import active_appointment, check_upload_rate, keeps_city
from core.history import history_deferred, history_record_update, history_stamp, history_write
from core.mail import mail_queue

from .models import (
    Disbursement,
    Document,
    Milestone,
    Opportunity,
    OpportunityStageChange,
    PlanStatusChange,
    TransitionPlan,
)

MAX_DOCUMENTS = 10


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


# Who may do what -------------------------------------------------------------------------


def can_edit_plan(user, plan):
    return plan.is_editable and keeps_city(user, plan.city_id)


def can_review_plan(user, plan):
    return TransitionPlan.objects.awaiting_review_by(user).filter(pk=plan.pk).exists()


def can_manage_pipeline(user, city_id):
    return keeps_city(user, city_id)


# The plan --------------------------------------------------------------------------------


def _record_plan(plan, *, from_status, to_status, by, at=None, comment=""):
    return PlanStatusChange.objects.create(
        plan=plan, from_status=from_status, to_status=to_status, by=by, at=at or timezone.now(), comment=comment
    )


def _plan_fields(plan, data):
    for field in ("diagnosis_summary", "diagnosis_on", "strategy"):
        if field in data:
            setattr(plan, field, data[field])


@transaction.atomic
def plan_start(*, by, data=None, commitments=()):
    """The first version of the city's plan, a draft (there is at most one version in preparation)."""
    appointment = active_appointment(by)
    _require(appointment is not None, _("Solo el embajador en funciones de una ciudad puede escribir su plan."))
    # Locked: two taps on "start" at once would both find no plan.
    type(appointment.city).objects.select_for_update().get(pk=appointment.city_id)
    if TransitionPlan.objects.filter(city=appointment.city).exists():
        raise ValidationError(_("La ciudad ya tiene un plan: revíselo en lugar de empezar otro."))
    plan = TransitionPlan(city=appointment.city, version=1, created_by=by)
    _plan_fields(plan, data or {})
    with history_deferred(plan):
        plan.full_clean()
        plan.save()
        plan.commitments.set(commitments)
    history_write(plan, created=True, by=by)
    _record_plan(plan, from_status="", to_status=TransitionPlan.Status.DRAFT, by=by)
    return plan


@transaction.atomic
def plan_update(*, plan, by, data, commitments=None):
    """The diagnosis and the strategy of a draft or returned version."""
    plan = TransitionPlan.objects.select_for_update().get(pk=plan.pk)
    _require(can_edit_plan(by, plan), _("Solo el embajador de la ciudad puede cambiar el plan, y solo en borrador."))
    _plan_fields(plan, data)
    with history_deferred(plan):
        plan.full_clean()
        plan.save()
        if commitments is not None:
            plan.commitments.set(commitments)
    history_write(plan, by=by)
    return plan


@transaction.atomic
def plan_revise(*, plan, by, reason):
    """Start the next version from the approved one: a draft copy of its diagnosis, strategy,
    milestones (each remembering its origin, with the opportunities that would finance it) and
    documents. The approved version stays in force, unchanged, until the new one is approved."""
    plan = TransitionPlan.objects.select_for_update().get(pk=plan.pk)
    _require(keeps_city(by, plan.city_id), _("Solo el embajador de la ciudad puede revisar su plan."))
    if not reason or not reason.strip():
        raise ValidationError({"revision_reason": [_("Explique por qué se revisa el plan.")]})
    latest = TransitionPlan.objects.filter(city_id=plan.city_id).latest_version()
    if plan.status != TransitionPlan.Status.APPROVED or latest.pk != plan.pk:
        raise ValidationError(_("Solo se revisa la última versión aprobada del plan."))
    at = timezone.now()
    draft = TransitionPlan(
        city_id=plan.city_id,
        version=plan.version + 1,
        diagnosis_summary=plan.diagnosis_summary,
        diagnosis_on=plan.diagnosis_on,
        strategy=plan.strategy,
        revision_reason=reason.strip(),
        created_by=by,
        created_at=at,
    )
    with history_deferred(draft):
        draft.save()
        draft.commitments.set(plan.commitments.all())
    history_write(draft, created=True, by=by, at=at)
    for milestone in plan.milestones.prefetch_related("commitments", "targets", "opportunities"):
        copy = Milestone.objects.create(
            plan=draft,
            origin=milestone,
            **{field: getattr(milestone, field) for field in MILESTONE_FIELDS},
            status=milestone.status,
            status_changed_at=milestone.status_changed_at,
        )
        copy.commitments.set(milestone.commitments.all())
        copy.targets.set(milestone.targets.all())
        for opportunity in milestone.opportunities.all():
            opportunity.milestones.add(copy)
    Document.objects.bulk_create(
        [
            Document(
                plan=draft,
                title=document.title,
                file=document.file.name,
                original_name=document.original_name,
                content_type=document.content_type,
                size=document.size,
                url=document.url,
                uploaded_by_id=document.uploaded_by_id,
            )
            for document in plan.documents.all()
        ]
    )
    _record_plan(draft, from_status="", to_status=TransitionPlan.Status.DRAFT, by=by, at=at, comment=reason.strip())
    return draft


def plan_submission_errors(plan):
    """What still blocks sending a version for review, by field, in the user's language."""
    errors = {}
    if not plan.diagnosis_summary.strip():
        errors["diagnosis_summary"] = [_("Escriba el diagnóstico.")]
    if plan.diagnosis_on is None:
        errors["diagnosis_on"] = [_("Indique la fecha del diagnóstico.")]
    if not plan.priorities:
        errors["strategy"] = [_("Escriba al menos una prioridad de la estrategia.")]
    horizons = set(plan.milestones.values_list("horizon", flat=True))
    missing = [str(label).lower() for value, label in Horizon.choices if value not in horizons]
    if missing:
        errors["milestones"] = [
            _("El plan necesita al menos un hito en cada horizonte; falta: %(missing)s.")
            % {"missing": ", ".join(missing)}
        ]
    return errors


def _move_plan(plan, *, by, allowed_from, to_status, comment="", extra=None):
    """Claim the transition with a conditional UPDATE; only one caller wins."""
    now = timezone.now()
    current = TransitionPlan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
    moved = current in allowed_from and TransitionPlan.objects.filter(pk=plan.pk, status=current).update(
        status=to_status, updated_at=now, **(extra or {})
    )
    if not moved:
        raise ValidationError(_("El plan ya no está en un estado que permita este cambio. Recargue la página."))
    change = _record_plan(plan, from_status=current, to_status=to_status, by=by, at=now, comment=comment)
    history_record_update(plan, by=by, at=now)
    return change


@transaction.atomic
def plan_submit(*, plan, by):
    plan = TransitionPlan.objects.select_for_update().select_related("city").get(pk=plan.pk)
    _require(can_edit_plan(by, plan), _("Solo el embajador de la ciudad puede enviar el plan."))
    errors = plan_submission_errors(plan)
    if errors:
        raise ValidationError(errors)
    _move_plan(
        plan,
        by=by,
        allowed_from=TransitionPlan.EDITABLE,
        to_status=TransitionPlan.Status.SUBMITTED,
        extra={"submitted_at": timezone.now()},
    )
    return plan


@transaction.atomic
def plan_approve(*, plan, by, comment=""):
    """Put the version in force from now on; the one before stays as it was, superseded."""
    plan = TransitionPlan.objects.select_for_update().select_related("city").get(pk=plan.pk)
    _require(can_review_plan(by, plan), _("Usted no puede revisar el plan de esta ciudad."))
    change = _move_plan(
        plan,
        by=by,
        allowed_from=[TransitionPlan.Status.SUBMITTED],
        to_status=TransitionPlan.Status.APPROVED,
        comment=comment.strip(),
        extra={"approved_at": timezone.now()},
    )
    _queue_decision_email(plan, change)
    return plan


@transaction.atomic
def plan_return(*, plan, by, comment):
    if not comment or not comment.strip():
        raise ValidationError({"comment": [_("Explique qué debe corregirse: el comentario es obligatorio.")]})
    plan = TransitionPlan.objects.select_for_update().select_related("city").get(pk=plan.pk)
    _require(can_review_plan(by, plan), _("Usted no puede revisar el plan de esta ciudad."))
    change = _move_plan(
        plan,
        by=by,
        allowed_from=[TransitionPlan.Status.SUBMITTED],
        to_status=TransitionPlan.Status.RETURNED,
        comment=comment.strip(),
    )
    _queue_decision_email(plan, change)
    return plan


def _queue_decision_email(plan, change):
    """Tell the ambassador in office in the plan's city of the coordinator's decision."""
    appointment = plan.city.ambassadors.filter(status=Ambassador.Status.ACTIVE).select_related("user").first()
    if appointment is None:
        return
    mail_queue(
        key=f"plan-decision:{change.pk}",
        recipient=appointment.user,
        template="funding/email/plan_decision",
        context={
            "recipient": appointment.user,
            "plan": plan,
            "change": change,
            "url": settings.SITE_URL + reverse("funding:plan", args=[plan.pk]),
        },
    )


# Milestones ------------------------------------------------------------------------------

MILESTONE_FIELDS = ["horizon", "title", "description", "due_on", "responsible"]


def _check_milestone_links(plan, *, commitments, targets):
    targets = list(targets)
    if any(target.city_id != plan.city_id for target in targets):
        raise ValidationError({"targets": [_("Solo metas de la ciudad del plan.")]})
    return commitments, targets


@transaction.atomic
def milestone_save(*, plan, by, data, commitments=(), targets=(), milestone=None):
    """Add a milestone to a draft or returned version, or change one of it."""
    plan = TransitionPlan.objects.select_for_update().get(pk=plan.pk)
    _require(can_edit_plan(by, plan), _("Los hitos se cambian en una versión del plan en borrador."))
    if milestone is not None and milestone.plan_id != plan.pk:
        raise PermissionDenied(_("Ese hito es de otra versión del plan."))
    commitments, targets = _check_milestone_links(plan, commitments=commitments, targets=targets)
    milestone = milestone or Milestone(plan=plan)
    created = milestone.pk is None
    for field in MILESTONE_FIELDS:
        if field in data:
            setattr(milestone, field, data[field])
    at = timezone.now()
    with history_deferred(milestone):
        milestone.full_clean(exclude=["plan"])
        milestone.save()
        milestone.commitments.set(commitments)
        milestone.targets.set(targets)
    history_write(milestone, created=created, by=by, at=at)
    return milestone


@transaction.atomic
def milestone_remove(*, milestone, by):
    plan = TransitionPlan.objects.select_for_update().get(pk=milestone.plan_id)
    _require(can_edit_plan(by, plan), _("Los hitos se quitan en una versión del plan en borrador."))
    history_stamp(milestone, by=by)
    milestone.delete()


def can_update_milestone_status(user, milestone):
    """Progress is kept on the version in preparation and on the plan in force, by its city."""
    plan = milestone.plan
    in_force = TransitionPlan.objects.in_force().filter(pk=plan.pk).exists()
    return keeps_city(user, plan.city_id) and (plan.is_editable or in_force)


@transaction.atomic
def milestone_set_status(*, milestone, by, status):
    # Every version of the city's plan locked: an approval running meanwhile finishes first, so
    # the change reaches the version then in force or is refused, never lost on a superseded one.
    list(TransitionPlan.objects.select_for_update().filter(city_id=milestone.plan.city_id))
    milestone = Milestone.objects.select_for_update().select_related("plan").get(pk=milestone.pk)
    _require(
        can_update_milestone_status(by, milestone),
        _("Solo el embajador de la ciudad actualiza sus hitos, en el plan vigente o en preparación."),
    )
    if status not in Milestone.Status.values:
        raise ValidationError({"status": [_("Elija un estado de la lista.")]})
    if milestone.status != status:
        milestone.status = status
        milestone.status_changed_at = timezone.now()
        history_stamp(milestone, by=by, at=milestone.status_changed_at)
        milestone.save(update_fields=["status", "status_changed_at"])
        # The version in preparation carries the progress too, so approving it loses none.
        for copy in milestone.copies.exclude(plan__status=TransitionPlan.Status.APPROVED):
            copy.status, copy.status_changed_at = status, milestone.status_changed_at
            history_stamp(copy, by=by, at=milestone.status_changed_at)
            copy.save(update_fields=["status", "status_changed_at"])
    return milestone


# Documents -------------------------------------------------------------------------------


def documents_uploaded_in_the_last_hour(by):
    """Document files stored by `by` in the last hour, counted in the audit trail (a file uploaded
    and then removed still counts)."""
    since = timezone.now() - datetime.timedelta(hours=1)
    return Document.history.filter(history_type="+", history_user=by, history_date__gt=since).exclude(file="").count()


@transaction.atomic
def document_add(*, by, plan=None, opportunity=None, uploaded_file=None, url="", title=""):
    """A file or a link, on a draft plan version or on an opportunity of the user's city. A file
    is taken as evidence is: its type, size and content checked, within the person's hourly cap,
    an image stored without its metadata (a photo's GPS position). The owner is locked, so two
    uploads cannot pass the count together nor land on a version sent meanwhile."""
    if plan is not None:
        plan = owner = TransitionPlan.objects.select_for_update().get(pk=plan.pk)
        _require(can_edit_plan(by, plan), _("Los documentos se añaden a una versión del plan en borrador."))
    else:
        opportunity = owner = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        _require(
            can_manage_pipeline(by, opportunity.city_id), _("Solo el embajador de la ciudad puede añadir documentos.")
        )
    if owner.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(_("Ya hay %(max)s documentos: quite uno antes de añadir otro.") % {"max": MAX_DOCUMENTS})
    if (uploaded_file is None) == (not url):
        raise ValidationError(_("Suba un archivo o pegue un enlace (uno de los dos)."))
    document = Document(plan=plan, opportunity=opportunity, title=title.strip(), url=url, uploaded_by=by)
    if uploaded_file is not None:
        try:
            check_upload_rate(by, uploaded_file.name, elsewhere=documents_uploaded_in_the_last_hour(by))
            content_type, document.extension = check_uploaded_file(uploaded_file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        stored_file = strip_image_metadata(uploaded_file, content_type)
        document.content_type = content_type
        document.original_name = uploaded_file.name[-255:]
        document.size = stored_file.size
        document.file.save(uploaded_file.name, stored_file, save=False)
    document.full_clean(exclude=["file"])
    history_stamp(document, by=by)
    document.save()
    return document


@transaction.atomic
def document_remove(*, document, by):
    if document.plan_id:
        _require(can_edit_plan(by, document.plan), _("Los documentos se quitan de una versión del plan en borrador."))
    else:
        _require(
            can_manage_pipeline(by, document.opportunity.city_id),
            _("Solo el embajador de la ciudad puede quitar documentos."),
        )
    stored = document.file.name
    history_stamp(document, by=by)
    document.delete()
    # A revised plan's copies share their file: it goes with the last row that names it.
    if stored and not Document.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: document.file.storage.delete(stored))


# Opportunities ---------------------------------------------------------------------------

OPPORTUNITY_FIELDS = ["funder", "funder_name", "title", "deadline", "amount", "currency", "identified_on", "notes"]


def _check_opportunity_links(city_id, *, milestones, actions):
    milestones, actions = list(milestones), list(actions)
    errors = {}
    if Milestone.objects.filter(pk__in=[m.pk for m in milestones]).exclude(plan__city_id=city_id).exists():
        errors["milestones"] = [_("Solo hitos del plan de la ciudad.")]
    if any(action.city_id != city_id for action in actions):
        errors["actions"] = [_("Solo acciones de la ciudad.")]
    if errors:
        raise ValidationError(errors)
    return milestones, actions


# What a decision fixes: the amount asked for, its currency, and the day whose rate converts it.
FIXED_ONCE_DECIDED = ("amount", "currency", "identified_on")
# The largest amount a DecimalField(max_digits=16, decimal_places=2) holds, plus a cent.
TOO_LARGE = Decimal("1E14")


def _check_opportunity_dates(opportunity):
    errors = {}
    if opportunity.identified_on and opportunity.identified_on > timezone.localdate():
        errors["identified_on"] = [_("La fecha no puede ser futura.")]
    if opportunity.decided_on and opportunity.identified_on and opportunity.identified_on > opportunity.decided_on:
        errors["identified_on"] = [_("No puede ser posterior a la decisión del financiador.")]
    if errors:
        raise ValidationError(errors)


def _write_opportunity(opportunity, *, by, data, milestones, actions, created):
    milestones, actions = _check_opportunity_links(opportunity.city_id, milestones=milestones, actions=actions)
    if opportunity.stage in Opportunity.DECIDED:
        changed = [
            field for field in FIXED_ONCE_DECIDED if field in data and data[field] != getattr(opportunity, field)
        ]
        if changed:
            message = _("Ya no cambia: el financiador decidió sobre la oportunidad.")
            raise ValidationError({field: [message] for field in changed})
    for field in OPPORTUNITY_FIELDS:
        if field in data:
            setattr(opportunity, field, data[field])
    if opportunity.funder_id:
        opportunity.funder_name = ""
    _check_opportunity_dates(opportunity)
    at = timezone.now()
    with history_deferred(opportunity):
        opportunity.full_clean()
        opportunity.save()
        opportunity.milestones.set(milestones)
        opportunity.actions.set(actions)
    history_write(opportunity, created=created, by=by, at=at)
    return opportunity


@transaction.atomic
def opportunity_create(*, by, data, milestones=(), actions=()):
    """A new opportunity of the ambassador's city, identified."""
    appointment = active_appointment(by)
    _require(appointment is not None, _("Solo el embajador en funciones de una ciudad registra oportunidades."))
    opportunity = Opportunity(city=appointment.city, created_by=by, stage_changed_at=timezone.now())
    _write_opportunity(opportunity, by=by, data=data, milestones=milestones, actions=actions, created=True)
    OpportunityStageChange.objects.create(
        opportunity=opportunity, from_stage="", to_stage=opportunity.stage, by=by, at=opportunity.stage_changed_at
    )
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity, by, data, milestones=(), actions=()):
    """Its details (not its stage: opportunity_move). Amounts stay as they were once decided."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    _require(
        can_manage_pipeline(by, opportunity.city_id), _("Solo el embajador de la ciudad cambia sus oportunidades.")
    )
    return _write_opportunity(opportunity, by=by, data=data, milestones=milestones, actions=actions, created=False)


@transaction.atomic
def opportunity_move(*, opportunity, by, to_stage, comment="", amount_awarded=None, decided_on=None):
    """The one way an opportunity changes stage. Awarded takes the amount granted (the amount
    sought when not given) and the day of the decision; rejected takes the day too."""
    _require(can_manage_pipeline(by, opportunity.city_id), _("Solo el embajador de la ciudad mueve sus oportunidades."))
    now = timezone.now()
    current = (
        Opportunity.objects.select_for_update()
        .filter(pk=opportunity.pk)
        .values("stage", "amount", "identified_on")
        .first()
    )
    if current is None or to_stage not in Opportunity.NEXT[current["stage"]]:
        raise ValidationError({"to_stage": [_("Esta oportunidad ya no puede pasar a esa etapa. Recargue la página.")]})
    extra = {}
    if to_stage in Opportunity.DECIDED:
        decided_on = decided_on or timezone.localdate()
        if decided_on > timezone.localdate():
            raise ValidationError({"decided_on": [_("La fecha de la decisión no puede ser futura.")]})
        if decided_on < current["identified_on"]:
            raise ValidationError(
                {"decided_on": [_("La decisión no puede ser anterior al día en que se identificó la oportunidad.")]}
            )
        extra["decided_on"] = decided_on
    if to_stage == Opportunity.Stage.AWARDED:
        amount_awarded = current["amount"] if amount_awarded is None else amount_awarded
        if amount_awarded <= 0:
            raise ValidationError({"amount_awarded": [_("El monto otorgado debe ser mayor que cero.")]})
        if amount_awarded >= TOO_LARGE:
            raise ValidationError({"amount_awarded": [_("El monto es demasiado grande.")]})
        extra["amount_awarded"] = amount_awarded
    if to_stage == Opportunity.Stage.IDENTIFIED:
        extra["decided_on"] = None
    moved = Opportunity.objects.filter(pk=opportunity.pk, stage=current["stage"]).update(
        stage=to_stage, stage_changed_at=now, updated_at=now, **extra
    )
    if not moved:
        raise ValidationError({"to_stage": [_("Esta oportunidad ya no puede pasar a esa etapa. Recargue la página.")]})
    change = OpportunityStageChange.objects.create(
        opportunity=opportunity, from_stage=current["stage"], to_stage=to_stage, by=by, at=now, comment=comment.strip()
    )
    history_record_update(opportunity, by=by, at=now)
    return change


# Disbursements ---------------------------------------------------------------------------


def disbursed_total(opportunity):
    return opportunity.disbursements.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def disbursement_add(*, opportunity, by, amount, received_on, note=""):
    """Money of an awarded opportunity received, in its currency; all of them together never more
    than the amount awarded."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    _require(can_manage_pipeline(by, opportunity.city_id), _("Solo el embajador de la ciudad registra desembolsos."))
    if opportunity.stage != Opportunity.Stage.AWARDED:
        raise ValidationError(_("Solo una oportunidad otorgada recibe desembolsos."))
    errors = {}
    if received_on > timezone.localdate():
        errors["received_on"] = [_("La fecha no puede ser futura.")]
    left = opportunity.amount_awarded - disbursed_total(opportunity)
    if amount > left:
        errors["amount"] = [
            _("Supera lo que queda por recibir: %(left)s %(currency)s.")
            % {
                "left": formats.number_format(left, decimal_pos=2, force_grouping=True),
                "currency": opportunity.currency,
            }
        ]
    if errors:
        raise ValidationError(errors)
    disbursement = Disbursement(
        opportunity=opportunity, amount=amount, received_on=received_on, note=note.strip(), recorded_by=by
    )
    disbursement.full_clean()
    history_stamp(disbursement, by=by)
    disbursement.save()
    return disbursement


@transaction.atomic
def disbursement_remove(*, disbursement, by):
    _require(
        can_manage_pipeline(by, disbursement.opportunity.city_id),
        _("Solo el embajador de la ciudad quita desembolsos."),
    )
    history_stamp(disbursement, by=by)
    disbursement.delete()
