"""The hazard log's pages: the events of the user's scope, an event with the actions that
answer it, and the form that records or corrects one.

Who sees what: HazardEvent.objects.visible_to (the city's ambassador, the coordinators of its
country, admins); anything outside is a 404. Who writes: the ambassador in office in the city
(services.keeps_city); anyone else who sees the event gets a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ambassadors.scope import roles_of
from commitments.models import Action, Commitment
from commitments.services import active_appointment

from . import selectors, services
from .forms import EventFilterForm, EventForm
from .models import HazardEvent

EVENTS_PER_PAGE = 20


@login_required
def event_list(request):
    """The events of the user's scope, newest first, filtered by city and hazard type."""
    user = request.user
    roles = roles_of(user)
    if not (roles.is_ambassador or roles.reads_many_cities):
        raise PermissionDenied
    form = EventFilterForm(request.GET or None, user=user, many_cities=roles.reads_many_cities)
    events = selectors.event_list(user, **form.chosen)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hazards/event_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "reads_many_cities": roles.reads_many_cities,
            "can_record": active_appointment(user) is not None,
        },
    )


def _response_commitments():
    """The active commitments whose actions may answer an event (they offer the kind)."""
    return [
        commitment
        for commitment in Commitment.objects.active().with_axis()
        if Action.Kind.HAZARD_RESPONSE in commitment.offered_kinds
    ]


@login_required
def event_detail(request, pk):
    try:
        event = selectors.event_for(request.user, pk)
    except HazardEvent.DoesNotExist:
        raise Http404 from None
    can_edit = services.keeps_city(request.user, event.city_id)
    return render(
        request,
        "hazards/event_detail.html",
        {
            "event": event,
            "responses": list(selectors.responses_to(event, request.user)),
            "can_edit": can_edit,
            "response_commitments": _response_commitments() if can_edit else [],
            "reads_many_cities": roles_of(request.user).reads_many_cities,
        },
    )


@login_required
def event_create(request):
    appointment = active_appointment(request.user)
    if appointment is None:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = EventForm(data, city=appointment.city)
    if data is not None and form.is_valid():
        event = form.save_through(services.event_create, by=request.user)
        if event is not None:
            messages.success(request, _("Evento registrado: «%(title)s».") % {"title": event.title})
            return redirect("hazards:event", pk=event.pk)
    return render(request, "hazards/event_form.html", {"form": form, "city": appointment.city})


@login_required
def event_edit(request, pk):
    event = get_object_or_404(HazardEvent.objects.visible_to(request.user).select_related("city"), pk=pk)
    if not services.keeps_city(request.user, event.city_id):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = EventForm(data, city=event.city, instance=event)
    if data is not None and form.is_valid():
        saved = form.save_through(services.event_update, by=request.user, event=event)
        if saved is not None:
            messages.success(request, _("Cambios guardados."))
            return redirect("hazards:event", pk=pk)
    return render(request, "hazards/event_form.html", {"form": form, "city": event.city, "event": event})
