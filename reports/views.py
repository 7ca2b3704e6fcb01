from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from ambassadors.scope import roles_of

from . import dashboards
from .exports import csv_response, xlsx_response
from .periods import DashboardForm


def _dashboard_form(request):
    if not roles_of(request.user).reads_many_cities:
        raise PermissionDenied
    return DashboardForm(request.GET or None, user=request.user, today=timezone.localdate())


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def overview(request):
    """Coordinators and admins: the figures of their scope for a period, with charts and a map."""
    form = _dashboard_form(request)
    cities, period, today = form.chosen_cities, form.chosen_period, form.today
    series = dashboards.monthly_series(cities=cities, period=period)
    funds = dashboards.funds_by_stage(cities=cities, period=period)
    table = dashboards.cities_table(cities=cities, period=period, today=today)
    return render(
        request,
        "reports/overview.html",
        {
            "form": form,
            "period": period,
            "figures": dashboards.overview(cities=cities, period=period),
            "funds": funds,
            "coverage": dashboards.coverage(cities=cities, period=period),
            "review_times": dashboards.review_times(cities=cities, period=period),
            "series": series,
            "charts": dashboards.chart_data(series=series, funds=funds),
            "table": table,
            "map": dashboards.map_data(table, countries=_country_numbers(form.scope_countries)),
            "query": _query_without(request),
        },
    )


def _country_numbers(scope_countries):
    """ISO 3166 numeric codes of the scope's countries: the map draws their outlines."""
    numbers = (countries.numeric(code) for code in scope_countries.values_list("pk", flat=True))
    return [f"{number:03d}" for number in numbers if number is not None]


@login_required
def cities(request):
    """Per city: last approved action, approved actions per axis, targets by status; CSV/XLSX."""
    form = _dashboard_form(request)
    table = dashboards.cities_table(
        cities=form.chosen_cities, period=form.chosen_period, today=form.today, sort=request.GET.get("sort", "name")
    )
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        headers = [column.label for column in table["columns"]]
        rows = [row.cells for row in table["rows"]]
        filename = f"{slugify(_('ciudades'))}-{form.chosen_period.start:%Y%m%d}-{form.chosen_period.end:%Y%m%d}"
        if export == "csv":
            return csv_response(headers, rows, filename)
        return xlsx_response(headers, rows, filename, title=_("Ciudades"))
    page = Paginator(table["rows"], 100).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/cities.html",
        {
            "form": form,
            "period": form.chosen_period,
            "table": table,
            "page": page,
            "query": _query_without(request, "page"),
            "sort_query": _query_without(request, "page", "sort", "format"),
            "export_query": _query_without(request, "page", "format"),
        },
    )
