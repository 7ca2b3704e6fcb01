"""Every city's monthly report through two real Celery workers on Redis, with the workers'
memory and CPU: the second half of bench/reports.py. Django is set up by the caller."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from bench.process_memory import ProcessSampler

BASE_DIR = Path(__file__).resolve().parent.parent
KIND = "month"
QUEUE = "omcs-bench-reports"  # purged before and after: nothing else may use it
WORKER_NAMES = ("bench1", "bench2")
BENCH_USERNAME = "omcs-bench"  # requester of the bench's reports: marks them, and keeps them out of digests
POLL_INTERVAL = 0.25


class Workers:
    """Two `celery -A config worker` processes (prefork, one pool process each) on QUEUE, each in a
    session of its own so that a Ctrl-C reaches the bench, which stops them cleanly."""

    def __init__(self, environment, log_folder):
        self.environment = environment
        self.log_folder = log_folder
        self.processes = {}
        self.hostname = socket.gethostname()

    def start(self):
        for name in WORKER_NAMES:
            command = [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool=prefork", "--concurrency=1", "-Q", QUEUE,
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                f"--hostname={name}@%h", "--loglevel=WARNING",
            ]  # fmt: skip
            with open(self.log_folder / f"{name}.log", "ab") as log:
                self.processes[name] = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                    command,
                    cwd=BASE_DIR,
                    env=self.environment,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

    def wait_ready(self, timeout=60):
        """Until both answer a ping (they have connected to the broker and consume)."""
        from config.celery import app

        names = {f"{name}@{self.hostname}" for name in WORKER_NAMES}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"Worker {name} stopped at start: see {self.log_folder / name}.log")
            replies = app.control.ping(destination=sorted(names), timeout=1.0)
            if names <= {name for reply in replies for name in reply}:
                return
        raise RuntimeError(f"The workers did not answer within {timeout} s: see the logs in {self.log_folder}")

    @property
    def pids(self):
        return {name: process.pid for name, process in self.processes.items()}

    def stop(self, timeout=60):
        """TERM (warm shutdown: a task under way finishes, unstarted messages go back to the queue),
        then KILL to each worker's own process group if it has not gone in time."""
        for process in self.processes.values():
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = {}


def purge_queue():
    from config.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.queue_purge(QUEUE) or 0


def _bench_user():
    """An inactive account that requests the bench's reports: it tells them from any other (a
    crashed run's leftovers are found by it) and a requested report is folded into no digest email."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(username=BENCH_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def delete_bench_reports():
    """The bench's report rows (from this run or a crashed one), their history and files, and its
    account. Returns how many reports were deleted."""
    from django.contrib.auth import get_user_model

    from reports.models import ProgressReport

    reports = list(ProgressReport.objects.filter(requested_by__username=BENCH_USERNAME))
    for report in reports:
        for _format, field in report.files():
            field.storage.delete(field.name)
    ids = [report.pk for report in reports]
    ProgressReport.objects.filter(pk__in=ids).delete()
    ProgressReport.history.model.objects.filter(id__in=ids).delete()  # the claims' and the deletion's records
    get_user_model().objects.filter(username=BENCH_USERNAME).delete()
    return len(ids)


def _create_reports(city_ids, period, user):
    """Pending reports of the cities, requested by the bench's account, before any is queued."""
    from reports.models import ProgressReport

    ProgressReport.objects.bulk_create(
        ProgressReport(city_id=pk, kind=KIND, period_start=period.start, period_end=period.end, requested_by=user)
        for pk in city_ids
    )
    return dict(
        ProgressReport.objects.filter(kind=KIND, period_start=period.start, requested_by=user).values_list(
            "city_id", "pk"
        )
    )


def _run_batch(city_ids, report_ids, period, *, with_pdf, timeout, progress):
    """Queue one generate_city_report per city on QUEUE (as generate_due_reports fans out, forced),
    and poll the database until every report is ready or failed, or `timeout` seconds."""
    from django.db.models import Count, Max
    from django.utils import timezone

    from reports.models import ProgressReport
    from reports.tasks import generate_city_report

    Status = ProgressReport.Status
    ids = [report_ids[pk] for pk in city_ids]
    ProgressReport.objects.filter(pk__in=ids).update(status=Status.PENDING, error="")
    first_enqueue = timezone.now()
    started = time.monotonic()
    for city_id in city_ids:
        generate_city_report.apply_async(
            (city_id, KIND, period.start.isoformat()), {"force": True, "with_pdf": with_pdf}, queue=QUEUE
        )
    enqueue_s = time.monotonic() - started
    counts, shown = {}, 0.0
    while time.monotonic() - started < timeout:
        counts = dict(
            ProgressReport.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk")).order_by()
        )
        done = counts.get(Status.READY, 0) + counts.get(Status.FAILED, 0)
        if time.monotonic() - shown >= 5:
            progress(
                f"  {done}/{len(ids)} done ({counts.get(Status.FAILED, 0)} failed), {time.monotonic() - started:.0f} s"
            )
            shown = time.monotonic()
        if done == len(ids):
            break
        time.sleep(POLL_INTERVAL)
    finished = ProgressReport.objects.filter(pk__in=ids, status__in=[Status.READY, Status.FAILED])
    last_done = finished.aggregate(last=Max("updated_at"))["last"]
    errors = list(finished.filter(status=Status.FAILED).values_list("error", flat=True).order_by().distinct()[:3])
    ready, failed = counts.get(Status.READY, 0), counts.get(Status.FAILED, 0)
    wall = (last_done - first_enqueue).total_seconds() if last_done else None
    return {
        "reports": len(ids),
        "ready": ready,
        "failed": failed,
        "unfinished": len(ids) - ready - failed,
        "enqueue_s": round(enqueue_s, 2),
        "wall_s": None if wall is None else round(wall, 2),
        "reports_per_s": round((ready + failed) / wall, 2) if wall else None,
        "errors": errors,
    }


def _per_report(cpu_seconds, run):
    done = run["ready"] + run["failed"]
    return round(cpu_seconds * 1000 / done, 1) if done else None


def _stratified(city_ids, in_period, size):
    """`size` cities spread evenly over the run's cities ranked by approved actions in the period,
    so a sample's cost extrapolates to the whole run."""
    if size is None or size >= len(city_ids):
        return list(city_ids)
    ranked = sorted(city_ids, key=lambda pk: (in_period.get(pk, 0), pk))
    return [ranked[int((index + 0.5) * len(ranked) / size)] for index in range(size)]


def measure_workers(
    city_ids, period, in_period, *, environment, log_folder, with_pdf_sample, pdf_cities, timeout, progress
):
    """Every run city's report without its PDF, then (when `with_pdf_sample`) with it, every city's
    or a stratified sample of `pdf_cities`, through two workers whose memory is sampled meanwhile."""
    if not city_ids:
        return {"workers": 0, "concurrency": 1, "queue": QUEUE, "without_pdf": None, "with_pdf": None}
    purge_queue()
    report_ids = _create_reports(city_ids, period, _bench_user())
    workers = Workers(environment, log_folder)
    try:
        workers.start()
        workers.wait_ready()
        progress(f"Workers ready; {len(city_ids)} reports without PDF")
        with ProcessSampler(workers.pids) as sampler:
            without_pdf = _run_batch(city_ids, report_ids, period, with_pdf=False, timeout=timeout, progress=progress)
        without_pdf["memory"] = sampler.figures()
        without_pdf["worker_cpu_ms_per_report"] = _per_report(sampler.cpu_seconds, without_pdf)
        with_pdf = None
        if with_pdf_sample and city_ids:
            sample = _stratified(city_ids, in_period, pdf_cities)
            progress(f"{len(sample)} reports with PDF")
            with ProcessSampler(workers.pids) as sampler:
                with_pdf = _run_batch(sample, report_ids, period, with_pdf=True, timeout=timeout, progress=progress)
            with_pdf["memory"] = sampler.figures()
            with_pdf["worker_cpu_ms_per_report"] = _per_report(sampler.cpu_seconds, with_pdf)
            with_pdf["of_cities"] = len(city_ids)
            # The whole run's time: measured when the sample is every city, else scaled from the sample.
            with_pdf["extrapolated_wall_s"] = (
                round(with_pdf["wall_s"] * len(city_ids) / len(sample), 1) if with_pdf["wall_s"] else None
            )
    finally:
        workers.stop()
        purge_queue()
    return {
        "workers": len(WORKER_NAMES),
        "concurrency": 1,
        "queue": QUEUE,
        "without_pdf": without_pdf,
        "with_pdf": with_pdf,
    }
