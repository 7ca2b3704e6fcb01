"""Progress reports at scale: one city's monthly report in-process, then every city's through two
real Celery workers on Redis, with the workers' memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omcs_bench_dev REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python -m bench.reports [--period 2026-10] [--repetitions 7] [--pdf-cities 100]

The database must already hold the data (python -m bench.seed). The bench leaves no trace: the
in-process runs are rolled back, and the rows, history and files of the reports the workers write
are deleted at the end (also on Ctrl-C); the files go to a temporary MEDIA_ROOT. Cities that
already have a report for the period are left alone (not regenerated). Linux only: the workers'
memory is read from /proc.
"""

import argparse
import datetime
import json
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
KIND = "month"
QUEUE = "omcs-bench-reports"  # purged before and after: nothing else may use it
WORKER_NAMES = ("bench1", "bench2")
BENCH_USERNAME = "omcs-bench"  # requester of the bench's reports: marks them, and keeps them out of digests
SAMPLE_INTERVAL = 0.2
POLL_INTERVAL = 0.25
ROLES = ("main", "pool", "subprocess")  # a worker's processes by depth in its tree


# Environment and Django.


def _bench_environment(*, database_url, redis_url, media_root):
    """The variables the bench process and its workers share. Production-like by default (DEBUG
    off, with a throwaway key); what the caller's environment already says wins, except the
    database, the broker and the media folder, which are the bench's."""
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(32).hex())
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    return {**os.environ, "MEDIA_ROOT": str(media_root)}


def _setup_django(*, database_url, redis_url):
    """django.setup() with the bench's database and broker, or a check that the caller's setup
    already uses them."""
    import django
    import environ
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.conf import settings

    wanted = environ.Env.db_url_config(database_url)
    actual = settings.DATABASES["default"]
    if "postgresql" not in actual["ENGINE"]:
        raise RuntimeError(f"The report bench measures PostgreSQL, not {actual['ENGINE']}.")
    if any(str(wanted.get(key) or "") != str(actual.get(key) or "") for key in ("NAME", "HOST", "PORT")):
        raise RuntimeError(f"Django is already set up with another database ({actual['NAME']}), not {database_url}.")
    if redis_url != settings.REDIS_URL:
        raise RuntimeError(f"Django is already set up with another broker ({settings.REDIS_URL!r}), not {redis_url}.")
    from config.celery import app

    app.conf.task_always_eager = False


# Figures.


def _percentile(values, fraction):
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _timings(cold, values):
    return {
        "cold_ms": round(cold, 1),
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(_percentile(values, 0.95), 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def _approved_counts(period):
    """{city id: approved actions started in the period} and {city id: approved actions}."""
    from django.db.models import Count, Q

    from commitments.models import Action

    rows = (
        Action.objects.approved()
        .values("city")
        .annotate(total=Count("pk"), in_period=Count("pk", filter=Q(started_on__range=(period.start, period.end))))
        .order_by()
    )
    return {row["city"]: row["in_period"] for row in rows}, {row["city"]: row["total"] for row in rows}


def _run_cities(period):
    """The cities the scheduled fan-out would write this period's report for (services.due_cities:
    an ambassador in office during it), without those that already have a report of the period,
    which the bench leaves alone. Returns (city ids, ids left alone)."""
    from reports import services
    from reports.models import ProgressReport

    due, _period = services.due_cities(kind=KIND, today=period.end + datetime.timedelta(days=1))
    existing = set(
        ProgressReport.objects.filter(kind=KIND, period_start=period.start)
        .exclude(requested_by__username=BENCH_USERNAME)
        .values_list("city_id", flat=True)
    )
    due_ids = list(due.values_list("pk", flat=True))
    return [pk for pk in due_ids if pk not in existing], [pk for pk in due_ids if pk in existing]


def _representative_cities(run_ids, in_period, total):
    """The busiest city of the database (most approved actions in the period, then overall); among
    the cities the workers write, the median of those active in the period (most have no action in
    a month) and the quietest."""
    ranked_all = sorted(total, key=lambda pk: (in_period.get(pk, 0), total[pk], -pk))
    pool = sorted(run_ids or ranked_all, key=lambda pk: (in_period.get(pk, 0), total.get(pk, 0), -pk))
    active = [pk for pk in pool if in_period.get(pk, 0)] or pool
    chosen = {}
    if ranked_all:
        chosen[ranked_all[-1]] = "busiest"
    if pool:
        chosen.setdefault(active[len(active) // 2], "median")
        chosen.setdefault(pool[0], "quietest")
    return chosen


# 1. One city's report, in-process.


def _generate_once(city_id, period, *, with_pdf):
    """Claim and generate one report as the task does, then roll it all back and delete its files.
    Returns (milliseconds, CPU milliseconds of this process, queries of the claim, of the generation)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reports import services

    report = None
    try:
        with transaction.atomic():
            started, cpu_started = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as claim_queries:
                report = services.report_claim(city_id=city_id, kind=KIND, period_start=period.start, force=True)
            if report is None:
                raise RuntimeError(f"The report of city {city_id} is being written by a worker right now.")
            with CaptureQueriesContext(connection) as generate_queries:
                services.report_generate(report, with_pdf=with_pdf)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu_started) * 1000
            transaction.set_rollback(True)
    finally:
        for _format, field in report.files() if report else []:
            field.storage.delete(field.name)  # rolled back rows, but files written all the same
    return elapsed, cpu, len(claim_queries), len(generate_queries)


def measure_one_city(city_id, period, *, repetitions):
    """Without and with the PDF: a first (cold) run, then `repetitions` timed runs."""
    figures = {}
    for with_pdf in (False, True):
        cold, _cpu, claim_queries, generate_queries = _generate_once(city_id, period, with_pdf=with_pdf)
        values, cpu = [], []
        for _repetition in range(repetitions):
            elapsed, used, claim_queries, generate_queries = _generate_once(city_id, period, with_pdf=with_pdf)
            values.append(elapsed)
            cpu.append(used)
        figures["with_pdf" if with_pdf else "without_pdf"] = {
            **_timings(cold, values),
            "cpu_median_ms": round(statistics.median(cpu), 1),  # Python's; PostgreSQL's is not in it
            "claim_queries": claim_queries,
            "queries": generate_queries,
        }
    return figures


# 3. The workers' memory, from /proc.


def _children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def process_tree(pid):
    """[(pid, depth)] of `pid` and its descendants: a prefork worker's main process (0), its pool
    processes (1) and what those run (2: ldconfig, gcc and ld, as ctypes looks for WeasyPrint's
    libraries on the first PDF)."""
    tree, pending = [], [(pid, 0)]
    while pending:
        current, depth = pending.pop()
        tree.append((current, depth))
        pending.extend((child, depth + 1) for child in _children(current))
    return tree


def _status_kib(pid, *fields):
    """Fields of /proc/<pid>/status in KiB (VmRSS, VmHWM), None when the process is gone."""
    values = dict.fromkeys(fields)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _sep, rest = line.partition(":")
            if key in values:
                values[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return dict.fromkeys(fields)
    return values


def _pss_kib(pid):
    """Proportional set size: shared pages (a fork's copy-on-write ones) divided among their users."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cpu_seconds(pid):
    """User + system CPU time of `pid` and of its children it has waited for, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _tree_cpu_seconds(workers):
    return sum(_cpu_seconds(pid) for root in workers.values() for pid, _depth in process_tree(root))


class ProcessSampler:
    """Every SAMPLE_INTERVAL, the RSS (and PSS) of each process of each worker's tree, in a thread;
    and the CPU time the trees used meanwhile (it does not grow when other work on the machine
    slows them, unlike the wall time)."""

    def __init__(self, workers):
        self.workers = workers  # {name: root pid}
        self.peaks = {}  # pid -> (worker name, role, peak RSS KiB)
        self.peak_total_rss = self.peak_total_pss = 0
        self.samples = 0
        self.cpu_seconds = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def __enter__(self):
        self._cpu_before = _tree_cpu_seconds(self.workers)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.cpu_seconds = _tree_cpu_seconds(self.workers) - self._cpu_before

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_INTERVAL)

    def sample(self):
        total_rss = total_pss = 0
        for name, root in self.workers.items():
            for pid, depth in process_tree(root):
                rss = _status_kib(pid, "VmRSS")["VmRSS"]
                if rss is None:
                    continue
                role = ROLES[min(depth, len(ROLES) - 1)]
                _name, _role, peak = self.peaks.get(pid, (name, role, 0))
                self.peaks[pid] = (name, role, max(peak, rss))
                total_rss += rss
                total_pss += _pss_kib(pid) or 0
        self.peak_total_rss = max(self.peak_total_rss, total_rss)
        self.peak_total_pss = max(self.peak_total_pss, total_pss)
        self.samples += 1

    def figures(self):
        """Peaks of this sampling, and each process's VmHWM (its peak since it started)."""
        processes = []
        order = {role: index for index, role in enumerate(ROLES)}
        for pid, (name, role, peak) in sorted(self.peaks.items(), key=lambda item: (item[1][0], order[item[1][1]])):
            hwm = _status_kib(pid, "VmHWM")["VmHWM"]
            processes.append(
                {
                    "worker": name,
                    "role": role,
                    "pid": pid,
                    "peak_rss_mib": round(peak / 1024, 1),
                    "hwm_mib": None if hwm is None else round(hwm / 1024, 1),
                }
            )
        return {
            "processes": processes,
            "peak_total_rss_mib": round(self.peak_total_rss / 1024, 1),
            "peak_total_pss_mib": round(self.peak_total_pss / 1024, 1),
            "samples": self.samples,
            "cpu_s": round(self.cpu_seconds, 2),
        }


# 2. Every city's report through two Celery workers.


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
    """Every run city's report without its PDF, then (optionally) a sample's with it, through
    two workers whose memory is sampled meanwhile."""
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


# The whole bench.


def measure_reports(
    *,
    database_url,
    redis_url,
    period_start=None,
    with_pdf_sample=True,
    repetitions=7,
    pdf_cities=100,
    timeout=3600,
    progress=None,
):
    """Measure the monthly report of the period holding `period_start` (a date or "YYYY-MM-DD";
    None: the last complete month) on the seeded database: one city's in-process (a few cities,
    without and with the PDF), then every due city's through two Celery workers (without the PDF;
    with it for a stratified sample of `pdf_cities` cities, None for all, when `with_pdf_sample`).
    Prints a table on stdout and progress on stderr (or to `progress`); returns the figures."""
    progress = progress or _to_stderr
    if isinstance(period_start, str):
        period_start = datetime.date.fromisoformat(period_start)
    load_before = os.getloadavg()[0]  # other work on the machine skews the figures
    media_root = Path(tempfile.mkdtemp(prefix="omcs-bench-media-"))
    log_folder = Path(tempfile.mkdtemp(prefix="omcs-bench-logs-"))
    keep_logs = False  # when the run breaks
    try:
        environment = _bench_environment(database_url=database_url, redis_url=redis_url, media_root=media_root)
        _setup_django(database_url=database_url, redis_url=redis_url)
        # The report's CSS has rules WeasyPrint ignores, with a warning per PDF: noise in the table.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        from django.conf import settings
        from django.test.utils import override_settings
        from django.utils import timezone

        from ambassadors.models import City
        from reports.periods import last_complete_period, period_of

        period = period_of(KIND, period_start) if period_start else last_complete_period(KIND, timezone.localdate())
        with override_settings(MEDIA_ROOT=media_root):
            leftovers = delete_bench_reports()  # a crashed run's
            in_period, total = _approved_counts(period)
            run_ids, left_alone = _run_cities(period)
            names = dict(City.objects.filter(pk__in=[*total, *run_ids]).values_list("pk", "name"))
            data = {
                "cities": City.objects.count(),
                "cities_with_approved_actions": len(total),
                "approved_actions": sum(total.values()),
                "approved_in_period": sum(in_period.values()),
                "run_cities": len(run_ids),
                "cities_left_alone": len(left_alone),
                "leftover_reports_deleted": leftovers,
            }
            single = []
            for city_id, role in _representative_cities(run_ids, in_period, total).items():
                progress(f"In-process: {role} city {names.get(city_id, city_id)}")
                single.append(
                    {
                        "role": role,
                        "city_id": city_id,
                        "city": names.get(city_id, str(city_id)),
                        "approved_in_period": in_period.get(city_id, 0),
                        "approved_total": total.get(city_id, 0),
                        **measure_one_city(city_id, period, repetitions=repetitions),
                    }
                )
            try:
                workers = measure_workers(
                    run_ids,
                    period,
                    in_period,
                    environment=environment,
                    log_folder=log_folder,
                    with_pdf_sample=with_pdf_sample,
                    pdf_cities=pdf_cities,
                    timeout=timeout,
                    progress=progress,
                )
            finally:
                delete_bench_reports()
    except Exception:
        keep_logs = any(log_folder.iterdir())
        if keep_logs:
            progress(f"The workers' logs are kept in {log_folder}")
        raise
    finally:
        shutil.rmtree(media_root, ignore_errors=True)
        if not keep_logs:
            shutil.rmtree(log_folder, ignore_errors=True)
    result = {
        "period": {"kind": KIND, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "data": data,
        "repetitions": repetitions,
        "single_city": single,
        "celery": workers,
        "platform": {
            "cpus": os.cpu_count(),
            "load_average_1m_before": round(load_before, 2),
            "load_average_1m_after": round(os.getloadavg()[0], 2),
            "debug": settings.DEBUG,
            "database": settings.DATABASES["default"]["NAME"],
            "broker": redis_url,
        },
    }
    print_table(result)
    return result


def _to_stderr(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


TIMING_COLUMNS = (("median_ms", 6), ("p95_ms", 4), ("cpu_median_ms", 4), ("cold_ms", 5))


def _ms(figures, key):
    return "-" if figures.get(key) is None else f"{figures[key]:.0f}"


def print_table(result):
    data, celery, platform = result["data"], result["celery"], result["platform"]
    out = [
        f"Monthly reports of {result['period']['start'][:7]} ({platform['database']}, "
        f"DEBUG={int(platform['debug'])}, {platform['cpus']} CPUs, load average "
        f"{platform['load_average_1m_before']} before, {platform['load_average_1m_after']} after)",
        f"Data: {data['cities']} cities, {data['cities_with_approved_actions']} with approved actions; "
        f"{data['approved_actions']} approved actions, {data['approved_in_period']} in the period; "
        f"{data['run_cities']} due cities",
    ]
    if data["cities_left_alone"]:
        out.append(f"      ({data['cities_left_alone']} more due cities already had a report: left alone)")
    out += ["", f"One city in-process: report_claim + report_generate, {result['repetitions']} runs after a cold one"]
    header = (
        f"{'city':<24} {'role':<9} {'actions':>7} {'queries':>7}  "
        f"{'no PDF: median  p95  CPU  cold':>30}  {'PDF: median  p95  CPU  cold':>28}"
    )
    out += [header, "-" * len(header)]

    def timings(figures):
        return " ".join(_ms(figures, key).rjust(width) for key, width in TIMING_COLUMNS)

    for row in result["single_city"]:
        plain, pdf = row["without_pdf"], row["with_pdf"]
        out.append(
            f"{row['city'][:24]:<24} {row['role']:<9} {row['approved_in_period']:>7} "
            f"{plain['claim_queries'] + plain['queries']:>7}  {timings(plain):>30}  {timings(pdf):>28}"
        )
    out.append(
        "(ms; actions: approved in the period; queries: the claim's + the generation's, the same with or without "
        "PDF;\n CPU: the bench process's, without PostgreSQL's; median city: of those with an action in the period)"
    )
    out += ["", f"All due cities through {celery['workers']} Celery workers (prefork, concurrency 1, Redis)"]
    for label, run in (("without PDF", celery["without_pdf"]), ("with PDF", celery["with_pdf"])):
        if run is None:
            continue
        memory = run["memory"]
        wall = "-" if run["wall_s"] is None else f"{run['wall_s']:.1f} s"
        line = (
            f"  {label:<12} {run['reports']:>5} reports in {wall}: {run['reports_per_s'] or '-'} reports/s, "
            f"{run['failed']} failed, {run['unfinished']} unfinished"
        )
        if run.get("of_cities") and run["reports"] < run["of_cities"]:
            line += (
                f"\n  {'':<12} a sample of the {run['of_cities']}: all would take ~{run['extrapolated_wall_s']} s "
                "(extrapolated)"
            )
        out.append(line)
        out.append(
            f"  {'':<12} worker CPU {memory['cpu_s']} s, {run['worker_cpu_ms_per_report']} ms per report; "
            f"peak total RSS {memory['peak_total_rss_mib']} MiB (PSS {memory['peak_total_pss_mib']} MiB)"
        )
        for process in memory["processes"]:
            out.append(
                f"  {'':<14} {process['worker']} {process['role']:<10} pid {process['pid']:<8} "
                f"peak RSS {process['peak_rss_mib']:>6} MiB, VmHWM "
                + ("(exited)" if process["hwm_mib"] is None else f"{process['hwm_mib']} MiB")
            )
        for error in run["errors"]:
            out.append(f"  {'':<12} error: {error[:150]}")
    out.append(
        f"(memory and CPU from /proc, Linux only: RSS sampled every {SAMPLE_INTERVAL} s; PSS shares the pages a "
        "fork shares;\n VmHWM is each process's peak since the workers started)"
    )
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--period", help="month as YYYY-MM (default: the last complete month)")
    parser.add_argument("--repetitions", type=int, default=7, help="timed runs per city and mode (default 7)")
    parser.add_argument("--pdf-cities", type=int, default=100, help="cities whose PDF the workers write (0: none)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for each worker run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args(argv)
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not database_url or not redis_url:
        parser.error("set DATABASE_URL (PostgreSQL, seeded) and REDIS_URL (the broker)")
    period_start = datetime.date.fromisoformat(f"{options.period}-01") if options.period else None
    # A TERM stops the run as Ctrl-C does: the finally blocks stop the workers and clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        result = measure_reports(
            database_url=database_url,
            redis_url=redis_url,
            period_start=period_start,
            with_pdf_sample=options.pdf_cities > 0,
            repetitions=options.repetitions,
            pdf_cities=options.pdf_cities,
            timeout=options.timeout,
        )
    except KeyboardInterrupt:
        _to_stderr("Interrupted: the workers are stopped and what the bench wrote is deleted.")
        return 130
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
