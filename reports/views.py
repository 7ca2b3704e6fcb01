import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_countries import countries

from ambassadors.models import City
from ambassadors.scope import roles_of
from commitments import services as commitment_services
from core.preferences import email_preferences_save, preferences_of
from core.replica import on_replica, replica_view

from . import city_dashboard, dashboards, kinds_content, services
from .content import present
from .exports import XLSX_TYPE, csv_response, xlsx_response
from .forms import EmailPreferencesForm, ReportFilter, ReportRequestForm
from .models import ProgressReport, ReportScope
from .periods import DashboardForm
from .scope_content import present_scope
from .scope_forms import ScopeReportRequestForm


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
@replica_view  # the dashboard's figures from the replica, if any (core.replica)
def overview(request):
    """Coordinators and admins: the figures of their scope for a period, with charts and a map."""
    form = _dashboard_form(request)
    cities, period = form.chosen_cities, form.chosen_period
    series = dashboards.monthly_series(cities=cities, period=period)
    money = dashboards.money(cities=cities, period=period, today=form.today)
    figures = dashboards.overview(cities=cities, period=period)
    coverage = dashboards.coverage(cities=cities, period=period)
    # Targets are judged as of the period's end, or today while the period runs.
    judged_on = min(period.end, form.today)
    kinds = kinds_content.panel(cities=cities, period=period, activity=figures["cities"])
    review = dashboards.review_times(cities=cities, period=period, today=form.today)
    return render(
        request,
        "reports/overview.html",
        {
            "form": form,
            "period": period,
            "figures": figures,
            "money": money,
            "coverage": coverage,
            "indicators": dashboards.network_indicators(cities=cities, period=period, today=form.today),
            "targets": dashboards.network_targets(cities=cities, today=judged_on, commitments=coverage),
            "targets_judged_on": judged_on,
            "review_times": review,
            "slowest_cities": review["per_city"][: dashboards.SLOWEST_CITIES],
            "reviewer_query": _query_without(request, "reviewer"),
            "drill_query": _query_without(request, "reviewer", "city"),
            "series": series,
            "charts": dashboards.chart_data(series=series, money=money),
            "map": dashboards.map_data(
                figures["cities"], countries=_country_numbers(form.scope_countries), hazards=kinds["hazard_markers"]
            ),
            "map_table": dashboards.map_table(figures["cities"]),
            "kinds": kinds["kinds"],
            "hazards": kinds["hazards"],
            "query": _query_without(request),
        },
    )


@login_required
@replica_view  # the dashboard's figures from the replica, if any (core.replica)
def review_times(request):
    """Review times of every city and reviewer of the scope (the overview lists the slowest
    cities); exact for one city (the filters' city) or one reviewer (?reviewer=<id>)."""
    form = _dashboard_form(request)
    one_city = form.is_valid() and form.cleaned_data.get("city")
    reviewer = request.GET.get("reviewer", "")
    reviewer = int(reviewer) if re.fullmatch(r"[0-9]{1,9}", reviewer) else None
    times = dashboards.review_times(
        cities=form.chosen_cities, period=form.chosen_period, today=form.today, reviewer=reviewer, exact=bool(one_city)
    )
    return render(
        request,
        "reports/review_times.html",
        {
            "form": form,
            "period": form.chosen_period,
            "review_times": times,
            "reviewer": reviewer,
            "reviewer_name": _person_name(times["per_reviewer"][0]) if reviewer and times["per_reviewer"] else "",
            # The filters without the reviewer: the page's own links, and a reviewer's (keeps the city).
            "query": (query := _query_without(request, "reviewer")),
            "reviewer_query": query,
            "drill_query": _query_without(request, "reviewer", "city"),
        },
    )


def _person_name(entry):
    return f"{entry['first_name']} {entry['last_name']}".strip() or entry["username"]


def _country_numbers(scope_countries):
    """ISO 3166 numeric codes of the scope's countries: the map draws their outlines."""
    numbers = (countries.numeric(code) for code in scope_countries.values_list("pk", flat=True))
    return [f"{number:03d}" for number in numbers if number is not None]


@login_required
@replica_view  # the dashboard's figures from the replica, if any (core.replica)
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


@login_required
def my_city(request):
    appointment = commitment_services.active_appointment(request.user)
    if appointment is None:
        return redirect("ambassadors:landing")
    return redirect("reports:city_progress", pk=appointment.city_id)


@login_required
@replica_view  # the dashboard's figures from the replica, if any (core.replica)
def city_progress(request, pk):
    """ "Mi ciudad": targets with progress, approved actions per axis and commitment, gaps, activity,
    its funding pipeline, the city's practices and the ones it replicates."""
    city = get_object_or_404(City.objects.visible_to(request.user).select_related("country"), pk=pk)
    today = timezone.localdate()
    year_start = commitment_services.year_start(today)
    appointment = commitment_services.active_appointment(request.user)
    return render(
        request,
        "reports/city_progress.html",
        {
            "city": city,
            "year_start": year_start,
            "can_manage_targets": commitment_services.can_manage_targets(request.user, city),
            # Its ambassador in office writes the city's practices (practices.services.practice_create).
            "can_share_practice": appointment is not None and appointment.city_id == city.pk,
            **city_dashboard.city_progress(city=city, user=request.user, year_start=year_start, today=today),
        },
    )


def _reports_of(user):
    return ProgressReport.objects.visible_to(user).select_related("city", "country", "requested_by")


@login_required
def report_list(request):
    """The reports of the user's scope, and the form to ask for one now."""
    today = timezone.localdate()
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user, today=today)
        if form.is_valid() and (asked := _ask(request, form, city=form.cleaned_data["city"])):
            return asked
    else:
        form = ReportRequestForm(
            user=request.user, today=today, initial={"day": today, "language": translation.get_language()}
        )
    # The page from the replica, if any (core.replica); a POST was validated on the primary above.
    return on_replica(_report_list_page, request, form)


def _report_list_page(request, form):
    report_filter = ReportFilter(request.GET, queryset=_reports_of(request.user), user=request.user)
    page = Paginator(report_filter.qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "filter": report_filter, "page": page, "query": _query_without(request, "page")},
    )


@login_required
def report_detail(request, pk):
    """A ready report reads in the visitor's language; otherwise its status, or why it failed."""
    report = get_object_or_404(_reports_of(request.user), pk=pk)
    city = report.scope == ReportScope.CITY
    presented = None
    if report.status == ProgressReport.Status.READY:
        presented = present(report.snapshot) if city else present_scope(report.snapshot)
    body = "reports/includes/report_body.html" if city else "reports/includes/scope_body.html"
    return render(request, "reports/report_detail.html", {"progress_report": report, "report": presented, "body": body})


@login_required
def scope_report_request(request):
    """Coordinators and admins: ask for the report of a country they answer for, or the network's."""
    if not roles_of(request.user).reads_many_cities:
        raise PermissionDenied
    today = timezone.localdate()
    form = ScopeReportRequestForm(
        request.POST or None,
        user=request.user,
        today=today,
        initial={"day": today, "language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        scope = {"scope": form.cleaned_data["report_scope"], "country": form.cleaned_data["country"]}
        if asked := _ask(request, form, **scope):
            return asked
    return render(request, "reports/scope_request.html", {"form": form})


def _ask(request, form, **where):
    """Ask for the report of `where` (a city, or a scope and country) that the valid `form` names;
    a redirect to it, or None with the request limit's message on the form."""
    language = form.cleaned_data["language"]
    try:
        report = services.report_request(
            **where,
            kind=form.cleaned_data["kind"],
            period=form.cleaned_data["period"],
            requested_by=request.user,
            language=language,
            retry=True,
        )
    except services.ReportRequestsLimited as limited:
        form.add_error(None, _limited(limited))
        return None
    # One that existed already keeps the files' language it was written in.
    if report.language != language:
        messages.info(
            request,
            _(
                "Este informe ya existía: sus archivos están en %(language)s. La página se lee en el idioma "
                "que usted elija."
            )
            % {"language": report.get_language_display()},
        )
    return redirect("reports:report", pk=report.pk)


@login_required
def report_status(request, pk):
    report = get_object_or_404(_reports_of(request.user), pk=pk)
    return JsonResponse({"status": report.status, "label": report.get_status_display(), "done": report.is_done})


@login_required
@require_POST
def report_retry(request, pk):
    report = get_object_or_404(_reports_of(request.user), pk=pk)
    if report.status == ProgressReport.Status.FAILED:
        try:
            services.report_request(
                scope=report.scope,
                city=report.city,
                country=report.country,
                kind=report.kind,
                period=report.period,
                requested_by=request.user,
                retry=True,
            )
        except services.ReportRequestsLimited as limited:
            messages.error(request, _limited(limited))
        else:
            messages.info(request, _("Se volvió a pedir el informe."))
    return redirect("reports:report", pk=pk)


def _limited(limited):
    """The refusal of one report request too many, saying when the person may ask again."""
    return ngettext(
        "Ya pidió %(count)d informe en esta hora, el máximo. Podrá pedir otro a partir de las %(time)s.",
        "Ya pidió %(count)d informes en esta hora, el máximo. Podrá pedir otro a partir de las %(time)s.",
        services.REPORT_REQUESTS_PER_HOUR,
    ) % {
        "count": services.REPORT_REQUESTS_PER_HOUR,
        "time": time_format(timezone.localtime(limited.retry_at), "TIME_FORMAT"),
    }


OUTPUT_TYPES = {
    "pdf": ("pdf_file", "application/pdf"),
    "html": ("html_file", "text/html; charset=utf-8"),
    "xlsx": ("xlsx_file", XLSX_TYPE),
    "csv": ("csv_file", "text/csv; charset=utf-8"),
}


@login_required
def report_download(request, pk, output):
    """A report's file, after the scope check; always as a download."""
    report = get_object_or_404(_reports_of(request.user), pk=pk, status=ProgressReport.Status.READY)
    if output not in OUTPUT_TYPES:
        raise Http404
    field, content_type = OUTPUT_TYPES[output]
    stored = getattr(report, field)
    if not stored:
        raise Http404
    filename = f"{report.file_stem}.{output}"
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def email_preferences(request):
    """What each person receives by email: reminders and how often, report digests, summaries."""
    preferences = preferences_of([request.user])[request.user.pk]
    roles = roles_of(request.user)
    form = EmailPreferencesForm(
        request.POST or None,
        instance=preferences,
        is_coordinator=roles.is_coordinator,
        is_ambassador=roles.is_ambassador,
    )
    if request.method == "POST" and form.is_valid():
        email_preferences_save(user=request.user, values=form.cleaned_data)
        messages.success(request, _("Preferencias de correo guardadas."))
        return redirect("reports:email_preferences")
    return render(request, "reports/email_preferences.html", {"form": form})
