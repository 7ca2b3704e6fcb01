"""Import pages: the list of what a person may import with their history, the upload, the job's
progress and preview, confirming or cancelling; and the exports an import reads back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.models import City
from commitments import services as commitment_services
from commitments.filters import ActionFilter
from commitments.models import Action

from . import services
from .checks import city_for
from .columns import columns_for
from .exports import export_response
from .forms import UploadForm
from .models import REFUSALS, ImportJob

# The preview's rows a page (5,000 rows of 21 columns were a page of 15 MB), and the errors
# its summary lists before saying how many more there are.
PREVIEW_ROWS = 100
ERRORS_LISTED = 200
WHAT = (ImportJob.What.ACTIONS, ImportJob.What.TARGETS)
# What only admins (superusers) import: people's roles, for accounts made in Django admin.
ADMIN_WHAT = (ImportJob.What.CITIES, ImportJob.What.AMBASSADORS, ImportJob.What.COORDINATORS)


def _admin_only(request, what):
    if what not in ADMIN_WHAT:
        raise Http404
    if not request.user.is_superuser:
        raise PermissionDenied


def _city_or_404(request, what):
    """The city of the import or export: an ambassador's own for actions (403 for anyone else),
    one in the person's scope for targets (?city=, 404 outside it)."""
    if what not in WHAT:
        raise Http404
    city_id = request.GET.get("city", "")
    city = city_for(what, request.user, int(city_id) if city_id.isdigit() and len(city_id) < 12 else None)
    if city is None:
        if what == ImportJob.What.ACTIONS:
            raise PermissionDenied
        raise Http404
    return city


def _job_or_404(request, pk):
    """A person's own jobs only: nobody reads another's file or preview."""
    return get_object_or_404(ImportJob.objects.select_related("city"), pk=pk, user=request.user)


@login_required
def index(request):
    appointment = commitment_services.active_appointment(request.user)
    cities = City.objects.visible_to(request.user).order_by("name") if not appointment else [appointment.city]
    jobs = ImportJob.objects.filter(user=request.user).select_related("city")[:50]
    return render(
        request,
        "imports/index.html",
        {
            "appointment": appointment,
            "cities": cities,
            "jobs": jobs,
            "admin_kinds": [ImportJob.What(what) for what in ADMIN_WHAT] if request.user.is_superuser else [],
        },
    )


@login_required
def export(request, what, output):
    """The actions (or targets) of a city the person reads, in the import's columns; ?vacia=1 is the
    template. Actions without ?city= are those of the person's whole scope."""
    if output not in ("csv", "xlsx"):
        raise Http404
    if what not in WHAT:
        _admin_only(request, what)
    city_id = request.GET.get("city", "")
    city = None
    if what == ImportJob.What.TARGETS or (city_id and what == ImportJob.What.ACTIONS):
        city = get_object_or_404(City.objects.visible_to(request.user), pk=int(city_id) if city_id.isdigit() else 0)
    # Actions: the filters of "Mis acciones" too (its links carry them), applied to the person's scope.
    actions = ActionFilter(request.GET, queryset=Action.objects.visible_to(request.user)).qs
    return export_response(
        what=what, city=city, output=output, empty="vacia" in request.GET, actions=actions, user=request.user
    )


@login_required
def upload(request, what):
    if what in WHAT:
        city = _city_or_404(request, what)
    else:
        _admin_only(request, what)
        city = None
    if what == ImportJob.What.TARGETS and not commitment_services.can_manage_targets(request.user, city):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_create(
            user=request.user, what=what, city=city, uploaded_file=form.cleaned_data["file"], language=get_language()
        )
        return redirect("imports:job", pk=job.pk)
    columns = columns_for(what)
    return render(
        request,
        "imports/upload.html",
        {"form": form, "what": what, "what_label": ImportJob.What(what).label, "city": city, "columns": columns},
    )


@login_required
def job(request, pk):
    """The job's state and its preview: rows with errors first (what the person has to fix),
    then the new and the changed ones, a page at a time; the errors' summary links every error
    to its cell, on whichever page it is."""
    job = _job_or_404(request, pk)
    columns = {column.key: column for column in columns_for(job.what)}
    shown = [columns[key] for key in job.columns if key in columns]
    listed = sorted(
        (row for row in job.rows if row.get("errors") or row["state"] != "unchanged"),
        key=lambda row: (not row.get("errors"), row["state"] != "new", row["number"]),
    )
    page = Paginator(listed, PREVIEW_ROWS).get_page(request.GET.get("page"))
    errors = _error_links(listed, shown, page.number)
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "columns": shown,
            "page": page,
            "shown_rows": _rows(page.object_list, shown),
            "errors": errors[:ERRORS_LISTED],
            "errors_unlisted": max(len(errors) - ERRORS_LISTED, 0),
        },
    )


def _error_links(listed, columns, current_page):
    """Each error of the listed rows, in row order, with the link to its cell (or row)."""
    page_of = {row["number"]: index // PREVIEW_ROWS + 1 for index, row in enumerate(listed)}
    links = []
    for row in sorted((row for row in listed if row.get("errors")), key=lambda row: row["number"]):
        number, errors = row["number"], row["errors"]
        prefix = "" if page_of[number] == current_page else f"?page={page_of[number]}"
        for index, column in enumerate(columns, start=1):
            for message in errors.get(column.key, []):
                links.append(
                    {
                        "href": f"{prefix}#cell-{number}-{index}",
                        "number": number,
                        "column": column.header,
                        "message": message,
                    }
                )
        for message in errors.get("", []):
            links.append({"href": f"{prefix}#row-{number}", "number": number, "column": "", "message": message})
    return links


def _rows(rows, columns):
    """Each row's cells in the columns' order, each with its messages (a template only displays)."""
    shown = []
    for row in rows:
        errors = row.get("errors", {})
        cells = [
            {
                "key": column.key,
                "header": column.header,
                "value": row["cells"].get(column.key, ""),
                "errors": errors.get(column.key, []),
            }
            for column in columns
        ]
        shown.append({**row, "cell_list": cells, "row_errors": errors.get("", [])})
    return shown


@login_required
def job_status(request, pk):
    job = _job_or_404(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "done": job.is_done,
            "checked": job.rows_checked,
            "total": job.rows_total,
            "written": job.rows_written,
        }
    )


@login_required
@require_POST
def job_apply(request, pk):
    """Confirming queues the apply (a worker writes the rows); the job's page follows it."""
    job = _job_or_404(request, pk)
    try:
        confirmed = services.import_confirm(job=job, by=request.user)
    except PermissionDenied:
        messages.error(request, _("No se importó nada."))
    else:
        if not confirmed:
            job.refresh_from_db(fields=["status"])  # another tab may have confirmed it meanwhile
            if job.status in (ImportJob.Status.READY, ImportJob.Status.FAILED):
                messages.error(request, REFUSALS["not_applicable"])
    return redirect("imports:job", pk=pk)


@login_required
@require_POST
def job_cancel(request, pk):
    job = _job_or_404(request, pk)
    if services.import_cancel(job=job, by=request.user):
        messages.info(request, _("Importación cancelada: no se guardó nada."))
    else:
        job.refresh_from_db(fields=["status"])
        if job.status != ImportJob.Status.CANCELLED:  # a second tab's cancel needs no word
            messages.error(request, _("Esta importación ya no se puede cancelar: ya se está aplicando o terminó."))
    return redirect("imports:job", pk=pk)
