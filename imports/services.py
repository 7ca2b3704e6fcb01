"""Writes on imports: a job is created from an upload, checked (by imports.tasks.check_import),
applied or cancelled here and nowhere else. Applying writes through the apps' own services
(commitments.services.action_create / action_update / target_save), all rows or none."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commitments import services as commitment_services

from .checks import CHANGED, CHECKS, NEW, city_for
from .columns import columns_for
from .models import REFUSALS, ImportJob
from .people import PeopleContext, check_ambassador, check_city, check_coordinator, write_person
from .reading import FileProblem, read_rows

logger = logging.getLogger(__name__)

# A spreadsheet holds people's data: its file and its checked rows are kept this many days, then
# removed (the job stays, with its status and dates).
KEEP_DAYS = 30

# The job's progress is saved every this many rows: the page's bar moves, the database is not
# written once per row.
PROGRESS_EVERY = 50

# Applying writes every row in one transaction at some 30 rows a second (bench/import_apply.py):
# a 5,000-row file needs minutes, so its task may run longer than the others (never less).
APPLY_TIME_LIMIT = max(settings.CELERY_TASK_TIME_LIMIT, 30 * 60)
APPLY_SOFT_TIME_LIMIT = APPLY_TIME_LIMIT - 60
# Attempts at an apply (the task's tries and the sweep's): past them, a stuck job is refused.
APPLY_ATTEMPTS = 4


class ImportOutdated(Exception):
    """Something the preview showed changed before the person confirmed: nothing was written."""


def import_create(*, user, what, city, uploaded_file, language):
    """A queued job for the upload (checked already by reading.check_upload); its check is queued
    once the job is saved."""
    from .tasks import check_import  # the task module imports this one

    job = ImportJob(user=user, what=what, city=city, original_name=uploaded_file.name[:255], language=language)
    job.file.save(uploaded_file.name, uploaded_file, save=False)
    job.save()
    transaction.on_commit(lambda: check_import.delay(job.pk))
    return job


def import_claim(*, job_id):
    """Move a queued job (or one a crashed worker left checking) to checking; None if it is done."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.CHECKING]
    ).update(status=ImportJob.Status.CHECKING, attempts=F("attempts") + 1, rows_checked=0)
    return ImportJob.objects.select_related("user", "city").get(pk=job_id) if claimed else None


CHECKS_OF = {
    **CHECKS,
    "cities": (PeopleContext, check_city),
    "ambassadors": (PeopleContext, check_ambassador),
    "coordinators": (PeopleContext, check_coordinator),
}


def _checked_rows(job, rows, *, progress=None):
    context_class, check = CHECKS_OF[job.what]
    context = context_class(user=job.user, city=job.city, rows=rows)
    checked = []
    for index, (number, cells) in enumerate(rows, start=1):
        result = check(cells, context)
        checked.append((number, cells, result))
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
    return checked


def _stored(number, cells, result):
    return {
        "number": number,
        "id": cells.get("id", ""),
        "state": result.state,
        "cells": cells,
        "errors": {key or "": messages for key, messages in result.errors.items()},
        "version": result.version,
    }


def import_check(*, job_id):
    """Read the job's file and check each row with the pages' rules, in the job's language; the
    preview is stored on the job. A file that cannot be read fails the job with the reasons."""
    job = import_claim(job_id=job_id)
    if job is None:
        return None
    # Every write below is conditional on the job still checking: one its owner cancelled
    # meanwhile stays cancelled (it never comes back as ready to confirm).
    checking = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING)
    with translation.override(job.language):
        columns = columns_for(job.what)
        try:
            with job.file.open("rb") as stream:
                keys, rows = read_rows(stream, columns)
        except FileProblem as problem:
            checking.update(status=ImportJob.Status.FAILED, file_errors=problem.messages, checked_at=timezone.now())
            return ImportJob.Status.FAILED
        checking.update(rows_total=len(rows), columns=[k for k in keys if k])

        def progress(count):
            checking.update(rows_checked=count)

        checked = _checked_rows(job, rows, progress=progress)
    checking.update(
        status=ImportJob.Status.READY,
        rows_checked=len(rows),
        rows=[_stored(*row) for row in checked],
        checked_at=timezone.now(),
        error="",
    )
    return ImportJob.Status.READY


def import_record_failure(*, job_id, error, final):
    """A check that crashed: kept on the job (the person sees it failed, never a silent drop)."""
    update = {"error": f"{type(error).__name__}: {error}"[:2000]}
    if final:
        update.update(status=ImportJob.Status.FAILED, checked_at=timezone.now())
        update["file_errors"] = [
            _("No se pudo revisar el archivo por un error del sistema. Vuelva a subirlo más tarde.")
        ]
    ImportJob.objects.filter(pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.CHECKING]).update(
        **update
    )
    logger.warning("Import %s failed (final=%s): %s", job_id, final, error)


PEOPLE_WHAT = (ImportJob.What.CITIES, ImportJob.What.AMBASSADORS, ImportJob.What.COORDINATORS)


def _write(job, result):
    write = result.write
    if job.what in PEOPLE_WHAT:
        write_person(job.what, result, by=job.user)
    elif job.what == "targets":
        commitment_services.target_save(
            by=job.user,
            city=job.city,
            target=write.get("target"),
            **{name: value for name, value in write.items() if name != "target"},
        )
    elif result.state == NEW:
        commitment_services.action_create(
            by=job.user, commitment=write["commitment"], data=write["data"], indicator_values=write["indicator_values"]
        )
    else:
        commitment_services.action_update(
            action=write["action"],
            by=job.user,
            commitment=write["commitment"],
            data=write["data"],
            indicator_values=write["indicator_values"],
        )


@transaction.atomic
def import_apply(*, job, by):
    """Write every new or changed row, or none: each row is checked again first, and if one no
    longer reads as the preview showed it (an action submitted meanwhile, a target changed by
    someone else, a catalogue code retired) the whole import is refused with ImportOutdated."""
    job = ImportJob.objects.select_for_update(of=("self",)).select_related("user", "city").get(pk=job.pk)
    if job.user_id != by.pk:
        raise PermissionDenied
    if job.what in PEOPLE_WHAT and not by.is_superuser:
        # Checked at the upload, and again here: an admin who lost the role since keeps no
        # ready import of roles to confirm (ambassadors.services takes the word of its caller).
        raise PermissionDenied
    if job.status not in (ImportJob.Status.READY, ImportJob.Status.APPLYING) or not job.can_write:
        raise ValidationError(REFUSALS["not_applicable"], code="not_applicable")
    if job.what == ImportJob.What.ACTIONS and city_for(job.what, by, None) != job.city:
        # The services write a new action in the importer's current city: one appointed elsewhere
        # since the upload would put rows checked as this city's into another.
        raise ValidationError(REFUSALS["not_ambassador"], code="not_ambassador", params={"city": job.city.name})
    with translation.override(job.language):
        rows = [(row["number"], row["cells"]) for row in job.rows]
        checked = _checked_rows(job, rows)
    for stored, (_number, _cells, result) in zip(job.rows, checked, strict=True):
        if result.errors or result.state != stored["state"] or result.version != stored.get("version", ""):
            raise ImportOutdated(stored["number"])
    written = 0
    for _number, _cells, result in checked:
        if result.state in (NEW, CHANGED):
            _write(job, result)
            written += 1
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.APPLIED, applied_at=timezone.now(), rows_written=written, refusal={}, error=""
    )
    return written


def import_confirm(*, job, by):
    """The owner confirms a ready, clean preview: the job is marked applying with a conditional
    UPDATE (a double click or a second tab confirms once) and imports.tasks.apply_import is queued
    once that commits. Returns whether this call confirmed it (False: not confirmable, or done)."""
    from .tasks import apply_import  # the task module imports this one

    if job.user_id != by.pk or (job.what in PEOPLE_WHAT and not by.is_superuser):
        raise PermissionDenied
    if not job.can_apply:
        return False
    confirmed = ImportJob.objects.filter(pk=job.pk, user=by, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.APPLYING, apply_started_at=timezone.now(), attempts=0, refusal={}, error=""
    )
    if confirmed:
        transaction.on_commit(lambda: apply_import.delay(job.pk), robust=True)
    return bool(confirmed)


def _refuse(job_id, code, params=None, *, error=""):
    """Nothing was written: the job says why (only one still applying: a done job stays done)."""
    return ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.APPLYING).update(
        status=ImportJob.Status.REFUSED, refusal={"code": code, "params": params or {}}, error=error[:2000]
    )


def import_apply_confirmed(*, job_id):
    """The worker's side of a confirmed job (imports.tasks.apply_import): claim it (still
    applying, one more attempt) and write it all or nothing; a refusal is kept on the job with
    its reason. Returns the job's status, or None if it was no longer applying."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.APPLYING).update(
        attempts=F("attempts") + 1, apply_started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        import_apply(job=job, by=job.user)
    except ImportOutdated as outdated:
        _refuse(job_id, "outdated", {"row": outdated.args[0]})
    except PermissionDenied:
        _refuse(job_id, "forbidden")
    except ValidationError as error:
        if error.code in REFUSALS:
            _refuse(job_id, error.code, error.params)
        else:  # a domain service's own refusal: its messages, in the job's language
            with translation.override(job.language):
                _refuse(job_id, "invalid", {"messages": [str(message) for message in error.messages]})
    return ImportJob.objects.values_list("status", flat=True).get(pk=job_id)


def import_record_apply_failure(*, job_id, error, final):
    """An apply that crashed (its transaction rolled back: nothing written). Retried: the clock of
    the sweep starts again; the last time, the job is refused with a system error."""
    text = f"{type(error).__name__}: {error}"
    if final:
        _refuse(job_id, "error", error=text)
    else:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.APPLYING).update(
            error=text[:2000], apply_started_at=timezone.now()
        )
    logger.warning("Import apply %s failed (final=%s): %s", job_id, final, error)


def imports_sweep_applying(*, now=None):
    """Jobs applying past the apply's time limit (or never started by a worker past the usual task
    time limit): their message or worker was lost, and nothing was written (the apply is one
    transaction). Each is queued again, until APPLY_ATTEMPTS attempts, then refused with a system
    error: never left applying. A message queued twice does no harm: the claim and the apply's
    lock on the job let one write. Returns (requeued, refused)."""
    from .tasks import apply_import

    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        Q(apply_started_at__lt=now - timedelta(seconds=APPLY_TIME_LIMIT))
        | Q(attempts=0, apply_started_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)),
        status=ImportJob.Status.APPLYING,
    )
    refused = stale.filter(attempts__gte=APPLY_ATTEMPTS).update(
        status=ImportJob.Status.REFUSED, refusal={"code": "error", "params": {}}, error="Stuck applying: given up."
    )
    requeued = 0
    for job_id in stale.values_list("pk", flat=True):
        # Conditional, so two sweeps at once queue it once; the clock starts again.
        if stale.filter(pk=job_id).update(apply_started_at=now):
            transaction.on_commit(lambda job_id=job_id: apply_import.delay(job_id), robust=True)
            requeued += 1
    if requeued or refused:
        logger.warning("Imports stuck applying: %s queued again, %s refused.", requeued, refused)
    return requeued, refused


def import_cancel(*, job, by):
    if job.user_id != by.pk:
        raise PermissionDenied
    return bool(
        ImportJob.objects.filter(
            pk=job.pk, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.CHECKING, ImportJob.Status.READY]
        ).update(status=ImportJob.Status.CANCELLED)
    )


def imports_purge(*, now=None):
    """Remove the files and checked rows of the jobs older than KEEP_DAYS (imports.purge_old_imports,
    daily). One still queued, checking or waiting for its owner's confirmation is cancelled first:
    nothing is ever applied from a removed preview. Returns how many jobs were emptied."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    old = ImportJob.objects.filter(created_at__lt=cutoff)
    old.filter(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.CHECKING, ImportJob.Status.READY]).update(
        status=ImportJob.Status.CANCELLED
    )
    purged = 0
    for job in old.exclude(file="").only("pk", "file"):
        job.file.delete(save=False)
        purged += ImportJob.objects.filter(pk=job.pk).update(file="", rows=[])
    return purged
