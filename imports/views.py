"""Import pages: the list of what a person may import with their history, the upload, the job's
progress and preview, confirming or cancelling; and the exports an import reads back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
    job = _job_or_404(request, pk)
    columns = {column.key: column for column in columns_for(job.what)}
    shown = [columns[key] for key in job.columns if key in columns]
    rows = _rows(job, shown)
    # Rows with errors first (what the person has to fix), then the new and the changed ones.
    shown_rows = sorted(
        (row for row in rows if row.get("errors") or row["state"] != "unchanged"),
        key=lambda row: (not row.get("errors"), row["state"] != "new", row["number"]),
    )
    return render(request, "imports/job.html", {"job": job, "columns": shown, "rows": rows, "shown_rows": shown_rows})


def _rows(job, columns):
    """Each row's cells in the columns' order, each with its messages (a template only displays)."""
    rows = []
    for row in job.rows:
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
        rows.append({**row, "cell_list": cells, "row_errors": errors.get("", [])})
    return rows


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
            if job.status == ImportJob.Status.READY:
                messages.error(request, REFUSALS["not_applicable"])
    return redirect("imports:job", pk=pk)


@login_required
@require_POST
def job_cancel(request, pk):
    job = _job_or_404(request, pk)
    if services.import_cancel(job=job, by=request.user):
        messages.info(request, _("Importación cancelada: no se guardó nada."))
    return redirect("imports:job", pk=pk)
