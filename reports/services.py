"""Rules for progress reports: which are due, asking for one, generating it exactly once."""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from ambassadors.access import person_rate_claim
from ambassadors.models import COORDINATORS_GROUP, AccessCounter, Ambassador, City, Country
from core.history import history_record_update

from .content import build_snapshot
from .models import ProgressReport, ReportScope
from .outputs import render_outputs
from .periods import last_complete_period, period_of
from .scope_content import build_scope_snapshot
from .scope_outputs import render_scope_outputs


def due_cities(*, kind, today):
    """Cities that get the scheduled report of the period that just ended: those whose ambassador
    (not paused) was in office during it, even if the term ended since, and no ready report yet."""
    period = last_complete_period(kind, today)
    ready = ProgressReport.objects.filter(
        kind=kind, period_start=period.start, status=ProgressReport.Status.READY
    ).values("city")
    active = (
        Ambassador.objects.filter(appointed_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .exclude(status=Ambassador.Status.PAUSED)
        .values("city")
    )
    return City.objects.filter(pk__in=active).exclude(pk__in=ready).order_by("pk"), period


def scheduled_reports_create(*, kind, today):
    """The pending reports of the due cities, created together before any is queued, so the
    digest waits for the whole batch. Returns the cities' ids and the period."""
    cities, period = due_cities(kind=kind, today=today)
    city_ids = list(cities.values_list("pk", flat=True))
    of_period = ProgressReport.objects.filter(kind=kind, period_start=period.start)
    existing = set(of_period.filter(city_id__in=city_ids).values_list("city_id", flat=True))
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(city_id=city_id, kind=kind, period_start=period.start, period_end=period.end)
            for city_id in city_ids
            if city_id not in existing
        ],
        ignore_conflicts=True,  # another fan-out of the same period may run at the same time
    )
    # bulk_create sends no save signal: the audit entries of the new reports are written here.
    ProgressReport.history.bulk_history_create(list(of_period.filter(city_id__in=set(city_ids) - existing)))
    return city_ids, period


class ReportRequestsLimited(Exception):
    """A person asked for REPORT_REQUESTS_PER_HOUR reports already; `retry_at` is when they may again."""

    def __init__(self, retry_at):
        super().__init__(retry_at)
        self.retry_at = retry_at


# Each report asked for is a task for the workers: a person (not the schedule) asks this many an hour.
REPORT_REQUESTS_PER_HOUR = 20


def scope_lookup(*, scope=ReportScope.CITY, city_id=None, country_id=None):
    """The fields that name a report's scope, checked whole: a city's report names a city, a
    country's a country, the network's neither (the model's check constraint says the same)."""
    names = {
        ReportScope.CITY: (city_id is not None, country_id is None),
        ReportScope.COUNTRY: (city_id is None, country_id is not None),
        ReportScope.NETWORK: (city_id is None, country_id is None),
    }
    if not all(names[ReportScope(scope)]):
        raise ValueError(f"A {scope} report cannot name city {city_id!r} and country {country_id!r}")
    return {"scope": scope, "city_id": city_id, "country_id": country_id}


def report_request(
    *, kind, period, city=None, country=None, scope=ReportScope.CITY, requested_by=None, language=None, retry=False
):
    """The report of `city` (or of `country`'s cities, or of the network, by `scope`) for `period`,
    created pending if new; its generation is queued once the transaction commits. A ready report
    is left alone; a failed one is queued again only on `retry`. A person's request beyond
    REPORT_REQUESTS_PER_HOUR (of any scope) raises ReportRequestsLimited; asking for a report that
    exists and is not queued again costs nothing (it gives no worker any work)."""
    lookup = scope_lookup(scope=scope, city_id=city and city.pk, country_id=country and country.pk)
    existing = ProgressReport.objects.filter(**lookup, kind=kind, period_start=period.start).first()
    if existing is not None and not (retry and existing.status == ProgressReport.Status.FAILED):
        return existing
    if requested_by is not None:
        retry_at = person_rate_claim(
            limit=AccessCounter.Limit.REPORT_REQUEST,
            user=requested_by,
            most=REPORT_REQUESTS_PER_HOUR,
            window=datetime.timedelta(hours=1),
        )
        if retry_at:
            raise ReportRequestsLimited(retry_at)
    report, created = ProgressReport.objects.get_or_create(
        **lookup,
        kind=kind,
        period_start=period.start,
        defaults={
            "period_end": period.end,
            "requested_by": requested_by,
            "language": language or settings.LANGUAGE_CODE,
        },
    )
    if created:
        _enqueue(report)
    elif retry and report.status == ProgressReport.Status.FAILED:
        # Conditional: a double click, or two people at once, queue it once.
        queued = ProgressReport.objects.filter(pk=report.pk, status=ProgressReport.Status.FAILED).update(
            status=ProgressReport.Status.PENDING, error="", updated_at=timezone.now()
        )
        if queued:
            history_record_update(report)
            _enqueue(report)
        else:
            report.refresh_from_db()
    return report


def report_regenerate(report):
    """Admins: write the report again from today's data (it replaces the files; still one report)."""
    _enqueue(report, force=True)


def _enqueue(report, *, force=False):
    from .tasks import generate_city_report, generate_scope_report

    if report.scope == ReportScope.CITY:
        task, args = generate_city_report, (report.city_id, report.kind, report.period_start.isoformat())
    else:
        task = generate_scope_report
        args = (report.scope, report.country_id, report.kind, report.period_start.isoformat())
    # robust: with the broker down the report stays pending; the hourly sweep queues it again.
    transaction.on_commit(lambda: task.delay(*args, force=force), robust=True)


def report_claim(*, kind, period_start, city_id=None, country_id=None, scope=ReportScope.CITY, force=False):
    """Take the report of the scope (scope_lookup) and the period holding `period_start` for
    generation, or None when it is ready (unless `force`) or another worker holds it. A report
    left running longer than the task time limit is taken back: its worker died."""
    period = period_of(kind, period_start)
    report, _created = ProgressReport.objects.get_or_create(
        **scope_lookup(scope=scope, city_id=city_id, country_id=country_id),
        kind=kind,
        period_start=period.start,
        defaults={"period_end": period.end},
    )
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status__in=[ProgressReport.Status.PENDING, ProgressReport.Status.FAILED]) | Q(
        status=ProgressReport.Status.RUNNING, updated_at__lt=stale
    )
    if force:
        claimable |= Q(status=ProgressReport.Status.READY)
    taken = ProgressReport.objects.filter(claimable, pk=report.pk).update(
        status=ProgressReport.Status.RUNNING, attempts=F("attempts") + 1, updated_at=now
    )
    if not taken:
        return None
    history_record_update(report)
    return report


class ReportOutputsFailed(Exception):
    """Not one output of the report could be written."""


def report_generate(report, *, with_pdf=True):
    """Freeze the figures and write the four files (all but the PDF when not `with_pdf`). An
    output that fails is named in `output_errors` and the report is ready with the others; a file
    of earlier figures that is not written again is removed, not kept. Only when no output at all
    could be written does it raise."""
    return report_store(report, report_build(report, with_pdf=with_pdf))


def report_build(report, *, with_pdf=True):
    """The figures and files of `report_generate`, without writing anything: the task builds them
    outside any transaction, reading the replica when there is one (core.replica)."""
    snapshot, (files, failures) = _snapshot_and_outputs(report, with_pdf=with_pdf)
    if not files:
        raise ReportOutputsFailed("; ".join(f"{output}: {error}" for output, error in failures.items()))
    return snapshot, files, failures


def report_store(report, built):
    """Save what `report_build` built on the report: it is ready (see `report_generate`)."""
    snapshot, files, failures = built
    old_files = [field.name for _output, field in report.files()]
    for _output, field in report.files():
        setattr(report, field.field.name, "")
    for field, (filename, content) in files.items():
        getattr(report, field).save(filename, ContentFile(content), save=False)
    report.snapshot = snapshot
    report.status = ProgressReport.Status.READY
    report.error = ""
    report.output_errors = failures
    report.generated_at = timezone.now()
    report.save()
    storage = report.pdf_file.storage
    transaction.on_commit(lambda: [storage.delete(old) for old in old_files])
    return report


def _snapshot_and_outputs(report, *, with_pdf):
    """A city's figures and files (content, outputs), or a scope's (scope_content, scope_outputs)."""
    period = report.period
    if report.scope != ReportScope.CITY:
        snapshot = build_scope_snapshot(
            scope=report.scope, country_id=report.country_id, kind=report.kind, period=period
        )
        return snapshot, render_scope_outputs(
            snapshot=snapshot, language=report.language, name=report.file_stem, with_pdf=with_pdf
        )
    city = City.objects.select_related("country").get(pk=report.city_id)
    snapshot = build_snapshot(city=city, kind=report.kind, period=period)
    name = f"{city.name}-{report.kind}-{period.start:%Y-%m}"
    return snapshot, render_outputs(snapshot=snapshot, language=report.language, name=name, with_pdf=with_pdf)


def report_record_failure(report, error, *, final):
    """Keep the error; a final failure shows on the report's page, otherwise it waits to be retried."""
    status = ProgressReport.Status.FAILED if final else ProgressReport.Status.PENDING
    ProgressReport.objects.filter(pk=report.pk).update(
        status=status, error=f"{type(error).__name__}: {error}"[:2000], updated_at=timezone.now()
    )
    history_record_update(report)


def reports_stale(*, now):
    """Reports pending or running past the task time limit: their message or worker was lost."""
    return ProgressReport.objects.filter(
        status__in=[ProgressReport.Status.PENDING, ProgressReport.Status.RUNNING],
        updated_at__lt=now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
    )


def reports_requeue_stale(*, now):
    """Queue the stale reports again (the claim takes them back); returns how many."""
    stale = list(reports_stale(now=now))
    for report in stale:
        _enqueue(report)
    return len(stale)


def reports_in_progress(*, now):
    """Reports still being written; one untouched for two hours is stuck and no longer waited for."""
    return ProgressReport.objects.filter(
        status__in=[ProgressReport.Status.PENDING, ProgressReport.Status.RUNNING],
        updated_at__gte=now - datetime.timedelta(hours=2),
    )


class _Race(Exception):
    """Another planner took some of the same reports first."""


def reports_claim_for_digest(*, now):
    """The scheduled reports that are ready and not yet in a digest, marked delivered with a
    conditional UPDATE so two planners never fold the same report twice. Returns their ids: none
    while a batch is still being written (it goes out together), or when another planner took
    some of them first. Call it in the transaction that writes the digests."""
    if reports_in_progress(now=now).exists():
        return []
    candidates = list(
        ProgressReport.objects.filter(
            status=ProgressReport.Status.READY, delivered_at__isnull=True, requested_by__isnull=True
        ).values_list("pk", flat=True)
    )
    if not candidates:
        return []
    try:
        with transaction.atomic():
            taken = ProgressReport.objects.filter(pk__in=candidates, delivered_at__isnull=True).update(delivered_at=now)
            if taken != len(candidates):
                raise _Race
    except _Race:
        return []
    return candidates


def coordinated_countries():
    """Countries an active coordinator answers for (roles_of's test: an active row, an active
    user, the Coordinadores group) that have cities in the network, as a subquery of codes."""
    return (
        Country.objects.filter(
            coordinators__active=True,
            coordinators__user__is_active=True,
            coordinators__user__groups__name=COORDINATORS_GROUP,
        )
        .filter(Exists(City.objects.in_network().filter(country=OuterRef("pk"))))
        .values("pk")
    )


def scheduled_scope_reports_create(*, kind, today):
    """The pending scope reports of the period that just ended: one per coordinated country and one
    of the network, created before any is queued (with the cities', so the digest waits for the
    whole batch). Returns the scope keys (scope_lookup's) of those not ready yet, and the period."""
    period = last_complete_period(kind, today)
    keys = [
        scope_lookup(scope=ReportScope.COUNTRY, country_id=code)
        for code in Country.objects.filter(pk__in=coordinated_countries()).order_by("pk").values_list("pk", flat=True)
    ] + [scope_lookup(scope=ReportScope.NETWORK)]
    of_period = ProgressReport.objects.filter(kind=kind, period_start=period.start).exclude(scope=ReportScope.CITY)
    rows = of_period.values("pk", "scope", "country_id", "status")
    existing = {(row["scope"], row["country_id"]): row for row in rows}
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(**key, kind=kind, period_start=period.start, period_end=period.end)
            for key in keys
            if (key["scope"], key["country_id"]) not in existing
        ],
        ignore_conflicts=True,  # another fan-out of the same period may run at the same time
    )
    # bulk_create sends no save signal: the audit entries of the new reports are written here.
    ProgressReport.history.bulk_history_create(list(of_period.exclude(pk__in=[row["pk"] for row in existing.values()])))
    ready = {key for key, row in existing.items() if row["status"] == ProgressReport.Status.READY}
    return [key for key in keys if (key["scope"], key["country_id"]) not in ready], period
