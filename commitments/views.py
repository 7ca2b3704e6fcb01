from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.models import City
from ambassadors.scope import roles_of
from core.pagination import CappedPaginator

from . import conflicts, kinds, resend, selectors, services, timeline
from .evidence import file_response
from .filters import ActionFilter, ReviewQueueFilter
from .forms import (
    ActionForm,
    DraftSyncForm,
    EvidenceUploadForm,
    IndicatorValuesForm,
    LinkFormSet,
    ReviewForm,
    TargetForm,
)
from .models import Action, Commitment, Evidence, Target, catalogue

ACTIONS_PER_PAGE = 20
# The actions list counts this many at most ("more than 10,000": the filters narrow it down).
ACTIONS_COUNTED = 10_000


def home(request):
    """Public: the organisation's preamble and the three axes with their commitments."""
    return render(request, "commitments/home.html", {"axes": catalogue()})


def _action_or_404(request, pk):
    try:
        return selectors.action_for(user=request.user, pk=pk)
    except Action.DoesNotExist:
        raise Http404 from None


def _editable_action_or_403(request, pk):
    """The action, if in scope (else 404) and if the user may still change it (else 403)."""
    action = _action_or_404(request, pk)
    if not services.can_edit_action(request.user, action):
        raise PermissionDenied
    return action


@login_required
def action_list(request):
    """ "Mis acciones": the actions of the user's scope, newest first, filtered and searched."""
    action_filter = ActionFilter(request.GET, queryset=selectors.actions_for(user=request.user))
    paginator = CappedPaginator(action_filter.qs, ACTIONS_PER_PAGE, cap=ACTIONS_COUNTED)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "commitments/action_list.html",
        {
            "filter": action_filter,
            "page": page,
            "query": query.urlencode(),
            "can_log": services.active_appointment(request.user) is not None,
            "left_behind": selectors.left_behind_count(user=request.user),
        },
    )


@login_required
def action_choose_commitment(request):
    if services.active_appointment(request.user) is None:
        raise PermissionDenied
    return render(request, "commitments/action_choose_commitment.html", {"axes": catalogue()})


def _forms(data, *, commitment, city, action=None, include_commitment):
    """The action form with its indicator values, links and the details of each kind the
    commitment offers (commitments.kinds); bound when data is given."""
    initial_values, links = {}, []
    if action is not None:
        initial_values = {value.indicator_id: value.value for value in action.indicator_values.all()}
        links = [{"url": e.url, "title": e.title} for e in action.evidence.all() if not e.is_file]
    section = kinds.section_for(action.kind) if action else None
    form = ActionForm(
        data,
        instance=action,
        commitment=commitment,
        city=city,
        include_commitment=include_commitment,
        keeps_details=section is not None and section.details_of(action) is not None,
    )
    return {
        "form": form,
        "values_form": IndicatorValuesForm(data, commitment=commitment, initial_values=initial_values, prefix="values"),
        "links": LinkFormSet(data, initial=links or None, prefix="links"),
        "kind_forms": {
            section.kind: section.form(data, action=action, city=city, action_form=form)
            for section in kinds.sections_for(commitment, action.kind if action else None)
        },
    }


def _chosen_kind(forms):
    form = forms["form"]
    return form.cleaned_data.get("kind", Action.Kind.GENERAL) if form.is_valid() else form.data.get("kind")


def _all_valid(forms):
    """Validate every form, not just up to the first invalid one, so all errors show at once;
    of the kinds' details only the chosen kind's (the others keep what was typed, unchecked)."""
    chosen = _chosen_kind(forms)
    results = [form.is_valid() for name, form in forms.items() if name != "kind_forms"]
    for kind, kind_form in forms["kind_forms"].items():
        if kind == chosen:
            results.append(kind_form.is_valid())
        else:
            kind_form.keep_typed()
    return all(results)


def _details(forms):
    form = forms["form"]
    return {
        "data": form.cleaned_data,
        "focus_areas": form.cleaned_data.get("focus_areas", []),
        "cities_involved": form.cleaned_data.get("cities_involved", []),
        "indicator_values": forms["values_form"].values(),
        "links": forms["links"].links(),
        "kind_form": forms["kind_forms"].get(form.cleaned_data.get("kind")),
    }


def _form_page(request, forms, **context):
    kind_errors = any(kind_form.has_errors() for kind_form in forms["kind_forms"].values())
    return render(request, "commitments/action_form.html", {**context, **forms, "kind_errors": kind_errors})


def _submit_or_explain(request, action):
    """Send the saved action for review, or go to its form where the missing data is shown."""
    try:
        services.action_submit(action=action, by=request.user)
    except ValidationError:
        messages.warning(
            request, _("La acción está guardada como borrador, pero faltan datos para enviarla a revisión.")
        )
        return redirect(f"{reverse('commitments:action_edit', args=[action.pk])}?enviar=1")
    messages.success(request, _("Acción enviada a revisión."))
    return redirect("commitments:action", pk=action.pk)


@login_required
def action_create(request, commitment_pk):
    appointment = services.active_appointment(request.user)
    if appointment is None:
        raise PermissionDenied
    commitment = get_object_or_404(Commitment.objects.active().with_axis(), pk=commitment_pk)
    data = request.POST if request.method == "POST" else None
    forms = _forms(data, commitment=commitment, city=appointment.city, include_commitment=False)
    sync = DraftSyncForm(data)
    action = None
    if data is not None and _all_valid(forms):
        action = _write_or_show(
            forms,
            services.action_create,
            by=request.user,
            commitment=commitment,
            client_key=sync.value("client_key"),
            **_details(forms),
        )
    if action is not None and getattr(action, "resent", False):
        answer = _resent(request, forms, action, commitment)
        if answer is not None:
            return answer
    elif action is not None:
        if "submit" in request.POST:
            return _submit_or_explain(request, action)
        messages.success(request, _("Borrador guardado. Puede añadir evidencias y enviarlo cuando esté listo."))
        return redirect("commitments:action", pk=action.pk)
    return _form_page(request, forms, commitment=commitment, sync_form=sync)


def _resent(request, forms, action, commitment):
    """The phone sent this draft before and did not hear back: its copy is an edit of the action
    the first send made (commitments.resend); None when the form shows why it was refused."""
    try:
        written = _write_or_show(
            forms, resend.action_resent, action=action, by=request.user, commitment=commitment, **_details(forms)
        )
    except services.EditConflict as conflict:
        return conflicts.conflict_page(request, conflict.action, forms["form"])
    if written is None:
        return None
    if written:
        messages.success(request, _("Este borrador ya había llegado; se guardó lo que escribió después."))
    else:
        messages.info(request, _("Este borrador ya había llegado: no se guardó dos veces."))
    return redirect("commitments:action", pk=action.pk)


def _show_errors(forms, kind, errors):
    """{field: messages} at their fields: the action form's or its kind's details'."""
    errors = dict(errors)
    kind_form = forms["kind_forms"].get(kind)
    if kind_form is not None:
        kind_form.show_errors({field: errors.pop(field) for field in list(errors) if field in kind_form.fields})
    forms["form"].show_errors(errors)


def _write_or_show(forms, write, **kwargs):
    """Call the service `write`; what it refuses (a rule the forms could not see, such as a
    change made meanwhile) goes to the fields and None comes back."""
    try:
        return write(**kwargs)
    except ValidationError as error:
        kind = forms["form"].cleaned_data.get("kind")
        _show_errors(forms, kind, error.message_dict if hasattr(error, "error_dict") else {None: error.messages})
        return None


def _show_submission_errors(forms, action):
    """What blocks sending the action, at its fields."""
    _show_errors(forms, action.kind, services.action_submission_errors(action))


@login_required
def action_edit(request, pk):
    action = _editable_action_or_403(request, pk)
    # As saved: validating the form sets the posted commitment on `action` itself.
    commitment = action.commitment
    data = request.POST if request.method == "POST" else None
    forms = _forms(data, commitment=commitment, city=action.city, action=action, include_commitment=True)
    sync = DraftSyncForm(data, initial={"version": action.updated_at.isoformat()})
    if data is None and "enviar" in request.GET:
        _show_submission_errors(forms, action)
    if data is not None and _all_valid(forms):
        new_commitment = forms["form"].cleaned_data["commitment"]
        details = _details(forms)
        if new_commitment != commitment:
            # The posted areas and values were the old commitment's: let the service drop them.
            details.update(focus_areas=None, indicator_values=None)
        # The fresh copy: `action` holds the details prefetched before the update, which the
        # submission's checks would read.
        try:
            updated = _write_or_show(
                forms,
                services.action_update,
                action=action,
                by=request.user,
                commitment=new_commitment,
                version=sync.value("version"),
                **details,
            )
        except services.EditConflict as conflict:
            return conflicts.conflict_page(request, conflict.action, forms["form"])
        if updated is None:
            return _form_page(request, forms, commitment=commitment, action=action, sync_form=sync)
        action = updated
        if new_commitment != commitment:
            messages.info(request, _("Cambió el compromiso: elija sus áreas de enfoque e indicadores."))
            return redirect("commitments:action_edit", pk=pk)
        if "submit" in request.POST:
            return _submit_or_explain(request, action)
        messages.success(request, _("Cambios guardados."))
        return redirect("commitments:action", pk=pk)
    return _form_page(request, forms, commitment=commitment, action=action, sync_form=sync)


def _keeps_city(user, action):
    """The ambassador in office in the action's city, who keeps its funding pipeline. A query
    only then: roles_of is the request's own."""
    return roles_of(user).ambassador_city_id == action.city_id and services.keeps_city(user, action.city_id)


def _action_page(request, action, *, review_form=None):
    user = request.user
    can_review = action.status == Action.Status.SUBMITTED and services.can_review_action(user, action)
    keeps_city = _keeps_city(user, action)
    section = kinds.section_for(action.kind)
    return render(
        request,
        "commitments/action_detail.html",
        {
            "action": action,
            "review": selectors.last_review_comment(action),
            "can_edit": services.can_edit_action(user, action),
            "can_withdraw": services.can_withdraw_action(user, action),
            "can_delete": services.can_delete_action(user, action),
            "can_review": can_review,
            # An approved action: the practice library's form starts from it.
            "can_publish_practice": keeps_city and action.status == Action.Status.APPROVED,
            "can_register_opportunity": keeps_city,
            "review_form": review_form or (ReviewForm() if can_review else None),
            "upload_form": EvidenceUploadForm(),
            "file_count": sum(1 for e in action.evidence.all() if e.is_file),
            "max_files": services.MAX_EVIDENCE_FILES,
            "timeline": timeline.action_timeline(action),
            "kind_section": section,
            "kind_details": section.details_of(action) if section else None,
        },
    )


@login_required
def action_detail(request, pk):
    action = _action_or_404(request, pk)
    services.notifications_read_about(action=action, by=request.user)
    return _action_page(request, action)


@login_required
@require_POST
def action_review(request, pk):
    """Approve, or return with a comment; a refused decision keeps the comment typed."""
    action = _action_or_404(request, pk)
    if not services.can_review_action(request.user, action):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        decide = (
            services.action_approve if form.cleaned_data["decision"] == ReviewForm.APPROVE else services.action_return
        )
        try:
            decide(action=action, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            action.refresh_from_db()
            if action.status == Action.Status.SUBMITTED:
                form.add_error(None, error.messages)
            else:
                # Someone decided first: the page no longer shows the review form, so say it above.
                messages.error(request, " ".join(error.messages))
        else:
            if action.status == Action.Status.APPROVED:
                messages.success(request, _("Acción aprobada: «%(title)s».") % {"title": action.title})
            else:
                messages.success(request, _("Acción devuelta a su embajador: «%(title)s».") % {"title": action.title})
            return redirect("commitments:review_queue")
    return _action_page(request, action, review_form=form)


@login_required
def review_queue(request):
    """Coordinators: submitted actions of their scope, oldest first; approve several at once."""
    if not roles_of(request.user).reads_many_cities:
        raise PermissionDenied
    queue = selectors.review_queue(user=request.user)
    if request.method == "POST":
        action_ids = [int(pk) for pk in request.POST.getlist("actions") if pk.isdigit()]
        if not action_ids:
            messages.warning(request, _("Marque las acciones que quiere aprobar."))
        else:
            approved, skipped = services.actions_approve(action_ids=action_ids, by=request.user)
            if approved:
                messages.success(request, _("Acciones aprobadas: %(n)d.") % {"n": len(approved)})
            if skipped:
                messages.warning(
                    request,
                    _("%(n)d acciones no se aprobaron: ya estaban decididas o no le corresponden.") % {"n": skipped},
                )
        return redirect(f"{reverse('commitments:review_queue')}?{request.GET.urlencode()}")
    queue_filter = ReviewQueueFilter(request.GET, queryset=queue, user=request.user)
    page = Paginator(queue_filter.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "commitments/review_queue.html",
        {"filter": queue_filter, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


@login_required
def notifications(request):
    """The user's notifications; POST marks them all as read."""
    if request.method == "POST":
        services.notifications_read_all(by=request.user)
        return redirect("commitments:notifications")
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "commitments/notifications.html", {"page": page, "query": ""})


@login_required
@require_POST
def action_submit(request, pk):
    action = _editable_action_or_403(request, pk)
    return _submit_or_explain(request, action)


@login_required
@require_POST
def action_withdraw(request, pk):
    action = _action_or_404(request, pk)
    try:
        services.action_withdraw(action=action, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La acción volvió a borrador."))
    return redirect("commitments:action", pk=pk)


@login_required
def action_delete(request, pk):
    action = _action_or_404(request, pk)
    if not services.can_delete_action(request.user, action):
        raise PermissionDenied
    if request.method == "POST":
        services.action_delete(action=action, by=request.user)
        messages.success(request, _("Borrador eliminado."))
        return redirect("commitments:actions")
    return render(request, "commitments/action_confirm_delete.html", {"action": action})


@login_required
@require_POST
def evidence_upload(request, pk):
    """Each file is checked and stored on its own: one refused file does not lose the others.
    The page's script (static/js/photos.js) sends one file at a time and asks for JSON, to show
    each file's outcome beside its progress bar; without it the messages say the same."""
    action = _editable_action_or_403(request, pk)
    as_json = "application/json" in request.headers.get("Accept", "")
    form = EvidenceUploadForm(request.POST, request.FILES)
    form.is_valid()
    # Not the form's cleaned files: its field refuses them all for one empty file. The service
    # checks each one (empty, size, content) and says which.
    uploaded_files = request.FILES.getlist("files")
    errors, stored = [], 0
    if "title" in form.errors or not uploaded_files:
        errors = list(form.errors.get("title") or [_("Elija al menos un archivo.")])
        uploaded_files = []
    for uploaded in uploaded_files:
        try:
            services.evidence_add_file(
                action=action, by=request.user, uploaded_file=uploaded, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            errors += error.messages
        else:
            stored += 1
    if as_json:
        return JsonResponse({"stored": stored, "errors": errors}, status=200 if stored else 400)
    for message in errors:
        messages.error(request, message)
    if stored:
        messages.success(request, _("Evidencias guardadas: %(n)d.") % {"n": stored})
    return redirect("commitments:action", pk=pk)


@login_required
def evidence_download(request, pk):
    """Files are served only here, after the scope check, and never rendered by the browser."""
    evidence = get_object_or_404(
        Evidence.objects.filter(action__in=Action.objects.visible_to(request.user)).exclude(file=""), pk=pk
    )
    return file_response(evidence)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.filter(action__in=Action.objects.visible_to(request.user)).select_related(
            "action__ambassador"
        ),
        pk=pk,
    )
    services.evidence_delete(evidence=evidence, by=request.user)
    messages.success(request, _("Evidencia quitada."))
    return redirect("commitments:action", pk=evidence.action_id)


def _target_form_view(request, city, target=None):
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_save(by=request.user, city=city, target=target, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meta guardada."))
            return redirect("reports:city_progress", pk=city.pk)
    return render(request, "commitments/target_form.html", {"form": form, "city": city, "target": target})


@login_required
def target_create(request, city_pk):
    city = get_object_or_404(City.objects.visible_to(request.user), pk=city_pk)
    if not services.can_manage_targets(request.user, city):
        raise PermissionDenied
    return _target_form_view(request, city)


@login_required
def target_edit(request, pk):
    target = get_object_or_404(Target.objects.visible_to(request.user).select_related("city"), pk=pk)
    if not services.can_manage_targets(request.user, target.city):
        raise PermissionDenied
    return _target_form_view(request, target.city, target)
