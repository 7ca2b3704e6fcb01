"""Action submission throughput, as a fraction of the floor's: the stack's cost of one write.

Starts gunicorn with bench.settings (production's settings, DEBUG=0, plus bench/urls.py's
yardsticks) and drives it from `clients` processes for `seconds` per phase, after a short warm-up:

(a) minimal: anonymous GET /bench/minimal/ in a loop (a plain "ok");
(b) floor: each client logs in once, as a different ambassador, through the login form, then
    loops: GET /bench/floor/<commitment>/ (a Django ModelForm of a few of Action's fields in a
    tiny template, same session, CSRF and login) and POST it, which saves one action and
    redirects (issue 27's floor);
(c) submissions: the same logins, then loops: GET the new-action form of a commitment (they take
    turns), POST it with valid data, a value of an indicator and a link, and the "Guardar y
    enviar a revisión" button (name="submit"). Only a 302 to the new action's page counts;
    anything else (the form again, a 302 to its edit page because the submission lacked data, a
    403, a 500) is an error.

The goal (issue 27): `ratio`, submissions/s ÷ floor submissions/s, at least 0.5; `post_queries`,
the queries of the submission's POST, at most 25; `cpu_ms_per_submission`, gunicorn's and its
PostgreSQL backends' CPU for GET + POST, at most 60 ms. `ratio_minimal` is the older figure
against the minimal view. The queries are counted after the run, in a process of its own (the
Django test client, same settings and database, logged in as the first client): GET and POST of
one submission and of one floor submission, the second of each so that caches are warm.

- Clients are processes, not threads: in one process the GIL would cap the minimal phase.
  They run on the same machine as the server and take CPU from it, so CPU time is measured
  too: gunicorn's and (PostgreSQL on this machine) its database backends' per unit of work,
  the clients', the whole machine's. `cpu_ratio` compares server CPU per floor submission with
  server CPU per submission (`cpu_ratio_minimal`: per minimal request): the ratio the server
  would reach with the machine to itself, steadier than `ratio` on a busy machine.
- gunicorn's sync workers close the connection after every response; http.client then opens a
  new one by itself, so "keep-alive" only helps with other worker classes.
- Plain HTTP on loopback: SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0, through the variables
  config/settings.py reads, so that the client is neither redirected to HTTPS nor given cookies
  it must not send back over HTTP.
- Limits: the login lockout (ambassadors/access.py) counts only failed logins, and each client
  logs in once with the right password; no file is uploaded, so the hourly upload limit does
  not apply either.
- Clean-up: the actions the run created (the bench logins' actions with ids above the largest
  before the run), their audit rows and the clients' sessions are deleted at the end, whatever
  happened. The logins' last_login stays changed.
"""

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.seed import PASSWORD as SCALE_PASSWORD
from bench.submission_clients import MINIMAL_PATH, run_client

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = BASE_DIR / ".venv" / "bin"
# Issue 27's goal for one submission (GET the form, POST it and send it): half the floor's
# throughput at least, at most 25 queries for the POST, 60 ms of server CPU for both.
GOAL_RATIO = 0.5
GOAL_POST_QUERIES = 25
GOAL_CPU_MS = 60
# The published password of the demo's accounts (load_demo); the generated ones' is bench.seed's.
DEMO_PASSWORD = "demo-omcs-2026"  # noqa: S105


# Django, in a process of its own with the server's environment ---------------------------

SNAPSHOT_CODE = """
import json
from django.db.models import Max
from ambassadors.models import Ambassador, City
from commitments.models import Action
logins = list(
    Ambassador.objects.filter(status=Ambassador.Status.ACTIVE, user__is_active=True)
    .order_by("user__username")
    .values_list("user__username", flat=True)
)
print(json.dumps({
    "logins": logins,
    "max_action_id": Action.objects.aggregate(top=Max("pk"))["top"] or 0,
    "actions": Action.objects.count(),
    "cities_with_ambassador": City.objects.filter(ambassadors__status=Ambassador.Status.ACTIVE).distinct().count(),
}))
"""

CLEANUP_CODE = """
import json, sys
from django.contrib.sessions.models import Session
from django.db import transaction
from commitments.models import Action, Evidence
run = json.loads(sys.argv[1])
created = Action.objects.filter(pk__gt=run["max_action_id"], ambassador__user__username__in=run["logins"])
ids = list(created.values_list("pk", flat=True))
with transaction.atomic():
    Action.objects.filter(pk__in=ids).delete()
    # Deleting wrote "-" audit rows: the run leaves no audit trail at all. The focus areas'
    # audit rows point at the action's (DO_NOTHING): they go first.
    Evidence.history.filter(action_id__in=ids).delete()
    histories = Action.history.filter(id__in=ids)
    for relation in histories.model._meta.related_objects:
        relation.related_model.objects.filter(**{f"{relation.field.name}__in": histories}).delete()
    histories.delete()
    sessions, _ = Session.objects.filter(session_key__in=run["sessions"]).delete()
print(json.dumps({"actions_deleted": len(ids), "sessions_deleted": sessions}))
"""


QUERIES_CODE = """
import datetime, json, sys
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bench.submission_clients import CHOOSE_PATH, COMMITMENT_HREF, FLOOR_PATH, _action_template, _form_with
client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="es")
client.force_login(get_user_model().objects.get(username=sys.argv[1]))
commitment = min(int(pk) for pk in COMMITMENT_HREF.findall(client.get(CHOOSE_PATH).content))
day = datetime.date.today() - datetime.timedelta(days=3)
def counted(method, path, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    assert response.status_code in (200, 302), (path, response.status_code)
    return response, len(queries)
def submission(path, data_for):
    page, get_queries = counted("get", path)
    _response, post_queries = counted("post", path, data_for(page.content))
    return {"get": get_queries, "post": post_queries}
def real(content):
    data = {"title": "Jornada de conteo", "started_on": day.isoformat(), "ended_on": day.isoformat(), "submit": ""}
    for name, value in _action_template(*_form_with(content, "title")):
        data.setdefault(name, []).append(value)
    return data
def floor(content):
    return {"title": "Jornada de conteo", "started_on": day.isoformat(), "description": "x", "people_reached": "1"}
found = {}
for _warm in range(2):  # the second of each is counted: a worker's caches are warm
    found["queries"] = submission(f"{CHOOSE_PATH}{commitment}/", real)
    found["floor_queries"] = submission(f"{FLOOR_PATH}{commitment}/", floor)
found["post_queries"], found["get_queries"] = found["queries"]["post"], found["queries"]["get"]
client.logout()  # its session goes
print(json.dumps(found))
"""


def _django(code, env, *args):
    """Run `code` with Django set up (bench.settings, the server's environment); its last line
    of output is JSON."""
    setup = "import django; django.setup()\n"
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [str(VENV_BIN / "python"), "-c", setup + code, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Django helper failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _server_env(*, database_url, redis_url, port, media_root):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY="bench-throwaway-" + secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
        CELERY_TASK_ALWAYS_EAGER="0",
        # A developer's .env must not change what is measured.
        ENV_FILE=str(Path(media_root) / "no.env"),
        # CPU is counted on the processes alive at both ends of a phase: a worker recycled after
        # its max_requests, or a database connection closed at its age, took its CPU with it
        # (the count could come out below zero). Neither happens within a run.
        GUNICORN_MAX_REQUESTS="0",
        CONN_MAX_AGE="3600",
    )
    return env


# gunicorn ---------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(*, env, port, workers, log_path):
    with open(log_path, "ab") as log:
        return subprocess.Popen(  # noqa: S603 (the project's gunicorn, fixed arguments)
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=60",
                "--graceful-timeout=5",
                "--error-logfile=-",
                "--log-level=warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own: stopped as a whole
        )


def _wait_until_answering(server, port, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{_tail(log_path)}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", MINIMAL_PATH)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{_tail(log_path)}")


def _stop_gunicorn(server):
    """TERM to the master (it stops its workers), then KILL to its group if anything is left."""
    if server.poll() is None:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def _tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# CPU accounting ---------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid):
    """User + system CPU seconds of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _gunicorn_cpu(master_pid):
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        children = []
    return _process_cpu(master_pid) + sum(_process_cpu(int(pid)) for pid in children)


def _database_cpu(database):
    """CPU seconds of the PostgreSQL backends serving `database` on this machine (their process
    title names it), or None when the database is elsewhere or not PostgreSQL."""
    if not database:
        return None
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in f"{title} ":
            total += _process_cpu(entry.name)
    return total


def _local_database(database_url):
    """The database's name when it is PostgreSQL on this machine, else None."""
    parts = urllib.parse.urlsplit(database_url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1") or (parts.hostname or "").startswith("/")
    return (parts.path.strip("/") or None) if parts.scheme.startswith("postgres") and local else None


def _cpu_sample(master_pid, database):
    return {"gunicorn": _gunicorn_cpu(master_pid), "database": _database_cpu(database), "machine": _machine_cpu()}


def _machine_cpu():
    """(busy, total) jiffies of the whole machine."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _cpu_busy_percent(interval=1.0):
    busy_before, total_before = _machine_cpu()
    time.sleep(interval)
    busy_after, total_after = _machine_cpu()
    return round(100 * (busy_after - busy_before) / max(total_after - total_before, 1), 1)


def _run_phase(phase, *, port, master_pid, database, clients, logins, warmup, seconds):
    """Start the clients, let them go together, and gather what they measured."""
    context = multiprocessing.get_context("spawn")  # no copy of the caller's state or threads
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    start_at = context.Value("d", 0.0)
    processes = []
    for index in range(clients):
        login, password = logins[index % len(logins)] if logins else (None, None)
        process = context.Process(
            target=run_client,
            args=(phase, index, port, login, password, ready, go, start_at, warmup, seconds, results),
            daemon=True,
        )
        process.start()
        processes.append(process)
    try:
        problems = [problem for _index, problem in (ready.get(timeout=300) for _ in processes) if problem]
        if problems:
            raise RuntimeError("; ".join(problems))
        start_at.value = time.monotonic() + 0.2
        go.set()
        time.sleep(max(start_at.value + warmup - time.monotonic(), 0))
        before = _cpu_sample(master_pid, database)
        time.sleep(max(start_at.value + warmup + seconds - time.monotonic(), 0))
        after = _cpu_sample(master_pid, database)
        gathered = [results.get(timeout=seconds + 120) for _ in processes]
    finally:
        if not go.is_set():  # the clients waiting for the start give up
            start_at.value = -1
            go.set()
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    latencies = [value for row in gathered for value in row["latencies"]]
    errors = sum(row["errors"] for row in gathered)
    first_error = next(
        (row["first_error"] for row in sorted(gathered, key=lambda r: r["index"]) if row["first_error"]), None
    )
    server_cpu = after["gunicorn"] - before["gunicorn"]
    database_cpu = after["database"] - before["database"] if before["database"] is not None else None
    machine_busy = after["machine"][0] - before["machine"][0]
    machine_total = max(after["machine"][1] - before["machine"][1], 1)
    done = len(latencies)
    return {
        "done": done,
        "errors": errors,
        "per_second": done / seconds,
        "latency_ms": _percentiles(latencies),
        "get_latency_ms": _percentiles([value for row in gathered for value in row["get_latencies"]]),
        "first_error": first_error,
        "server_cpu_seconds": round(server_cpu, 2),
        "server_cpu_ms_each": round(1000 * server_cpu / done, 2) if done else None,
        "database_cpu_ms_each": round(1000 * database_cpu / done, 2) if done and database_cpu is not None else None,
        "client_cpu_seconds": round(sum(row["client_cpu"] for row in gathered), 2),
        "machine_busy_percent": round(100 * machine_busy / machine_total, 1),
        "sessions": [key for row in gathered for key in row["sessions"] if key],
        "created": sum(row["created"] for row in gathered),
    }


def _percentiles(seconds):
    if not seconds:
        return {"median": None, "p95": None}
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"median": round(1000 * statistics.median(ordered), 1), "p95": round(1000 * p95, 1)}


def _password_for(login):
    return SCALE_PASSWORD if login.startswith("scale.") else DEMO_PASSWORD


# The measurement --------------------------------------------------------------------------


def measure_submissions(*, database_url, redis_url, workers=None, clients=8, seconds=15, warmup=2.0):
    """Minimal view, floor, then action submissions, on one gunicorn, and the queries of one
    submission; returns the figures (JSON-ready).

    Logs in as ambassadors of generated data (scale.amb.*) when there are, else of the demo;
    with fewer ambassadors than clients, some share a login (each with a session of its own).
    """
    workers = workers or 2 * (os.cpu_count() or 1) + 1
    port = _free_port()
    work = Path(tempfile.mkdtemp(prefix="omcs-bench-submissions-"))
    log_path = work / "gunicorn.log"
    env = _server_env(database_url=database_url, redis_url=redis_url, port=port, media_root=work / "media")
    snapshot = _django(SNAPSHOT_CODE, env)
    names = [name for name in snapshot["logins"] if name.startswith("scale.")] or snapshot["logins"]
    if not names:
        raise RuntimeError("no ambassador in office to log in as: load the demo or run bench.seed first")
    logins = [(name, _password_for(name)) for name in names[:clients]]
    result = {
        "workers": workers,
        "clients": clients,
        "seconds": seconds,
        "warmup_seconds": warmup,
        "cores": os.cpu_count(),
        "data": {
            "actions_before": snapshot["actions"],
            "cities_with_ambassador": snapshot["cities_with_ambassador"],
            "logins": [name for name, _password in logins],
        },
        "log": str(log_path),
    }
    sessions = []
    server = None
    try:
        result["cpu_busy_before_percent"] = _cpu_busy_percent()
        server = _start_gunicorn(env=env, port=port, workers=workers, log_path=log_path)
        _wait_until_answering(server, port, log_path)
        common = {
            "port": port,
            "master_pid": server.pid,
            "database": _local_database(database_url),
            "clients": clients,
            "warmup": warmup,
            "seconds": seconds,
        }
        minimal = _run_phase("minimal", logins=None, **common)
        floor = _run_phase("floor", logins=logins, **common)
        submissions = _run_phase("submissions", logins=logins, **common)
        sessions = floor.pop("sessions") + submissions.pop("sessions")
        minimal.pop("sessions")
        minimal.pop("created")
        minimal.pop("get_latency_ms")
        result["minimal"] = {
            "requests": minimal.pop("done"),
            "requests_per_second": round(minimal.pop("per_second"), 1),
            **minimal,
        }
        for name, phase in (("floor", floor), ("submissions", submissions)):
            result[name] = {
                "submissions": phase.pop("done"),
                "submissions_per_second": round(phase.pop("per_second"), 2),
                "post_latency_ms": phase.pop("latency_ms"),
                "get_form_latency_ms": phase.pop("get_latency_ms"),
                "actions_created": phase.pop("created"),
                **phase,
            }
        result.update(_ratios(result))
        result.update(_django(QUERIES_CODE, env, logins[0][0]))
        result.update(_goals(result))
        server_errors = _tail(log_path, 2000).count("Internal Server Error")
        result["server_errors_logged"] = server_errors
    finally:
        if server is not None:
            _stop_gunicorn(server)
        cleanup_args = {
            "max_action_id": snapshot["max_action_id"],
            "logins": [n for n, _p in logins],
            "sessions": sessions,
        }
        result["cleanup"] = _django(CLEANUP_CODE, env, json.dumps(cleanup_args))
    return result


def _server_cpu_ms(phase):
    """Server CPU per unit of work: gunicorn's and, when local, its PostgreSQL backends'."""
    return (phase["server_cpu_ms_each"] or 0) + (phase["database_cpu_ms_each"] or 0)


def _ratios(result):
    """Submissions against the floor (the goal) and against the minimal view, in throughput and
    in server CPU per unit of work: what the ratio would be with the machine to the server alone
    (the clients, and whatever else runs, take their share of the CPU)."""
    submission_cpu = _server_cpu_ms(result["submissions"])
    per_second = result["submissions"]["submissions_per_second"]
    figures = {"cpu_ms_per_submission": round(submission_cpu, 1) if submission_cpu else None}
    for name, key, suffix in (("floor", "submissions_per_second", ""), ("minimal", "requests_per_second", "_minimal")):
        yardstick = result[name][key]
        figures[f"ratio{suffix}"] = round(per_second / yardstick, 4) if yardstick else 0.0
        yardstick_cpu = _server_cpu_ms(result[name])
        figures[f"cpu_ratio{suffix}"] = (
            round(yardstick_cpu / submission_cpu, 4) if yardstick_cpu and submission_cpu else None
        )
    figures["cpu_ms_per_floor_submission"] = round(_server_cpu_ms(result["floor"]), 1) or None
    return figures


def _goals(result):
    goals = {"ratio": GOAL_RATIO, "post_queries": GOAL_POST_QUERIES, "cpu_ms_per_submission": GOAL_CPU_MS}
    cpu = result["cpu_ms_per_submission"]
    met = {
        "ratio": result["ratio"] >= GOAL_RATIO,
        "post_queries": result["post_queries"] <= GOAL_POST_QUERIES,
        "cpu_ms_per_submission": cpu is not None and cpu <= GOAL_CPU_MS,
    }
    return {"goals": goals, "goals_met": met, "meets_goal": all(met.values())}


def _latency(figures):
    return f"median {figures['median']} ms, p95 {figures['p95']} ms"


def _report(result):
    minimal, floor, submissions, data = result["minimal"], result["floor"], result["submissions"], result["data"]
    logins = ", ".join(data["logins"][:3]) + (" …" if len(data["logins"]) > 3 else "")
    met = {name: "met" if done else "NOT met" for name, done in result["goals_met"].items()}
    goals = result["goals"]
    lines = [
        f"Setup      : gunicorn {result['workers']} sync workers, {result['clients']} clients, "
        f"{result['seconds']} s per phase after {result['warmup_seconds']} s of warm-up, {result['cores']} cores "
        f"(CPU {result['cpu_busy_before_percent']} % busy before)",
        f"Data       : {data['actions_before']} actions, {data['cities_with_ambassador']} cities with an "
        f"ambassador; logins {logins}",
        f"Minimal    : {minimal['requests_per_second']} requests/s ({minimal['requests']} requests, "
        f"{minimal['errors']} errors), latency {_latency(minimal['latency_ms'])}",
    ]
    for name, phase in (("Floor", floor), ("Submissions", submissions)):
        lines.append(
            f"{name:<11}: {phase['submissions_per_second']} submissions/s ({phase['submissions']} "
            f"submissions, {phase['errors']} errors), GET form {_latency(phase['get_form_latency_ms'])}, "
            f"POST {_latency(phase['post_latency_ms'])}"
        )
    lines += [
        f"Ratio      : {result['ratio']:.3f} of the floor (goal at least {goals['ratio']}: {met['ratio']}); "
        f"in server CPU per unit of work {result['cpu_ratio']}; {result['ratio_minimal']:.3f} of the minimal view",
        f"Queries    : submission GET {result['get_queries']}, POST {result['post_queries']} (goal at most "
        f"{goals['post_queries']}: {met['post_queries']}); floor GET {result['floor_queries']['get']}, "
        f"POST {result['floor_queries']['post']}",
        f"Server CPU : {result['cpu_ms_per_submission']} ms per submission (goal at most "
        f"{goals['cpu_ms_per_submission']}: {met['cpu_ms_per_submission']}), "
        f"{result['cpu_ms_per_floor_submission']} ms per floor submission",
    ]
    for name, phase in (("Minimal", minimal), ("Floor", floor), ("Submissions", submissions)):
        lines.append(
            f"CPU        : {name.lower()}: gunicorn {phase['server_cpu_ms_each']} ms and PostgreSQL "
            f"{phase['database_cpu_ms_each']} ms per {'request' if phase is minimal else 'submission'}, "
            f"clients {phase['client_cpu_seconds']} s in all, "
            f"machine {phase['machine_busy_percent']} % busy"
        )
    for name, phase in (("minimal", minimal), ("floor", floor), ("submission", submissions)):
        if phase["first_error"]:
            lines.append(f"First {name} error: {phase['first_error']}")
    if result["server_errors_logged"]:
        lines.append(f"Server errors logged: {result['server_errors_logged']} (see {result['log']})")
    cleanup = result["cleanup"]
    lines.append(
        f"Clean-up   : {cleanup['actions_deleted']} actions and {cleanup['sessions_deleted']} sessions deleted"
    )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""), help="default: $REDIS_URL")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 x cores + 1)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per phase before measuring")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("set DATABASE_URL or --database-url (a database the bench may write to)")
    result = measure_submissions(
        database_url=args.database_url,
        redis_url=args.redis_url,
        workers=args.workers,
        clients=args.clients,
        seconds=args.seconds,
        warmup=args.warmup,
    )
    print(json.dumps(result, indent=2) if args.json else _report(result))  # noqa: T201
    return 0 if all(result[phase]["errors"] == 0 for phase in ("minimal", "floor", "submissions")) else 1


if __name__ == "__main__":
    sys.exit(main())
