"""The transition plan's pages: a city's plan (one version at a time, its milestones on a timeline
by horizon, its versions), writing it, its review and its revision.

Who sees a plan: its city's scope (TransitionPlan.objects.visible_to), everybody else gets 404.
Who may do what is funding.services' (can_edit_plan, can_review_plan, keeps_city,
can_update_milestone_status); a refusal of theirs is a 403, a refusal of the data is shown at
the form's fields, with what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ambassadors.models import City
from ambassadors.scope import city_scope_filter, roles_of
from commitments.models import Horizon, Target
from commitments.services import active_appointment

from . import services
from .boards import CARD_ORDER
from .forms import DocumentForm
from .models import Document, Milestone, Opportunity, PlanStatusChange, TransitionPlan
from .plan_forms import (
    MilestoneForm,
    MilestoneStatusForm,
    PlanForm,
    PlanReviewForm,
    RevisionForm,
)

# A milestone lists its first opportunities by deadline (as a board's cards); ?hito=<pk> lists
# all of that one's.
OPPORTUNITIES_PER_MILESTONE = 10

# Where each thing a submission still needs is shown on the plan's page (the section's anchor).
SUBMISSION_SECTIONS = {
    "diagnosis_summary": ("diagnosis", gettext_lazy("Diagnóstico")),
    "diagnosis_on": ("diagnosis", gettext_lazy("Diagnóstico")),
    "strategy": ("strategy", gettext_lazy("Estrategia")),
    "milestones": ("milestones", gettext_lazy("Hitos")),
}


def _plans(user):
    return TransitionPlan.objects.visible_to(user).select_related("city__country")


def _plan_or_404(request, pk):
    return get_object_or_404(_plans(request.user), pk=pk)


def _editable_plan_or_403(request, pk):
    """The version, if visible (else 404) and if the user may still change it (else 403)."""
    plan = _plan_or_404(request, pk)
    if not services.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _milestone_or_404(request, pk):
    visible = TransitionPlan.objects.visible_to(request.user)
    return get_object_or_404(Milestone.objects.filter(plan__in=visible).select_related("plan__city__country"), pk=pk)


def _milestone_opportunities(opportunities):
    """A milestone's opportunities as its page lists them: in a board's card order."""
    return opportunities.select_related("funder").order_by(*CARD_ORDER)


def _plan_for_page(user, pk):
    """A version with all its page shows, in a fixed number of queries however many milestones."""
    first_opportunities = _milestone_opportunities(Opportunity.objects)
    of_its_city = Q(opportunities__city=F("plan__city"))
    milestones = Milestone.objects.annotate(
        opportunity_count=Count("opportunities", filter=of_its_city)
    ).prefetch_related(
        "commitments",
        Prefetch("targets", queryset=Target.objects.select_related("indicator")),
        Prefetch(
            "opportunities",
            queryset=first_opportunities[:OPPORTUNITIES_PER_MILESTONE],
            to_attr="opportunities_shown",
        ),
    )
    found = _plans(user).prefetch_related(
        "commitments",
        Prefetch("milestones", queryset=milestones),
        Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
        Prefetch("status_changes", queryset=PlanStatusChange.objects.select_related("by")),
    )
    return get_object_or_404(found, pk=pk)


def _mark_versions(versions, in_force_pk):
    """Each version's place in the city's history: `in_force`, or `superseded_by` the next
    version approved after it (and `in_force_until`, the day that one came into force)."""
    approved = sorted((version for version in versions if version.approved_at), key=lambda version: version.approved_at)
    for version in versions:
        version.in_force = version.pk == in_force_pk
        later = [other for other in approved if version.approved_at and other.approved_at > version.approved_at]
        version.superseded_by = later[0] if later and not version.in_force else None


def _timeline(plan, today, *, expanded=None):
    """The version's milestones by horizon (short, medium, long), each by due date, overdue marked;
    the milestone whose pk is `expanded` (?hito=) with every one of its opportunities."""
    by_horizon = {value: [] for value in Horizon.values}
    for milestone in plan.milestones.all():
        milestone.overdue = milestone.is_overdue(today)
        # Only the plan's city's: the services link no other, and the page never shows another's.
        shown = [o for o in milestone.opportunities_shown if o.city_id == plan.city_id]
        if str(milestone.pk) == expanded and milestone.opportunity_count > len(shown):
            shown = list(_milestone_opportunities(milestone.opportunities.filter(city_id=plan.city_id)))
        milestone.opportunities_shown = shown
        by_horizon[milestone.horizon].append(milestone)
    return [
        {"value": value, "label": label, "milestones": by_horizon[value], "count": len(by_horizon[value])}
        for value, label in Horizon.choices
    ]


def _submission_summary(errors):
    """The service's refusal of a submission as the page lists it: section anchor, name, messages."""
    summary = []
    for field, field_errors in (errors or {}).items():
        anchor, label = SUBMISSION_SECTIONS.get(field, (None, None))
        summary.append({"anchor": anchor, "label": label, "messages": field_errors})
    return summary


def plan_page(
    request, plan, *, review_form=None, revise_form=None, document_form=None, submission_errors=None, status=200
):
    """One version's page. The views whose form was refused render it again with that form bound
    (`review_form`, `revise_form`, `document_form`) or with what blocks sending it
    (`submission_errors`, {field: messages}); `plan` is _plan_for_page's."""
    user = request.user
    today = timezone.localdate()
    versions = list(TransitionPlan.objects.filter(city_id=plan.city_id).order_by("-version"))
    in_force_pk = TransitionPlan.objects.filter(city_id=plan.city_id).in_force().values_list("pk", flat=True).first()
    _mark_versions(versions, in_force_pk)
    this = next(version for version in versions if version.pk == plan.pk)
    plan.in_force, plan.superseded_by = this.in_force, this.superseded_by
    latest = versions[0]
    timeline = _timeline(plan, today, expanded=request.GET.get("hito"))
    milestones = [milestone for group in timeline for milestone in group["milestones"]]
    history = list(plan.status_changes.all())
    can_edit = services.can_edit_plan(user, plan)
    can_review = services.can_review_plan(user, plan)
    keeps_city = services.keeps_city(user, plan.city_id)
    returned = [change for change in history if change.to_status == TransitionPlan.Status.RETURNED]
    return render(
        request,
        "funding/plan/plan_detail.html",
        {
            "plan": plan,
            "city": plan.city,
            "priorities": plan.priorities,
            "timeline": timeline,
            "milestone_count": len(milestones),
            "overdue_count": sum(milestone.overdue for milestone in milestones),
            "documents": list(plan.documents.all()),
            "versions": versions,
            "latest": latest,
            "in_force": next((version for version in versions if version.in_force), None),
            "history": history,
            "return_change": returned[-1] if plan.status == TransitionPlan.Status.RETURNED and returned else None,
            "can_edit": can_edit,
            "can_review": can_review,
            "can_revise": keeps_city and plan.status == TransitionPlan.Status.APPROVED and latest.pk == plan.pk,
            # One milestone answers for all: the rule reads only the version and the user.
            "can_update_status": bool(milestones) and services.can_update_milestone_status(user, milestones[0]),
            "can_seek_funding": keeps_city and (can_edit or plan.in_force),
            "status_choices": Milestone.Status.choices,
            "review_form": review_form or (PlanReviewForm() if can_review else None),
            "revise_form": revise_form or RevisionForm(),
            "document_form": document_form or DocumentForm(for_plan=True),
            "submission_errors": submission_errors or {},
            "submission_summary": _submission_summary(submission_errors),
            "max_documents": services.MAX_DOCUMENTS,
        },
        status=status,
    )


# Reading ---------------------------------------------------------------------------------


@login_required
def my_plan(request):
    """The ambassador's city plan (its latest version, or the page to start it); coordinators and
    admins go to the pipeline of their scope, where the plans waiting for them are listed."""
    user = request.user
    appointment = active_appointment(user)
    if appointment is not None:
        latest = TransitionPlan.objects.filter(city_id=appointment.city_id).latest_version()
        if latest is None:
            return redirect("funding:plan_start")
        return redirect("funding:plan", pk=latest.pk)
    roles = roles_of(user)
    if roles.is_ambassador:  # in office but paused: the plan can be read, not written
        return redirect("funding:city_plan", city_pk=roles.ambassador_city_id)
    if roles.reads_many_cities:
        return redirect("funding:index")
    raise PermissionDenied


@login_required
def city_plan(request, city_pk):
    """A city's plan: the version in force, else its latest, else a page saying there is none yet."""
    city = get_object_or_404(City.objects.filter(city_scope_filter(request.user)).select_related("country"), pk=city_pk)
    plans = TransitionPlan.objects.filter(city=city)
    found = plans.in_force().first() or plans.latest_version()
    if found is not None:
        return redirect("funding:plan", pk=found.pk)
    return render(
        request,
        "funding/plan/no_plan.html",
        {"city": city, "can_start": services.keeps_city(request.user, city.pk)},
    )


@login_required
def plan_detail(request, pk):
    return plan_page(request, _plan_for_page(request.user, pk))


# Writing the diagnosis and the strategy ----------------------------------------------------


@login_required
def plan_start(request):
    appointment = active_appointment(request.user)
    if appointment is None:
        raise PermissionDenied
    existing = TransitionPlan.objects.filter(city_id=appointment.city_id).latest_version()
    if existing is not None:
        messages.info(request, _("Su ciudad ya tiene un plan de transición: puede revisarlo desde su página."))
        return redirect("funding:plan", pk=existing.pk)
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data)
    if data is not None and form.is_valid():
        plan = form.save_through(services.plan_start, by=request.user)
        if plan is not None:
            messages.success(
                request,
                _("Plan guardado como borrador. Ahora agregue sus hitos: al menos uno a corto, mediano y largo plazo."),
            )
            return redirect("funding:plan", pk=plan.pk)
    return render(request, "funding/plan/plan_form.html", {"form": form, "city": appointment.city, "plan": None})


@login_required
def plan_edit(request, pk):
    plan = _editable_plan_or_403(request, pk)
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, instance=plan)
    if data is not None and form.is_valid():
        saved = form.save_through(services.plan_update, plan=plan, by=request.user)
        if saved is not None:
            messages.success(request, _("Diagnóstico y estrategia guardados."))
            return redirect("funding:plan", pk=pk)
    return render(request, "funding/plan/plan_form.html", {"form": form, "city": plan.city, "plan": plan})


# Milestones ------------------------------------------------------------------------------


def _milestone_form_page(request, plan, form, milestone=None, title=""):
    """`title`: the milestone's saved title (the form's instance holds what was typed)."""
    return render(
        request,
        "funding/plan/milestone_form.html",
        {"form": form, "plan": plan, "city": plan.city, "milestone": milestone, "saved_title": title},
    )


def _after_milestone_saved(request, plan, milestone, *, created):
    if created:
        message = _("Hito agregado: «%(title)s» (%(horizon)s).")
    else:
        message = _("Hito guardado: «%(title)s» (%(horizon)s).")
    messages.success(request, message % {"title": milestone.title, "horizon": milestone.get_horizon_display().lower()})
    if "another" in request.POST:
        return redirect(f"{reverse('funding:milestone_create', args=[plan.pk])}?horizonte={milestone.horizon}")
    return redirect(f"{reverse('funding:plan', args=[plan.pk])}#milestone-{milestone.pk}")


@login_required
def milestone_create(request, pk):
    plan = _editable_plan_or_403(request, pk)
    data = request.POST if request.method == "POST" else None
    horizon = request.GET.get("horizonte")
    initial = {"horizon": horizon} if horizon in Horizon.values else {}
    form = MilestoneForm(data, city=plan.city, initial=initial)
    if data is not None and form.is_valid():
        milestone = form.save_through(services.milestone_save, plan=plan, by=request.user)
        if milestone is not None:
            return _after_milestone_saved(request, plan, milestone, created=True)
    return _milestone_form_page(request, plan, form)


@login_required
def milestone_edit(request, pk):
    milestone = _milestone_or_404(request, pk)
    plan = milestone.plan
    if not services.can_edit_plan(request.user, plan):
        raise PermissionDenied
    saved_title = milestone.title
    data = request.POST if request.method == "POST" else None
    form = MilestoneForm(data, city=plan.city, instance=milestone)
    if data is not None and form.is_valid():
        saved = form.save_through(services.milestone_save, plan=plan, by=request.user, milestone=milestone)
        if saved is not None:
            return _after_milestone_saved(request, plan, saved, created=False)
    return _milestone_form_page(request, plan, form, milestone, saved_title)


@login_required
@require_POST
def milestone_remove(request, pk):
    milestone = _milestone_or_404(request, pk)
    plan = milestone.plan
    if not services.can_edit_plan(request.user, plan):
        raise PermissionDenied
    title = milestone.title
    services.milestone_remove(milestone=milestone, by=request.user)
    messages.success(request, _("Hito quitado del plan: «%(title)s».") % {"title": title})
    return redirect(f"{reverse('funding:plan', args=[plan.pk])}#milestones")


@login_required
@require_POST
def milestone_status(request, pk):
    milestone = _milestone_or_404(request, pk)
    if not services.can_update_milestone_status(request.user, milestone):
        raise PermissionDenied
    back = f"{reverse('funding:plan', args=[milestone.plan_id])}#milestone-{milestone.pk}"
    form = MilestoneStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija un estado de la lista."))
        return redirect(back)
    try:
        milestone = services.milestone_set_status(
            milestone=milestone, by=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _("Estado del hito «%(title)s»: %(status)s.")
        % {"title": milestone.title, "status": milestone.get_status_display()},
    )
    return redirect(back)


# Review and versions ---------------------------------------------------------------------


@login_required
@require_POST
def plan_submit(request, pk):
    """Send the version for review, or show on its page what still blocks it, at each section."""
    plan = _editable_plan_or_403(request, pk)
    try:
        services.plan_submit(plan=plan, by=request.user)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # not what is missing: someone moved it first
            messages.error(request, " ".join(error.messages))
            return redirect("funding:plan", pk=pk)
        return plan_page(request, _plan_for_page(request.user, pk), submission_errors=error.message_dict)
    messages.success(
        request, _("Plan enviado a revisión: un coordinador de su país lo leerá y lo aprobará o se lo devolverá.")
    )
    return redirect("funding:plan", pk=pk)


@login_required
@require_POST
def plan_review(request, pk):
    """Approve, or return with a comment. A comment missing or refused shows the plan's page again
    with the review form as typed; someone deciding first is a message there."""
    plan = _plan_or_404(request, pk)
    if not services.can_review_plan(request.user, plan):
        raise PermissionDenied
    form = PlanReviewForm(request.POST)
    if not form.is_valid():
        return plan_page(request, _plan_for_page(request.user, pk), review_form=form)
    approve = form.cleaned_data["decision"] == PlanReviewForm.APPROVE
    decide = services.plan_approve if approve else services.plan_return
    try:
        decide(plan=plan, by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        if hasattr(error, "error_dict") and "comment" in error.error_dict:
            form.add_error("comment", error.error_dict["comment"])
            return plan_page(request, _plan_for_page(request.user, pk), review_form=form)
        messages.error(request, " ".join(error.messages))
    else:
        names = {"city": plan.city.name, "version": plan.version}
        if approve:
            message = _("Plan de %(city)s aprobado: la versión %(version)s está en vigor desde hoy.")
        else:
            message = _("Plan de %(city)s devuelto a su embajador con su comentario (versión %(version)s).")
        messages.success(request, message % names)
    return redirect("funding:plan", pk=pk)


@login_required
@require_POST
def plan_revise(request, pk):
    """Start the next version from the approved one; the approved one stays in force meanwhile."""
    plan = _plan_or_404(request, pk)
    if not services.keeps_city(request.user, plan.city_id):
        raise PermissionDenied
    form = RevisionForm(request.POST)
    if form.is_valid():
        try:
            draft = services.plan_revise(plan=plan, by=request.user, reason=form.cleaned_data["revision_reason"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # not the latest approved version (any more)
                messages.error(request, " ".join(error.messages))
                return redirect("funding:plan", pk=pk)
            form.show_errors(error)
        else:
            messages.success(
                request,
                _(
                    "Versión %(new)s empezada como borrador, copia de la versión %(old)s. La versión %(old)s "
                    "sigue en vigor hasta que se apruebe la nueva."
                )
                % {"new": draft.version, "old": plan.version},
            )
            return redirect("funding:plan", pk=draft.pk)
    return plan_page(request, _plan_for_page(request.user, pk), revise_form=form)


@login_required
@require_POST
def plan_document_add(request, pk):
    """A study of the diagnosis, as a file or a link, on a version in preparation."""
    plan = _editable_plan_or_403(request, pk)
    form = DocumentForm(request.POST, request.FILES, for_plan=True)
    document = form.save_through(services.document_add, by=request.user, plan=plan) if form.is_valid() else None
    if document is not None:
        messages.success(request, _("Documento añadido al diagnóstico: «%(name)s».") % {"name": document})
        return redirect(f"{reverse('funding:plan', args=[pk])}#diagnosis")
    return plan_page(request, _plan_for_page(request.user, pk), document_form=form)
