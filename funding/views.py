"""The pipeline pages: the scope's board and a city's, an opportunity with its moves,
disbursements and documents, and the documents' download and removal (plan documents too).

Who sees what: the querysets' visible_to (the city's ambassador, the coordinators of its country,
admins); anything outside is a 404. Who writes: the services decide (PermissionDenied, a 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.models import City
from ambassadors.scope import roles_of
from commitments.evidence import file_response
from commitments.models import Action
from commitments.services import active_appointment

from . import boards, figures, services
from .forms import DisbursementForm, DocumentForm, OpportunityForm, OpportunityMoveForm, ScopeFilterForm
from .models import Disbursement, Document, Milestone, Opportunity, TransitionPlan

CITIES_PER_PAGE = 50
DEADLINES_SHOWN = 8
STAGE_CARDS_PER_PAGE = 48


def _int_param(request, name):
    """A positive id from the query string, or None (anything else is ignored)."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


# Boards ----------------------------------------------------------------------------------


@login_required
def index(request):
    """/financiamiento/: an ambassador goes to their city's board; a coordinator or an admin sees
    the figures of their scope, per stage and per city, the deadlines ahead and the plans
    waiting for their review."""
    user = request.user
    roles = roles_of(user)
    if not roles.reads_many_cities:
        if roles.is_ambassador:
            return redirect("funding:board", city_pk=roles.ambassador_city_id)
        raise PermissionDenied
    form = ScopeFilterForm(request.GET or None, user=user)
    today = timezone.localdate()
    opportunities = Opportunity.objects.visible_to(user).filter(city__in=form.chosen_cities)
    pipeline = figures.pipeline(opportunities, today=today, deadlines=DEADLINES_SHOWN)
    page = boards.cities_page(opportunities, number=request.GET.get("page"), per_page=CITIES_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funding/pipeline/scope.html",
        {
            "form": form,
            "pipeline": pipeline,
            "deadlines": boards.with_days_left(pipeline.deadlines, today=today),
            "page": page,
            "query": query.urlencode(),
            "plans_to_review": list(boards.plans_awaiting_review(user)),
            "stage_labels": Opportunity.Stage.choices,
        },
    )


@login_required
def board(request, city_pk):
    """A city's pipeline: a column per stage (a list grouped by stage on a phone), its figures
    and its deadlines ahead."""
    city = get_object_or_404(City.objects.visible_to(request.user).select_related("country"), pk=city_pk)
    return render(
        request,
        "funding/pipeline/board.html",
        {
            "city": city,
            "can_manage": services.can_manage_pipeline(request.user, city.pk),
            "reads_many_cities": roles_of(request.user).reads_many_cities,
            **boards.city_board(city, today=timezone.localdate()),
        },
    )


@login_required
def board_stage(request, city_pk, stage):
    """Every opportunity of one stage of a city's board, in deadline order, a page at a time."""
    city = get_object_or_404(City.objects.visible_to(request.user).select_related("country"), pk=city_pk)
    if stage not in Opportunity.Stage.values:
        raise Http404
    page = boards.stage_page(
        city, stage, number=request.GET.get("page"), per_page=STAGE_CARDS_PER_PAGE, today=timezone.localdate()
    )
    return render(
        request,
        "funding/pipeline/stage.html",
        {"city": city, "stage": stage, "label": Opportunity.Stage(stage).label, "page": page},
    )


# An opportunity --------------------------------------------------------------------------


def _managed_opportunity(request, pk):
    """The opportunity, if visible (else 404) and if the user keeps its city's pipeline (else 403)."""
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user).select_related("city"), pk=pk)
    if not services.can_manage_pipeline(request.user, opportunity.city_id):
        raise PermissionDenied
    return opportunity


def opportunity_page(request, pk, *, move_form=None, disbursement_form=None, document_form=None):
    """The opportunity's page, read afresh (404 outside the user's scope); the views that write
    render it again with their bound form to show what was refused, with what was typed."""
    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(request.user)
        .with_usd()
        .select_related("city__country", "funder", "created_by")
        .prefetch_related(
            Prefetch("disbursements", queryset=Disbursement.objects.select_related("recorded_by")),
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
            Prefetch("milestones", queryset=Milestone.objects.select_related("plan").order_by("due_on", "pk")),
            Prefetch("actions", queryset=Action.objects.select_related("commitment").order_by("-started_on", "-pk")),
        ),
        pk=pk,
    )
    can_manage = services.can_manage_pipeline(request.user, opportunity.city_id)
    awarded = opportunity.stage == Opportunity.Stage.AWARDED
    money = boards.opportunity_money(opportunity)
    context = {
        "opportunity": opportunity,
        "money": money,
        "today": timezone.localdate(),
        "history": opportunity.stage_changes.select_related("by"),
        "can_manage": can_manage,
        "reads_many_cities": roles_of(request.user).reads_many_cities,
        "max_documents": services.MAX_DOCUMENTS,
    }
    if can_manage:
        if move_form or opportunity.next_stages:
            context["move_form"] = move_form or OpportunityMoveForm(opportunity=opportunity)
        if disbursement_form or (awarded and money["left"] > 0):
            context["disbursement_form"] = disbursement_form or DisbursementForm(opportunity=opportunity)
        context["document_form"] = document_form or DocumentForm()
    return render(request, "funding/pipeline/opportunity_detail.html", context)


@login_required
def opportunity_detail(request, pk):
    return opportunity_page(request, pk)


def _preselected(request, city):
    """?accion=<pk> and ?hito=<pk>: an action of the city, a milestone of its latest plan."""
    initial = {}
    action_pk = _int_param(request, "accion")
    if action_pk and Action.objects.filter(city=city, pk=action_pk).exists():
        initial["actions"] = [action_pk]
    milestone_pk = _int_param(request, "hito")
    plan = TransitionPlan.objects.filter(city=city).latest_version()
    if milestone_pk and plan and plan.milestones.filter(pk=milestone_pk).exists():
        initial["milestones"] = [milestone_pk]
    return initial


@login_required
def opportunity_create(request):
    appointment = active_appointment(request.user)
    if appointment is None:
        raise PermissionDenied
    city = appointment.city
    data = request.POST if request.method == "POST" else None
    form = OpportunityForm(data, city=city, initial=None if data else _preselected(request, city))
    if data is not None and form.is_valid():
        opportunity = form.save_through(services.opportunity_create, by=request.user)
        if opportunity is not None:
            message = _("Oportunidad registrada: «%(title)s». Está en la etapa «Identificada».")
            messages.success(request, message % {"title": opportunity.title})
            return redirect("funding:opportunity", pk=opportunity.pk)
    return render(
        request,
        "funding/pipeline/opportunity_form.html",
        {"form": form, "city": city},
    )


@login_required
def opportunity_edit(request, pk):
    opportunity = _managed_opportunity(request, pk)
    data = request.POST if request.method == "POST" else None
    form = OpportunityForm(data, city=opportunity.city, instance=opportunity)
    if data is not None and form.is_valid():
        saved = form.save_through(services.opportunity_update, by=request.user, opportunity=opportunity)
        if saved is not None:
            messages.success(request, _("Cambios guardados."))
            return redirect("funding:opportunity", pk=pk)
    return render(
        request,
        "funding/pipeline/opportunity_form.html",
        {"form": form, "city": opportunity.city, "opportunity": opportunity},
    )


@login_required
@require_POST
def opportunity_move(request, pk):
    opportunity = _managed_opportunity(request, pk)
    form = OpportunityMoveForm(request.POST, opportunity=opportunity)
    if form.is_valid() and form.save_through(services.opportunity_move, by=request.user, opportunity=opportunity):
        stage = Opportunity.Stage(form.cleaned_data["to_stage"]).label
        messages.success(request, _("La oportunidad pasó a la etapa «%(stage)s».") % {"stage": stage})
        return redirect("funding:opportunity", pk=pk)
    return opportunity_page(request, pk, move_form=form)


@login_required
@require_POST
def disbursement_add(request, pk):
    opportunity = _managed_opportunity(request, pk)
    form = DisbursementForm(request.POST, opportunity=opportunity)
    if form.is_valid() and form.save_through(services.disbursement_add, by=request.user, opportunity=opportunity):
        messages.success(request, _("Desembolso registrado."))
        return redirect(reverse("funding:opportunity", args=[pk]) + "#disbursements")
    return opportunity_page(request, pk, disbursement_form=form)


@login_required
@require_POST
def disbursement_remove(request, pk):
    disbursement = get_object_or_404(
        Disbursement.objects.filter(opportunity__in=Opportunity.objects.visible_to(request.user)).select_related(
            "opportunity"
        ),
        pk=pk,
    )
    services.disbursement_remove(disbursement=disbursement, by=request.user)
    messages.success(request, _("Desembolso quitado."))
    return redirect(reverse("funding:opportunity", args=[disbursement.opportunity_id]) + "#disbursements")


@login_required
@require_POST
def opportunity_document_add(request, pk):
    opportunity = _managed_opportunity(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid() and form.save_through(services.document_add, by=request.user, opportunity=opportunity):
        messages.success(request, _("Documento añadido."))
        return redirect(reverse("funding:opportunity", args=[pk]) + "#documents")
    return opportunity_page(request, pk, document_form=form)


# Documents of an opportunity or of a plan ------------------------------------------------


def _visible_documents(user):
    return Document.objects.filter(
        Q(opportunity__in=Opportunity.objects.visible_to(user)) | Q(plan__in=TransitionPlan.objects.visible_to(user))
    )


def _owner_url(document):
    if document.opportunity_id:
        return reverse("funding:opportunity", args=[document.opportunity_id]) + "#documents"
    return reverse("funding:plan", args=[document.plan_id]) + "#documents"


@login_required
def document_download(request, pk):
    """A document's file, after the scope check of its plan's or opportunity's city, as evidence
    is served (a download, never rendered). A link has no file here: its page links to it."""
    document = get_object_or_404(_visible_documents(request.user).exclude(file=""), pk=pk)
    return file_response(document)


@login_required
@require_POST
def document_remove(request, pk):
    document = get_object_or_404(_visible_documents(request.user).select_related("plan", "opportunity"), pk=pk)
    services.document_remove(document=document, by=request.user)
    messages.success(request, _("Documento quitado: «%(name)s».") % {"name": document})
    return redirect(_owner_url(document))
