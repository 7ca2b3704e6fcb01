"""The portable backup of docs/backup.md, round trip: dumpdata, wipe, loaddata, and every row
of every model is back as it was.

The demo fills most models; the test adds rows to those it leaves empty and requires every
model in the backup to hold some, so a model missing from the dump (or a new one nobody fills
here) fails the test. Three kinds of rows are left out of the dump by design, and checked as
such: content types and permissions (`migrate` and `flush` make them again; the dump refers to
them by natural key) and sessions (a restore logs everybody out).
"""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from ambassadors import twofactor
from ambassadors.models import City
from api import services as api_services
from axes.models import Axis
from commitments import services
from commitments.models import Action, Commitment, FocusArea, Indicator
from core.models import EmailPreferences
from core.schedules import install_periodic_tasks
from funding.models import Document, Opportunity
from invitations import services as invitation_services
from reports.models import Digest, ProgressReport
from terms.models import TermReminder

# The commands of docs/backup.md, as written there.
DUMPDATA = [
    "dumpdata",
    "--natural-foreign",
    "--all",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
]
# After `flush`, migrate's handlers have made the default schedules again, numbered their own
# way: the backup's schedules replace them (deleting a schedule deletes its tasks).
CLEAR_SCHEDULES = (
    "from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, SolarSchedule; "
    "[m.objects.all().delete() for m in (ClockedSchedule, CrontabSchedule, IntervalSchedule, SolarSchedule)]"
)

# loaddata with the audit trail (django-simple-history) off: its rows are in the backup, and the
# many-to-many links a load sets would each add an entry of their own.
LOADDATA = (
    "from django.conf import settings; from django.core.management import call_command; "
    "settings.SIMPLE_HISTORY_ENABLED = False; call_command('loaddata', '{path}')"
)

NOT_DUMPED = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}
NATURAL_KEYED = (ContentType, Permission)  # made again by migrate: compared by natural key
# Bumped by every schedule saved, the load's included: it tells beat to read the schedules again.
CHANGES_AFTER_A_LOAD = {"django_celery_beat.PeriodicTasks": {"last_update"}}
TRICKY_TEXT = "Agua 💧 para todos · מים לכולם · \u202eevil\u202c · «comillas» “dobles” \\ \t tab \x1f ctrl"


def fill_what_the_demo_leaves_empty():
    """A row or more in every model the demo leaves empty, and text that has to survive."""
    admin = get_user_model().objects.get(username="admin")
    action = Action.objects.filter(city__name="Lima").order_by("pk").first()
    Action.objects.filter(pk=action.pk).update(description=TRICKY_TEXT, partners="Uno\r\nDos\n")
    action.cities_involved.add(City.objects.filter(ambassadors__isnull=False).exclude(pk=action.city_id).first())
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Action),
        object_id=str(action.pk),
        object_repr=str(action)[:200],
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["title"]}}]',
    )
    Group.objects.get(name="Coordinadores").permissions.add(Permission.objects.get(codename="view_progressreport"))
    admin.user_permissions.add(Permission.objects.get(codename="view_action"))
    for instance in (Axis.objects.first(), Commitment.objects.first(), FocusArea.objects.first()):
        instance.save()  # an entry in its audit trail
    indicator = Indicator.objects.first()
    indicator.name_en = "Edited in the admin"
    indicator.save()

    every_ten_minutes = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="Prueba", task="health.heartbeat", interval=every_ten_minutes, enabled=False)
    SolarSchedule.objects.create(event="sunrise", latitude="-12.046374", longitude="-77.042793")
    ClockedSchedule.objects.create(clocked_time=timezone.now() + datetime.timedelta(days=3))
    # An admin removed a default schedule and the next migrate made it again: its id no longer
    # follows a fresh install's order (the reason for CLEAR_SCHEDULES).
    PeriodicTask.objects.order_by("pk").first().delete()
    install_periodic_tasks()  # what the next migrate runs
    api_services.token_create(user=admin, name="Respaldo", days=30)  # only its hash is kept
    twofactor.recovery_codes_renew(admin)  # django-otp's static device and its tokens (the demo has TOTP ones)

    rows_of_other_models = {
        "ambassadors.AccessAttempt": {
            "kind": "login_failed",
            "username": "alguien",
            "ip_address": "203.0.113.9",
            "attempted_at": timezone.now(),
        },
        "ambassadors.AccessCounter": {
            "limit": "login_address",
            "ip_address": "203.0.113.9",
            "window_started_at": timezone.now(),
            "count": 21,
            "next_attempt_at": timezone.now(),
        },
        "health.WorkerHeartbeat": {"seen_at": timezone.now(), "hostname": "celery@omcs"},
        "imports.ImportJob": {
            "user": admin,
            "what": "actions",
            "file": "imports/2026/12/a.csv",
            "original_name": TRICKY_TEXT[:40],
            "status": "ready",
            "rows": [{"number": 2, "state": "new", "cells": {"title": TRICKY_TEXT}, "errors": {}}],
        },
    }
    for label, fields in rows_of_other_models.items():
        if label in {model._meta.label for model in apps.get_models()}:
            apps.get_model(label).objects.create(**fields)
    report = ProgressReport.objects.create(
        city=action.city,
        kind="month",
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 9, 30),
        status=ProgressReport.Status.READY,
        requested_by=admin,
        generated_at=timezone.now(),
        snapshot={"acciones": 3, "personas": 1.5, "texto": TRICKY_TEXT, "lista": [None, True]},
        pdf_file="reports/2026/1/informe.pdf",
    )
    EmailPreferences.objects.create(user=admin, reminders=EmailPreferences.Frequency.WEEKLY, language="en")
    opportunity = Opportunity.objects.filter(city=action.city).order_by("pk").first()
    Document.objects.create(
        opportunity=opportunity, url="https://example.org/bases.pdf", title=TRICKY_TEXT[:40], uploaded_by=admin
    )
    digest = Digest.objects.create(recipient=admin, kind=Digest.Kind.REPORTS, period_key="2026-10-01", items=[1])
    digest.reports.add(report)
    # The demo's invitation is an ambassador's: a coordinator's names countries (and their history).
    invitation_services.invitation_create(
        by=admin,
        email="coordinacion@example.org",
        full_name=TRICKY_TEXT[:30].replace("\t", " "),
        role="coordinator",
        countries=[City.objects.get(name="Lima").country],
        language="pt-br",
    )
    # The term reminders the digests have sent (terms.reminders): none yet on a fresh demo.
    appointment = action.ambassador
    TermReminder.objects.create(
        appointment=appointment,
        threshold=60,
        recipient=appointment.user,
        term_ends_on=appointment.term_ends_on,
        sent_at=timezone.now(),
    )


def comparable(value):
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, datetime.datetime | datetime.time):
        # Django's JSON serializer writes times to the millisecond (ECMAScript's format).
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def key(instance):
    return instance.natural_key() if isinstance(instance, NATURAL_KEYED) else instance.pk


def database_contents():
    """{model label: {pk (natural key for content types and permissions): {field: value}}},
    for every model; many-to-many links as sorted lists on the model that declares them."""
    contents = {}
    for model in apps.get_models():
        rows = {}
        for instance in model._base_manager.all():
            row = {}
            for field in model._meta.concrete_fields:
                if field.primary_key and isinstance(instance, NATURAL_KEYED):
                    continue
                if field.is_relation and issubclass(field.related_model, NATURAL_KEYED):
                    related = getattr(instance, field.name)
                    row[field.name] = related and key(related)
                else:
                    row[field.attname] = comparable(field.value_from_object(instance))
            for field in model._meta.many_to_many:
                row[field.name] = sorted(key(related) for related in getattr(instance, field.name).all())
            rows[key(instance)] = row
        contents[model._meta.label] = rows
    return contents


def without(rows, fields):
    return {pk: {name: value for name, value in row.items() if name not in fields} for pk, row in rows.items()}


@pytest.mark.django_db
def test_a_dump_wiped_and_loaded_again_gives_back_every_row_of_every_model(settings, tmp_path, client):
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", "--skip-reports", verbosity=0)
    fill_what_the_demo_leaves_empty()
    client.force_login(get_user_model().objects.get(username="coord.sur"))  # a session
    before = database_contents()
    empty = sorted(label for label, rows in before.items() if not rows and label not in NOT_DUMPED)
    assert not empty, f"fill these in fill_what_the_demo_leaves_empty(), or the test proves nothing for them: {empty}"

    backup = tmp_path / "backup.json"
    call_command(*DUMPDATA, output=str(backup), verbosity=0)
    dumped = {entry["model"] for entry in json.loads(backup.read_text(encoding="utf-8"))}
    # The test runs in a transaction: PostgreSQL truncates (flush) only once the deferred
    # foreign-key checks of the rows above have run. A real restore flushes in a transaction
    # of its own.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert not Action.objects.exists()
    call_command("shell", "--no-imports", command=CLEAR_SCHEDULES, verbosity=0)
    settings.SIMPLE_HISTORY_ENABLED = True  # the fixture puts back what LOADDATA changes
    call_command("shell", "--no-imports", command=LOADDATA.format(path=backup), verbosity=0)
    after = database_contents()

    labels = {label.lower() for label in before if label not in NOT_DUMPED}
    assert labels <= dumped, f"models missing from the dump: {sorted(labels - dumped)}"
    assert set(after) == set(before)
    for label in sorted(before):
        if label == "sessions.Session":
            assert before[label] and not after[label], "sessions are not restored: everybody logs in again"
            continue
        assert len(after[label]) == len(before[label]), f"{label}: {len(before[label])} rows, {len(after[label])} back"
        ignored = CHANGES_AFTER_A_LOAD.get(label, set())
        assert without(after[label], ignored) == without(before[label], ignored), f"{label} changed"

    # The ids go on from the restored ones: new rows do not collide with them.
    ambassador = get_user_model().objects.get(username="emb.lima")
    commitment = Commitment.objects.get(axis__number=3, number=1)
    services.action_create(by=ambassador, commitment=commitment, data={"title": "Después de restaurar"})
