"""Exchanges between cities (commitment 1.1): every member of the network reads them all;
ambassadors in office, coordinators and admins record them; who recorded one, and admins, edit it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ambassadors.models import City
from ambassadors.scope import roles_of
from commitments.models import Action
from commitments.services import active_appointment

from . import services
from .exchange_forms import ExchangeFilter, ExchangeForm, PartnerCityFormSet
from .models import Exchange, Practice, is_network_member

EXCHANGE_FIELDS = ("kind", "title", "description", "started_on", "ended_on")


def _require_member(user):
    if not is_network_member(user):
        raise PermissionDenied


def _exchanges(user):
    """Every exchange of the network with its cities, partners and the count of practices the user may read."""
    return (
        Exchange.objects.select_related("created_by")
        .prefetch_related(
            Prefetch("cities", queryset=City.objects.select_related("country").order_by("country", "name")),
            "partner_cities",
        )
        .annotate(
            practice_count=Count(
                "practices", filter=Q(practices__in=Practice.objects.visible_to(user).values("pk")), distinct=True
            )
        )
        .order_by("-started_on", "-pk")  # newest first: an aggregate leaves Meta.ordering out
    )


@login_required
def exchange_list(request):
    """All the network's exchanges, newest first, by kind, country or the ambassador's own city."""
    _require_member(request.user)
    exchange_filter = ExchangeFilter(
        request.GET, queryset=_exchanges(request.user), own_city_id=roles_of(request.user).ambassador_city_id
    )
    page = Paginator(exchange_filter.qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "practices/exchange_list.html",
        {
            "filter": exchange_filter,
            "page": page,
            "query": query.urlencode(),
            "can_record": services.can_record_exchange(request.user),
        },
    )


@login_required
def exchange_detail(request, pk):
    _require_member(request.user)
    practices = Practice.objects.visible_to(request.user).select_related("city").order_by("title", "pk")
    exchange = get_object_or_404(
        _exchanges(request.user).prefetch_related(Prefetch("practices", queryset=practices)), pk=pk
    )
    # The actions logged for it, of the cities the user may see (the network reads the exchange,
    # not every city's action log).
    actions = (
        Action.objects.visible_to(request.user)
        .filter(exchange_participation__exchange=exchange)
        .select_related("city", "exchange_participation")
        .order_by("-started_on", "-pk")
    )
    return render(
        request,
        "practices/exchange_detail.html",
        {"exchange": exchange, "actions": actions, "can_edit": services.can_edit_exchange(request.user, exchange)},
    )


def _form_page(request, exchange=None):
    """The form, bound on a POST; saved through services.exchange_save, or shown again with
    everything typed and the errors at their fields."""
    appointment = active_appointment(request.user)
    data = request.POST if request.method == "POST" else None
    form = ExchangeForm(data, instance=exchange, own_city=appointment.city if appointment else None)
    rows = [{"name": p.name, "country": p.country.code} for p in exchange.partner_cities.all()] if exchange else []
    partners = PartnerCityFormSet(data, initial=rows or None, prefix="partners")
    if data is not None and all([form.is_valid(), partners.is_valid()]):
        try:
            saved = services.exchange_save(
                by=request.user,
                data={field: form.cleaned_data[field] for field in EXCHANGE_FIELDS},
                cities=form.cleaned_data["cities"],
                partner_cities=partners.partners(),
                practices=form.cleaned_data["practices"],
                exchange=exchange,
            )
        except ValidationError as error:
            form.show_errors(error)
        else:
            messages.success(request, _("Intercambio guardado.") if exchange else _("Intercambio registrado."))
            return redirect("exchanges:exchange", pk=saved.pk)
    return render(request, "practices/exchange_form.html", {"form": form, "partners": partners, "exchange": exchange})


@login_required
def exchange_create(request):
    if not services.can_record_exchange(request.user):
        raise PermissionDenied
    return _form_page(request)


@login_required
def exchange_edit(request, pk):
    _require_member(request.user)
    exchange = get_object_or_404(Exchange, pk=pk)
    if not services.can_edit_exchange(request.user, exchange):
        raise PermissionDenied
    return _form_page(request, exchange)
