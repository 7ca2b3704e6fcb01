"""The second half of `make prod-check` (ops/prod_check.py): wait until the processes are quiet, run
the sweeps as beat would run them later, count what the day left in the database, the media folder
and the mail folder, and print it. Django is set up by the caller."""

import datetime
import email
import time
from collections import Counter
from email.header import decode_header, make_header
from pathlib import Path

QUEUES = ("celery", "reports")
MAIL_SEPARATOR = b"-" * 79 + b"\n"  # what Django's file backend writes after each message


def waiting():
    """Messages waiting in the broker, per queue."""
    from config.celery import app

    with app.connection_for_write() as connection:
        return {queue: connection.default_channel.queue_declare(queue).message_count for queue in QUEUES}


def _run_mails(plan):
    """The outgoing mail rows of the run's decisions."""
    from commitments.models import Notification
    from core.models import OutgoingEmail

    notifications = Notification.objects.filter(status_change__action__title__startswith=_prefix(plan))
    return OutgoingEmail.objects.filter(pk__in=notifications.values("mail_id"))


def _state(plan):
    from commitments.models import Notification
    from reports.models import ProgressReport

    mails = _run_mails(plan)
    report = ProgressReport.objects.filter(requested_by__isnull=False).values_list("status", flat=True)
    return (
        tuple(sorted(Counter(mails.values_list("state", flat=True)).items())),
        tuple(sorted(report)),
        Notification.objects.count(),
        tuple(waiting().values()),
    )


def _prefix(plan):
    return f"prodcheck {plan['run']} "


def wait_quiet(plan, *, timeout, still=3.0):
    """Until nothing waits in the broker and nothing changes for `still` seconds."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = _state(plan)
        if state != last:
            last, since = state, time.monotonic()
        elif not any(state[-1]) and time.monotonic() - since >= still:
            return True
        time.sleep(0.3)
    return False


def settle(plan, events, *, timeout):
    """Quiet; then the two sweeps with the clock of their next runs after the kills (the email
    sweep runs every ten minutes and finds emails lost for ten; the report sweep hourly, past
    the task time limit); then quiet again. Returns what the sweeps queued again."""
    from django.conf import settings
    from django.utils import timezone

    from core.mail import CLAIM_TIMEOUT, LOST_AFTER, mails_requeue_lost
    from core.models import OutgoingEmail
    from reports.services import reports_requeue_stale

    wait_quiet(plan, timeout=timeout)
    unsent = _run_mails(plan).exclude(state=OutgoingEmail.State.SENT).count()
    later = timezone.now() + LOST_AFTER + CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    emails = mails_requeue_lost(now=later)
    past_the_limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    reports = reports_requeue_stale(now=timezone.now() + past_the_limit)
    quiet = wait_quiet(plan, timeout=timeout)
    return {"unsent": unsent, "emails_requeued": emails, "reports_requeued": reports, "quiet": quiet}


def download_report(browser, report_id, hosts):
    """The ready report's page on every host, and its PDF."""
    for host in range(hosts):
        browser.get(f"/informes/{report_id}/", host=host, expect=(200,))
    pdf = browser.get(f"/informes/{report_id}/pdf/", host=1, expect=(200,))
    if not pdf.content.startswith(b"%PDF"):
        raise AssertionError("the report's PDF is not a PDF")


def emails_in(folder):
    """(subject, recipient) of every message in the file backend's folder; an unreadable one too."""
    found = []
    for path in sorted(Path(folder).iterdir()):
        for chunk in path.read_bytes().split(MAIL_SEPARATOR):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.rstrip(b"\n"))
            subject = str(make_header(decode_header(message.get("Subject", ""))))
            found.append((" ".join(subject.split()), message.get("To", "")))
    return found


def count(plan, events, media_root, mail_folder):
    """Rows of (what, expected, found)."""
    from commitments.models import Action, ActionStatusChange, Notification
    from core.models import OutgoingEmail

    prefix = _prefix(plan)
    decisions = plan["decisions"]
    approved = sum(1 for decision in decisions.values() if decision == "approve")
    returned = len(decisions) - approved
    actions = Action.objects.filter(title__startswith=prefix)
    per_title = Counter(actions.values_list("title", flat=True))
    statuses = Counter(actions.values_list("status", flat=True))
    changes = ActionStatusChange.objects.filter(action__in=actions, to_status__in=ActionStatusChange.DECISIONS)
    notifications = Notification.objects.filter(status_change__in=changes)
    sent = OutgoingEmail.objects.filter(pk__in=notifications.values("mail_id"), state=OutgoingEmail.State.SENT)
    mails = [subject for subject, _to in emails_in(mail_folder) if prefix in subject]
    mails_per_title = Counter(subject.split(": ", 1)[-1] for subject in mails)
    rows = [
        ("actions sent through the hosts (rows with the run's marker)", len(plan["titles"]), actions.count()),
        ("titles found exactly once", len(plan["titles"]), sum(per_title[t] == 1 for t in plan["titles"])),
        ("approved", approved, statuses[Action.Status.APPROVED]),
        ("returned with a comment", returned, statuses[Action.Status.RETURNED]),
        ("still waiting for review", len(plan["titles"]) - len(decisions), statuses[Action.Status.SUBMITTED]),
        ("decisions recorded", len(decisions), changes.count()),
        ("decision emails marked sent (outgoing mail rows)", len(decisions), sent.count()),
        ("decision emails in the mail folder", len(decisions), len(mails)),
        ("decided actions with exactly one email", len(decisions), sum(mails_per_title[t] == 1 for t in decisions)),
        ("emails about actions not decided", 0, sum(mails_per_title[t] for t in plan["titles"] if t not in decisions)),
    ]
    return rows + _report_rows(events["report_id"], media_root)


def _report_rows(report_id, media_root):
    from reports.models import ProgressReport

    report = ProgressReport.objects.get(pk=report_id)
    same = ProgressReport.objects.filter(
        city_id=report.city_id, scope=report.scope, kind=report.kind, period_start=report.period_start
    )
    files = [getattr(report, field) for field in ("html_file", "pdf_file", "xlsx_file", "csv_file")]
    on_disk = sum(bool(file) and (media_root / file.name).is_file() for file in files)
    stored = [path for path in (Path(media_root) / "reports").rglob("*") if path.is_file()]
    return [
        ("report rows for the city and month", 1, same.count()),
        ("report ready", 1, int(report.status == ProgressReport.Status.READY)),
        ("'ready' in the report's history", 1, ProgressReport.history.filter(id=report.pk, status="ready").count()),
        ("report files on disk (HTML, PDF, XLSX, CSV)", 4, on_disk),
        ("report files in MEDIA_ROOT (none left over)", 4, len(stored)),
    ]


def report(plan, events, results, hosts):
    """Print what was done and counted."""
    counts, refused, timings = events["requests"], events["refused"], events["timings"]
    print("\nOMCS prod-check: production settings (DEBUG=0) on loopback, PostgreSQL and Redis")
    for letter, host in zip("AB", hosts, strict=False):
        print(f"  host {letter} {host}: {counts[host]} requests answered")
    print(f"  refused by a dead host and sent to the other: {len(refused)}")
    print(f"  run marker: {_prefix(plan).strip()!r}; actions {len(plan['titles'])}, decisions {len(plan['decisions'])}")
    first = events["kills"][0][0] if events["kills"] else 0
    for at, what in events["kills"]:
        print(f"  +{at - first:5.1f} s  {what}")
    sweeps = events["sweeps"]
    print(
        f"  quiet after the restarts: {sweeps['unsent']} decision email(s) of the run not sent (their task died "
        f"with the worker); the sweeps, run as beat runs them later, queued again {sweeps['emails_requeued']} "
        f"email(s) and {sweeps['reports_requeued']} report(s)"
    )
    print("\n  counted after                                              expected  found")
    for what, expected, found in results:
        mark = "ok" if expected == found else ("LOSS" if found < expected else "DUPLICATE")
        print(f"  {what:<58} {expected:>8} {found:>6}  {mark}")
    print("\n  " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()))
    failed = [what for what, expected, found in results if expected != found]
    print(f"\nprod-check: {'FAILED: ' + '; '.join(failed) if failed else 'nothing lost, nothing twice'}")
