"""A city replicating a practice: starting it, its page (notes, the actions linked), unlinking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commitments.models import Action

from . import selectors, services, views
from .forms import ReplicationLinkForm, ReplicationNotesForm
from .models import Practice, Replication, ReplicationAction


@login_required
@require_POST
def replicate(request, pk):
    """The ambassador's city says it replicates the practice. Notes the form refuses show the
    practice's page again as typed; a refusal of the service (already replicating, its own
    city's practice) is a message there."""
    practice = get_object_or_404(Practice.objects.visible_to(request.user), pk=pk)
    form = ReplicationNotesForm(request.POST)
    if not form.is_valid():
        return views.practice_page(request, selectors.practice_for(user=request.user, pk=pk), replicate_form=form)
    try:
        replication = services.replication_start(practice=practice, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("practices:practice", pk=pk)
    messages.success(request, _("Su ciudad replica esta práctica. Enlace aquí las acciones con que la lleva a cabo."))
    return redirect("practices:replication", pk=replication.pk)


def _write(request, replication):
    """The notes or a link, from the one form posted; the form (with its errors) if refused."""
    if "action" in request.POST:
        form = ReplicationLinkForm(request.POST, city=replication.city)
        if form.is_valid():
            try:
                services.replication_link(replication=replication, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Acción enlazada a la réplica."))
                return None
        return form
    form = ReplicationNotesForm(request.POST)
    if form.is_valid():
        services.replication_update(replication=replication, by=request.user, notes=form.cleaned_data["notes"])
        messages.success(request, _("Cambios guardados."))
        return None
    return form


@login_required
def replication_detail(request, pk):
    """Visible to whoever may read the practice; only the replicating city's ambassador writes."""
    replication = get_object_or_404(
        Replication.objects.visible_to(request.user)
        .with_state()
        .select_related("practice__city", "city", "started_by"),
        pk=pk,
    )
    can_edit = services.can_edit_replication(request.user, replication)
    notes_form = link_form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        refused = _write(request, replication)
        if refused is None:
            return redirect("practices:replication", pk=pk)
        notes_form = refused if isinstance(refused, ReplicationNotesForm) else None
        link_form = refused if isinstance(refused, ReplicationLinkForm) else None
    links = list(replication.links.select_related("action"))
    readable = set(
        Action.objects.visible_to(request.user)
        .filter(pk__in=[link.action_id for link in links])
        .values_list("pk", flat=True)
    )
    # Outside the replicating city's scope only its approved actions show: a draft's title is
    # the city's own until a coordinator approves it.
    links = [link for link in links if link.action_id in readable or link.action.status == Action.Status.APPROVED]
    if can_edit:
        notes_form = notes_form or ReplicationNotesForm(initial={"notes": replication.notes})
        link_form = link_form or ReplicationLinkForm(city=replication.city)
    return render(
        request,
        "practices/replication.html",
        {
            "replication": replication,
            "practice": replication.practice,
            "links": links,
            "readable_actions": readable,
            "can_edit": can_edit,
            "notes_form": notes_form,
            "link_form": link_form,
        },
    )


@login_required
@require_POST
def replication_unlink(request, pk):
    link = get_object_or_404(
        ReplicationAction.objects.filter(replication__in=Replication.objects.visible_to(request.user)).select_related(
            "replication", "action"
        ),
        pk=pk,
    )
    services.replication_unlink(link=link, by=request.user)
    messages.success(request, _("Acción quitada de la réplica: «%(title)s».") % {"title": link.action.title})
    return redirect("practices:replication", pk=link.replication_id)
