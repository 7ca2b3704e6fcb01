from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.models import Ambassador
from ambassadors.scope import roles_of
from commitments.models import Action

from . import selectors, services
from .forms import RenewForm, SuccessorForm
from .invite import successor_invite
from .models import Handover


def _term_or_404(request, pk):
    try:
        return selectors.term_for(user=request.user, pk=pk)
    except Ambassador.DoesNotExist:
        raise Http404 from None


def _left_behind_or_404(request, pk):
    try:
        return selectors.left_behind_one(user=request.user, pk=pk)
    except Action.DoesNotExist:
        raise Http404 from None


@login_required
def term_list(request):
    """Coordinators and admins: the terms of their cities ending soon or ended recently."""
    roles = roles_of(request.user)
    if not (roles.is_admin or roles.is_coordinator):
        raise PermissionDenied
    return render(
        request,
        "terms/term_list.html",
        {
            "terms": selectors.terms_for(user=request.user),
            "handovers": selectors.handovers_recent(user=request.user),
            "today": timezone.localdate(),
            "within_days": selectors.ENDING_WITHIN_DAYS,
        },
    )


def _term_page(request, term, *, renew_form=None, successor_form=None):
    handover = Handover.objects.filter(outgoing=term).select_related("successor__user").first()
    can_hand_over = handover is None and not selectors.city_has_other(term)
    return render(
        request,
        "terms/term_detail.html",
        {
            "term": term,
            "handover": handover,
            "can_renew": services.renewable(term),
            "can_hand_over": can_hand_over,
            "renew_form": renew_form or RenewForm(initial={"term_ends_on": term.term_ends_on}),
            "successor_form": successor_form or SuccessorForm(),
            "pending_invitation": services.pending_invitation_for(term.city),
        },
    )


@login_required
def term_detail(request, pk):
    return _term_page(request, _term_or_404(request, pk))


@login_required
@require_POST
def term_renew(request, pk):
    term = _term_or_404(request, pk)
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            services.term_renew(ambassador=term, term_ends_on=form.cleaned_data["term_ends_on"], by=request.user)
        except ValidationError as error:
            form.show_errors(error)
        else:
            messages.success(request, _("Periodo renovado: %(person)s.") % {"person": term})
            return redirect("terms:terms")
    return _term_page(request, term, renew_form=form)


@login_required
@require_POST
def term_successor(request, pk):
    term = _term_or_404(request, pk)
    form = SuccessorForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["user"] is not None:
                services.successor_appoint(
                    outgoing=term, user=data["user"], by=request.user, term_ends_on=data["term_ends_on"]
                )
                message = _("Relevo registrado: %(person)s sucede en %(city)s.")
            else:
                successor_invite(
                    outgoing=term,
                    by=request.user,
                    email=data["email"],
                    full_name=data["full_name"],
                    term_ends_on=data["term_ends_on"],
                )
                message = _("Invitación enviada: %(person)s sucederá en %(city)s al aceptarla.")
        except ValidationError as error:
            form.show_errors(error)
        else:
            person = data["user"].get_full_name() if data["user"] else data["full_name"]
            messages.success(request, message % {"person": person, "city": term.city.name})
            return redirect("terms:terms")
    return _term_page(request, term, successor_form=form)


@login_required
def left_behind_list(request):
    """The drafts and returned actions that ended appointments left, for the city's ambassador
    in office (the successor) and for whoever reviews the city."""
    return render(request, "terms/left_behind_list.html", {"actions": selectors.left_behind_for(user=request.user)})


@login_required
@require_POST
def left_behind_take_over(request, pk):
    action = _left_behind_or_404(request, pk)
    try:
        services.draft_take_over(action=action, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("terms:left_behind")
    messages.success(request, _("Ahora «%(title)s» está a cargo del embajador en funciones.") % {"title": action.title})
    return redirect("commitments:action", pk=action.pk)


@login_required
def left_behind_discard(request, pk):
    action = _left_behind_or_404(request, pk)
    if action.status != Action.Status.DRAFT:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.draft_discard(action=action, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Borrador descartado: «%(title)s».") % {"title": action.title})
        return redirect("terms:left_behind")
    return render(request, "terms/left_behind_discard.html", {"action": action})
