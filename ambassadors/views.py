import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors
from .forms import RateLimitedPasswordResetForm
from .models import City
from .scope import READ_GRACE_DAYS, appointments_in_grace, roles_of


@login_required
def landing(request):
    """Where each role lands after login: ambassadors on their city, the others on the cities.

    The pages are named here, not imported: they belong to apps above this one (reports).
    """
    roles = roles_of(request.user)
    if roles.is_ambassador:
        return redirect("reports:city_progress", pk=roles.ambassador_city_id)
    if roles.reads_many_cities:
        return redirect("reports:overview")
    ended = appointments_in_grace(request.user).order_by("-ended_on").first()
    if ended is not None:
        # Their own past work, read-only, for READ_GRACE_DAYS (ambassadors.scope.work_scope_filter).
        until = ended.ended_on + datetime.timedelta(days=READ_GRACE_DAYS)
        messages.info(
            request,
            _("Su nombramiento terminó el %(ended)s. Hasta el %(until)s puede consultar, sin cambiarlas, sus acciones.")
            % {"ended": date_format(ended.ended_on, "DATE_FORMAT"), "until": date_format(until, "DATE_FORMAT")},
        )
        return redirect("commitments:actions")
    messages.info(
        request,
        _(
            "Su cuenta todavía no tiene una ciudad ni países asignados. "
            "Pida a la coordinación de la OMCS que se los asigne."
        ),
    )
    return redirect("home")


@login_required
def city_list(request):
    page = Paginator(selectors.cities_in_network(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "ambassadors/city_list.html", {"page": page})


@login_required
def city_detail(request, pk):
    try:
        city = selectors.city_for(user=request.user, pk=pk)
    except City.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "ambassadors/city_detail.html",
        {"city": city, "ambassadors": selectors.city_ambassadors(city=city)},
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with its form told the request (the rate limit counts per address)."""

    form_class = RateLimitedPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
