"""`make prod-check`: the production settings booted on loopback, as two hosts, and a working day
run through them while processes die.

A fresh database (omcs_prodcheck) with the catalogue and the demo, DEBUG=0, PostgreSQL, Redis
(DB 12, cache 13), emails written to files. Two gunicorns on two ports are the two web hosts; two
Celery workers with host names of their own (reports@prodcheck on the reports queue,
mail@prodcheck on the default queue) and beat. The demo's ambassadors and coordinator log in and
work through both hosts alternately; one gunicorn (master and workers) and the mail worker are
killed with SIGKILL in the middle; requests refused by the dead host go to the other one; the
killed processes start again (as systemd's Restart=always does), the sweeps run as beat runs them
later, and then the database and the mail folder are counted: every action, decision email and
report exactly once. Prints what it checked; exits 1 on any loss or duplicate.

    .venv/bin/python -m ops.prod_check [--actions 12] [--keep]
"""

import argparse
import datetime
import os
import secrets
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from ops import prod_counts
from ops.processes import BIN, Processes, database_drop, database_recreate, database_url, free_port, manage, redis_flush
from ops.web import Browser

DATABASE = "omcs_prodcheck"
REDIS_URL = "redis://127.0.0.1:6379/12"
REDIS_CACHE_URL = "redis://127.0.0.1:6379/13"
PASSWORD = "demo-omcs-2026"  # noqa: S105 - the demo's published password
AMBASSADORS = ("emb.lima", "emb.bogota")
COORDINATOR = "coord.sur"  # Colombia, Peru...: decides on both cities' actions
WORKERS = {"reports": ("reports@prodcheck", "reports", 1), "mail": ("mail@prodcheck", "celery", 2)}


def environment(folder, ports):
    """Production settings on loopback: only the HTTPS redirect and Secure cookies are off (no TLS)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        ENV_FILE="/nonexistent/.env",  # a developer's .env must not point the check elsewhere
        CELERY_TASK_ALWAYS_EAGER="0",  # tasks go through the workers the check kills
        DATABASE_REPLICA_URL="",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url(DATABASE),
        REDIS_URL=REDIS_URL,
        REDIS_CACHE_URL=REDIS_CACHE_URL,
        EMAIL_URL=f"filemail:///{folder / 'mail'}",
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        SITE_URL=f"http://127.0.0.1:{ports[0]}",
        CELERY_REPORTS_QUEUE="reports",
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="2",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    (folder / "mail").mkdir()
    return env


def prepare(env, processes, *, reuse):
    """Migrate, load the catalogue and the demo (as `make run`), collectstatic meanwhile."""
    processes.start("collectstatic", [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"])
    if not reuse:
        database_recreate(DATABASE)
        manage("migrate", "--no-input", "-v0", env=env)
        manage("load_gazetteer", env=env)
        # --force: DEBUG is off here; --skip-reports: the demo's batch of reports would keep two
        # cores busy for minutes. The check asks for its own report.
        manage("load_demo", "--force", "--skip-reports", env=env)
    if processes.running.pop("collectstatic").wait(timeout=120) != 0:
        raise RuntimeError(f"collectstatic failed: {processes.tail('collectstatic')}")


def web_command(port):
    return [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]


def worker_command(name):
    hostname, queue, concurrency = WORKERS[name]
    return [
        str(BIN / "celery"), "-A", "config", "worker", "--pool=prefork", f"--concurrency={concurrency}",
        "-Q", queue, f"--hostname={hostname}", "--without-gossip", "--without-mingle", "--loglevel=WARNING",
    ]  # fmt: skip


def start_all(processes, ports):
    for name, port in zip(("web-a", "web-b"), ports, strict=True):
        processes.start(name, web_command(port))
    for name in WORKERS:
        processes.start(f"worker-{name}", worker_command(name))
    processes.start("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=WARNING"])


def wait_web(processes, hosts, timeout=90):
    deadline = time.monotonic() + timeout
    for host in hosts:
        while True:
            processes.check_alive()
            try:
                with urllib.request.urlopen(f"{host}/healthz", timeout=10) as answer:  # noqa: S310 - loopback
                    if answer.status == 200:
                        break
            except OSError:  # refused while it starts, 503 until the database answers, a slow first answer
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{host} did not answer within {timeout} s")
            time.sleep(0.2)


def wait_workers(processes, names, timeout=90):
    from config.celery import app

    wanted = {WORKERS[name][0] for name in names}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        replies = app.control.ping(destination=sorted(wanted), timeout=1.0)
        if wanted <= {name for reply in replies for name in reply}:
            return
    raise TimeoutError(f"the workers {sorted(wanted)} did not answer within {timeout} s")


def log_in_everyone(hosts, counts, refused):
    """Each person logs in across both hosts (form on one, password to the other), then opens a
    page on each host with the same session."""
    from ambassadors.demo import DEMO_TOTP_SECRET

    people = {}
    for index, username in enumerate((*AMBASSADORS, COORDINATOR)):
        browser = Browser(hosts, counts, refused)
        browser.log_in(username, PASSWORD, host=index, totp_secret=DEMO_TOTP_SECRET)
        page = "/revision/" if username == COORDINATOR else "/acciones/"
        for host in range(len(hosts)):
            browser.get(page, host=host, expect=(200,))  # a redirect would be to the login page
        people[username] = browser
    return people


def create_action(browser, *, commitment_id, focus_area_id, title, host):
    """Create and send an action in one request (the form's "submit"), with a client key as a
    phone would send: the action's page is where the answer redirects."""
    answer = browser.submit(
        f"/acciones/nueva/{commitment_id}/",
        having="title",
        values={
            "title": title,
            "description": f"{title}: a workshop with the neighbourhood committees.",
            "started_on": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
            "focus_areas": str(focus_area_id),
            "submit": "1",
            "client_key": str(uuid.uuid4()),
        },
        host=host,
    )
    location = answer.headers["Location"]
    if "/editar/" in location:
        raise AssertionError(f"{title} was saved but not sent: {location}")
    return int(location.rstrip("/").rsplit("/", 1)[-1])


def decide(browser, *, action_id, decision, host):
    comment = "Add the attendance list, please." if decision == "return" else ""
    browser.submit(
        f"/acciones/{action_id}/", having="comment", values={"decision": decision, "comment": comment}, host=host
    )


def request_report(browser, *, city_id, period_day, host):
    answer = browser.submit(
        "/informes/",
        having="city",
        values={"city": str(city_id), "kind": "month", "day": period_day.isoformat(), "language": "es"},
        host=host,
    )
    return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def scenario(processes, hosts, plan, events):
    """The day's work. `plan` says what to create and decide; `events` collects what happened."""
    counts, refused = events["requests"], events["refused"]
    people = log_in_everyone(hosts, counts, refused)
    coordinator = people[COORDINATOR]
    events["report_id"] = request_report(
        people[AMBASSADORS[0]], city_id=plan["cities"][AMBASSADORS[0]], period_day=plan["period_day"], host=1
    )
    for index, title in enumerate(plan["titles"]):
        if index == len(plan["titles"]) // 2:
            kill(processes, "web-b", events)
        owner = AMBASSADORS[index % 2]
        plan["ids"][title] = create_action(
            people[owner],
            commitment_id=plan["commitment_id"],
            focus_area_id=plan["focus_area_id"],
            title=title,
            host=index % 2,
        )
    for index, (title, decision) in enumerate(plan["decisions"].items()):
        decide(coordinator, action_id=plan["ids"][title], decision=decision, host=index % 2)
        if index == len(plan["decisions"]) // 2:
            kill(processes, "worker-mail", events)  # right after a decision: its email may be in flight
    restart(processes, "worker-mail", events)
    restart(processes, "web-b", events)
    wait_web(processes, hosts)
    wait_workers(processes, ["mail", "reports"])
    return people


def kill(processes, name, events):
    processes.kill(name)
    events["kills"].append((time.monotonic(), f"SIGKILL {name} (process group)"))


def restart(processes, name, events):
    processes.restart(name)
    events["kills"].append((time.monotonic(), f"restarted {name}"))


def mark(events, name):
    """Record and print how long the stage that just ended took."""
    now = time.monotonic()
    events["timings"][name.split(" (")[0]] = now - events["last"]
    events["last"] = now
    print(f"prod-check: {name}: {events['timings'][name.split(' (')[0]]:.0f} s", flush=True)


def make_plan(actions):
    """What the run will do, decided before it starts: titles with a unique marker, and which are
    approved, returned or left waiting."""
    from ambassadors.models import Ambassador
    from commitments.models import Commitment

    run = secrets.token_hex(3)
    titles = [f"prodcheck {run} action {index:02d}" for index in range(actions)]
    decisions = {}
    for index, title in enumerate(titles[:-2]):  # the last two stay waiting for review
        decisions[title] = "return" if index % 3 == 2 else "approve"
    commitment = Commitment.objects.active().filter(focus_areas__active=True).distinct().first()
    today = datetime.date.today()
    return {
        "run": run,
        "titles": titles,
        "decisions": decisions,
        "ids": {},
        "commitment_id": commitment.pk,
        "focus_area_id": commitment.focus_areas.filter(active=True).first().pk,
        "cities": {
            username: Ambassador.objects.current().get(user__username=username).city_id for username in AMBASSADORS
        },
        "period_day": (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=12, help="actions created and sent (default 12)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the folder (for a look)")
    parser.add_argument("--reuse", action="store_true", help="run on the database a --keep left (no setup)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="omcs-prodcheck-"))
    ports = (free_port(), free_port())
    env = environment(folder, ports)
    os.environ.update(env)  # this process reads the same database and broker to count
    processes = Processes(folder, env)
    events = {"requests": Counter(), "refused": [], "kills": [], "timings": {}, "last": started}
    try:
        redis_flush(REDIS_URL, REDIS_CACHE_URL)
        prepare(env, processes, reuse=args.reuse)
        mark(events, "setup (database, migrate, catalogue, demo, collectstatic)")
        return run(processes, ports, events, args, started)
    finally:
        processes.stop_all()
        if not args.keep:
            redis_flush(REDIS_URL, REDIS_CACHE_URL)
            database_drop(DATABASE)
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"Kept: database {DATABASE}, folder {folder}")


def run(processes, ports, events, args, started):
    import django

    django.setup()
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    if args.reuse:  # the last run's report would be found ready
        from reports.models import ProgressReport

        ProgressReport.objects.filter(requested_by__isnull=False).delete()
    plan = make_plan(args.actions)
    start_all(processes, ports)
    wait_web(processes, hosts)
    wait_workers(processes, list(WORKERS))
    mark(events, "boot (2 gunicorns, 2 workers, beat)")
    people = scenario(processes, hosts, plan, events)
    mark(events, "scenario (logins, actions, report, decisions, kills, restarts)")
    events["sweeps"] = prod_counts.settle(plan, events, timeout=120)
    prod_counts.download_report(people[AMBASSADORS[0]], events["report_id"], len(hosts))
    mark(events, "settle (quiet, sweeps, quiet, report downloaded)")
    results = prod_counts.count(plan, events, Path(os.environ["MEDIA_ROOT"]), Path(processes.log_folder) / "mail")
    events["timings"]["total"] = time.monotonic() - started
    prod_counts.report(plan, events, results, hosts)
    return 0 if all(expected == found for _what, expected, found in results) else 1


if __name__ == "__main__":
    sys.exit(main())
