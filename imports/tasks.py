"""The check of an uploaded spreadsheet and the apply of a confirmed one, off the request: both
may go through thousands of rows (a web request is killed after gunicorn's timeout)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from . import services

# Worth another try: the database or the disk hiccuped, or the task ran out of time.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError, SoftTimeLimitExceeded)
CHECK_RETRIES = 3


def _retrying(task, job_id, run, record_failure):
    """`run(job_id=…)` in `task`: transient errors are recorded and retried with back-off (30 s
    doubling, capped at 10 minutes); the last failure, or any other error, is recorded as final."""
    try:
        return run(job_id=job_id)
    except TRANSIENT_ERRORS as error:
        final = task.request.retries >= task.max_retries
        record_failure(job_id=job_id, error=error, final=final)
        if final:
            raise
        raise task.retry(exc=error, countdown=min(30 * 2**task.request.retries, 600)) from error
    except Exception as error:
        record_failure(job_id=job_id, error=error, final=True)
        raise


@shared_task(bind=True, name="imports.check_import", acks_late=True, max_retries=CHECK_RETRIES)
def check_import(self, job_id):
    """Check one job's rows. Transient errors are retried with back-off; the last failure, or any
    other error, fails the job with the error kept on it (shown to its owner, never dropped)."""
    return _retrying(self, job_id, services.import_check, services.import_record_failure)


@shared_task(
    bind=True,
    name="imports.apply_import",
    acks_late=True,
    max_retries=services.APPLY_ATTEMPTS - 1,
    soft_time_limit=services.APPLY_SOFT_TIME_LIMIT,
    time_limit=services.APPLY_TIME_LIMIT,
)
def apply_import(self, job_id):
    """Write one confirmed job's rows, all or none (services.import_apply_confirmed). Transient
    errors are retried with back-off (the transaction rolled back: nothing half-written); the
    last failure, or any other error, refuses the job with the error kept on it."""
    return _retrying(self, job_id, services.import_apply_confirmed, services.import_record_apply_failure)


@shared_task(name="imports.sweep_applying_imports")
def sweep_applying_imports():
    """Every ten minutes: a confirmed import whose apply was lost is queued again, or refused."""
    requeued, refused = services.imports_sweep_applying()
    return {"requeued": requeued, "refused": refused}


@shared_task(name="imports.purge_old_imports")
def purge_old_imports():
    """Daily: the files and previews of imports older than services.KEEP_DAYS are removed."""
    return services.imports_purge()
