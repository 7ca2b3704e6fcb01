"""Writing a practice and its review: create, edit, submit, approve or return."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commitments.models import Action
from commitments.services import active_appointment

from . import selectors, services, views
from .forms import PracticeForm, PracticeReviewForm
from .models import Practice


def _practice_or_404(request, pk):
    return get_object_or_404(Practice.objects.visible_to(request.user).select_related("city"), pk=pk)


def _editable_practice_or_403(request, pk):
    """The practice, if visible (else 404) and if the user may still change it (else 403)."""
    practice = _practice_or_404(request, pk)
    if not services.can_edit_practice(request.user, practice):
        raise PermissionDenied
    return practice


def _from_action(request, city):
    """?accion=<pk>: an approved action of the city chosen, and its words to start from."""
    pk = request.GET.get("accion", "")
    action = None
    if pk.isascii() and pk.isdigit() and len(pk) < 19:
        action = Action.objects.filter(city=city, status=Action.Status.APPROVED, pk=int(pk)).first()
    if action is None:
        return {}
    return {
        "actions": [action.pk],
        "title": action.title,
        "what_was_done": action.description,
        "results": action.outcome,
    }


def _return_comment(practice):
    """What the coordinator asked to fix, while the practice is back with its city."""
    if practice.status != Practice.Status.RETURNED:
        return None
    returns = practice.status_changes.filter(to_status=Practice.Status.RETURNED).select_related("by")
    return returns.order_by("-at", "-pk").first()


def _submit_or_explain(request, practice):
    """Send the saved practice for review, or go to its form where what is missing is shown."""
    try:
        services.practice_submit(practice=practice, by=request.user)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # not what is missing: someone moved it first
            messages.error(request, " ".join(error.messages))
            return redirect("practices:practice", pk=practice.pk)
        messages.warning(
            request, _("La práctica está guardada como borrador, pero faltan datos para enviarla a revisión.")
        )
        return redirect(f"{reverse('practices:edit', args=[practice.pk])}?enviar=1")
    messages.success(request, _("Práctica enviada a revisión: un coordinador de su país la leerá antes de publicarla."))
    return redirect("practices:practice", pk=practice.pk)


def _save(request, form, write):
    """Run the service with the form's data; its refusals go to the form's fields (None then)."""
    try:
        return write(by=request.user, **form.details())
    except ValidationError as error:
        form.show_errors(error)
        return None


@login_required
def practice_create(request):
    appointment = active_appointment(request.user)
    if appointment is None:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PracticeForm(data, city=appointment.city, user=request.user, initial=_from_action(request, appointment.city))
    if data is not None and form.is_valid():
        practice = _save(request, form, services.practice_create)
        if practice is not None:
            if "submit" in request.POST:
                return _submit_or_explain(request, practice)
            messages.success(request, _("Borrador guardado. Puede seguir escribiéndolo y enviarlo cuando esté listo."))
            return redirect("practices:practice", pk=practice.pk)
    return render(request, "practices/practice_form.html", {"form": form, "city": appointment.city})


@login_required
def practice_edit(request, pk):
    practice = _editable_practice_or_403(request, pk)
    data = request.POST if request.method == "POST" else None
    form = PracticeForm(data, city=practice.city, user=request.user, instance=practice)
    if data is None and "enviar" in request.GET:
        form.show_errors(services.practice_submission_errors(practice))
    if data is not None and form.is_valid():
        saved = _save(request, form, lambda **details: services.practice_update(practice=practice, **details))
        if saved is not None:
            if "submit" in request.POST:
                return _submit_or_explain(request, saved)
            messages.success(request, _("Cambios guardados."))
            return redirect("practices:practice", pk=pk)
    return render(
        request,
        "practices/practice_form.html",
        {"form": form, "city": practice.city, "practice_pk": pk, "review": _return_comment(practice)},
    )


@login_required
@require_POST
def practice_submit(request, pk):
    practice = _editable_practice_or_403(request, pk)
    return _submit_or_explain(request, practice)


@login_required
@require_POST
def practice_review(request, pk):
    """Publish, or return with a comment. A comment missing or refused shows the practice's page
    again with the review form as typed; a refusal of the service (someone decided first) is a
    message there."""
    practice = _practice_or_404(request, pk)
    if not services.can_review_practice(request.user, practice):
        raise PermissionDenied
    form = PracticeReviewForm(request.POST)
    if not form.is_valid():
        return views.practice_page(request, selectors.practice_for(user=request.user, pk=pk), review_form=form)
    approve = form.cleaned_data["decision"] == PracticeReviewForm.APPROVE
    decide = services.practice_approve if approve else services.practice_return
    try:
        decide(practice=practice, by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if approve:
            message = _("Práctica publicada: «%(title)s». Toda la red ya puede leerla.")
        else:
            message = _("Práctica devuelta a su embajador: «%(title)s».")
        messages.success(request, message % {"title": practice.title})
    return redirect("practices:practice", pk=pk)
