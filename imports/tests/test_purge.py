"""An import's spreadsheet holds people's data: its file and preview go after KEEP_DAYS."""

import datetime

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from imports import services
from imports.models import ImportJob
from imports.tasks import purge_old_imports
from imports.tests.factories import ImportJobFactory

ROWS = [{"number": 2, "state": "new", "cells": {"title": "Taller con Ana Pérez"}, "errors": {}}]


def _job(status, *, days_ago, **fields):
    created = timezone.now() - datetime.timedelta(days=days_ago)
    return ImportJobFactory(status=status, created_at=created, rows=ROWS, **fields)


def test_files_and_previews_older_than_the_limit_are_removed_and_the_jobs_kept(db):
    applied = _job(ImportJob.Status.APPLIED, days_ago=services.KEEP_DAYS + 1)
    failed = _job(ImportJob.Status.FAILED, days_ago=services.KEEP_DAYS + 5)
    recent = _job(ImportJob.Status.APPLIED, days_ago=services.KEEP_DAYS - 1)
    old_names = [applied.file.name, failed.file.name]
    assert all(default_storage.exists(name) for name in old_names)

    assert purge_old_imports.apply().get() == 2

    for job in (applied, failed):
        job.refresh_from_db()
        assert (job.file.name, job.rows) == ("", [])
    assert applied.status == ImportJob.Status.APPLIED  # its history stays
    assert not any(default_storage.exists(name) for name in old_names)
    recent.refresh_from_db()
    assert recent.rows == ROWS and default_storage.exists(recent.file.name)
    assert services.imports_purge() == 0  # nothing twice


def test_an_old_import_waiting_for_confirmation_is_cancelled_before_its_preview_goes(
    confirm, client_for, ambassador, lima
):
    waiting = _job(ImportJob.Status.READY, days_ago=services.KEEP_DAYS + 1, user=ambassador, city=lima)
    services.imports_purge()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.file.name) == (ImportJob.Status.CANCELLED, "")
    client = client_for(ambassador)
    page = client.get(reverse("imports:job", args=[waiting.pk])).content.decode()
    assert "se borraron a los 30 días" in page and "Ana Pérez" not in page
    confirm(client, waiting)
    waiting.refresh_from_db()
    assert waiting.status == ImportJob.Status.CANCELLED and waiting.applied_at is None
