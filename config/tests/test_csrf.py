"""Every form, upload and logout is refused without its CSRF token, and nothing changes.

POSTS below lists each URL that accepts POST, with the person allowed to use it. Each one is
posted twice, as a browser would: its form is opened, filled in, and sent

- without the token (the CSRF cookie is there, the form field is not): 403 from the CSRF
  middleware, the database exactly as it was, the person still logged in;
- with the token the form carries: the same POST does what it is for, so the first is no
  vacuous pass (and every form is shown to carry a token).

The URL conf is walked so that a new view accepting POST without a row here fails the tests.
Django's admin is its own; one change form stands for it (its login is the site's).
"""

import datetime
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from ambassadors import twofactor
from ambassadors.tests.factories import AmbassadorFactory, CityFactory
from ambassadors.tests.second_factor import app_of, code_of
from api.authentication import ApiTokenAuthentication
from api.tests.factories import ApiTokenFactory
from appointments.tests import defaults as acceptance_defaults
from commitments.models import ExchangeRate, Notification
from commitments.sample_files import pdf_bytes, upload
from commitments.tests.factories import ActionFactory
from config.tests.fingerprint import changed_tables, fingerprint
from config.tests.project import (
    lima_hazards,
    lima_left_behind,
    lima_pipeline,
    lima_plans,
    lima_public,
    lima_work,
    url_patterns,
)
from conftest import PASSWORD
from funding.tests.factories import TransitionPlanFactory
from imports.tests.factories import ImportJobFactory
from invitations import services as invitation_services
from invitations.links import token_for
from practices import services as practice_services
from practices.tests.factories import ExchangeFactory, PracticeFactory
from reports.models import ProgressReport

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
NEW_PASSWORD = "another-long-test-password-2027"


@pytest.fixture(autouse=True)
def _today():
    # Reports can be asked for once their period has ended: October 2026 has, on this day.
    with time_machine.travel(TODAY, tick=False):
        yield


# The world the POSTs act on ---------------------------------------------------------------


@dataclass
class World:
    users: dict
    draft: object
    evidence: object
    submitted: object
    target: object
    failed_report: object
    rate: object
    practices: dict
    pipeline: dict  # Lima's funding pipeline (config.tests.project.lima_pipeline)
    plans: dict  # transition plans in every state (plans_world)
    hazards: dict  # Lima's hazard log (config.tests.project.lima_hazards)
    public: dict = None  # Lima's published page and Cusco's request (config.tests.project.lima_public)
    invitations: dict = None  # Carla's pending invitation "callao"; "arequipa", a city of Peru nobody is invited to
    left_behind: object = None  # the draft Lima's former ambassador left (config.tests.project.lima_left_behind)

    @property
    def lima(self):
        return self.draft.city


@pytest.fixture
def world(ambassador, other_ambassador, coordinator, admin, lima):
    """Alicia's draft (with a file), her submitted action (with a notification of it), a target
    and a failed report of Lima, an exchange rate for the admin, the practice library's
    objects (practices_world), Lima's funding pipeline and its hazard log."""
    draft, evidence, submitted, target = lima_work(ambassador, lima)
    Notification.objects.create(recipient=ambassador, status_change=submitted.status_changes.latest("pk"))
    failed_report = ProgressReport.objects.create(
        city=lima,
        kind="month",
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 9, 30),
        status=ProgressReport.Status.FAILED,
        attempts=3,
        error="Pango",
        requested_by=ambassador,
    )
    rate = ExchangeRate.objects.create(
        currency="PEN", usd_per_unit=Decimal("0.27"), effective_on=datetime.date(2026, 1, 1)
    )
    users = {"ambassador": ambassador, "other_ambassador": other_ambassador, "coordinator": coordinator, "admin": admin}
    with acceptance_defaults.pending():  # Trujillo's new ambassador, who has not accepted the commitments yet
        users["newcomer"] = AmbassadorFactory(city=CityFactory(country=lima.country, name="Trujillo")).user
    pipeline = lima_pipeline(ambassador)
    plans = plans_world(users, lima)
    return World(
        users,
        draft,
        evidence,
        submitted,
        target,
        failed_report,
        rate,
        practices_world(users),
        pipeline,
        plans,
        lima_hazards(ambassador),
        lima_public(admin),
        peru_invitations(coordinator, lima),
        lima_left_behind(lima, draft.commitment),
    )


def peru_invitations(coordinator, lima):
    callao = CityFactory(country=lima.country, name="Callao")
    invitation = invitation_services.invitation_create(
        by=coordinator, email="nora@example.org", full_name="Nora Nueva", role="ambassador", city=callao
    )
    return {"callao": invitation, "arequipa": CityFactory(country=lima.country, name="Arequipa")}


def _invitation_url(name):
    return lambda world: reverse(name, args=[world.invitations["callao"].pk])


def plans_world(users, lima):
    """Lima's plan in force with a version 2 in draft (config.tests.project.lima_plans) and Cusco's
    waiting for review; Rosario's plan in force alone, to revise; and Arequipa's ambassador (in
    `users`, "arequipa"), whose city has no plan yet."""
    plans = lima_plans(users["ambassador"], users["coordinator"])
    plans["rosario"] = TransitionPlanFactory(by=users["other_ambassador"], status="approved", reviewer=users["admin"])
    users["arequipa"] = AmbassadorFactory(city=CityFactory(country=lima.country, name="Arequipa")).user
    return plans


def practices_world(users):
    """Lima's practices (a draft, one waiting for review, two published, from one approved action),
    Rosario replicating the first published one with a draft linked, and an exchange Alicia recorded."""
    alicia, bruno = users["ambassador"], users["other_ambassador"]
    source = ActionFactory(by=alicia, status="approved", reviewer=users["admin"])
    published, other = (
        PracticeFactory(by=alicia, actions=[source], title=title, status="published", reviewer=users["coordinator"])
        for title in ("Escuela de escucha activa", "Mercados sin plástico")
    )
    replication = practice_services.replication_start(practice=published, by=bruno)
    link = practice_services.replication_link(replication=replication, action=ActionFactory(by=bruno), by=bruno)
    return {
        "source": source,
        "draft": PracticeFactory(by=alicia, actions=[source]),
        "submitted": PracticeFactory(by=alicia, actions=[source], status="submitted"),
        "published": published,
        "other": other,
        "replication": replication,
        "link": link,
        "exchange": ExchangeFactory(by=alicia, cities=[], partner_cities=[{"name": "Barcelona", "country": "ES"}]),
    }


# What a browser would do -------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # name -> list of values, as the form would send them


class FormParser(HTMLParser):
    """The forms of a page with the values they would send as they are (no button pressed)."""

    def __init__(self):
        super().__init__()
        self.forms, self._open, self._select, self._textarea = [], False, None, None

    def _add(self, name, value):
        self.forms[-1].fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(attrs.get("action") or "", (attrs.get("method") or "get").lower()))
            self._open = True
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["selected"].append(value)
        elif not self._open or not attrs.get("name") or "disabled" in attrs:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": [], "selected": []}
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = select["selected"] or ([] if select["multiple"] else select["options"][:1])
            for value in chosen:
                self._add(select["name"], value)
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._add(name, text.removeprefix("\n"))  # as browsers do, after <textarea>
            self._textarea = None


def form_posting_to(client, page, target):
    """Open `page` and return (the URL its form posts to, that form): the one whose action is `target`."""
    response = client.get(page, follow=True)
    assert response.status_code == 200, f"{page} answered {response.status_code}"
    landed = response.request["PATH_INFO"]
    parser = FormParser()
    parser.feed(response.content.decode())
    for form in parser.forms:
        posts_to = urljoin(landed, form.action or landed)
        if form.method == "post" and urlsplit(posts_to).path == urlsplit(target).path:
            return posts_to, form
    raise AssertionError(f"{page} has no form that posts to {target}")


# The POST endpoints ------------------------------------------------------------------------


SETUP_KEY = "3132333435363738393031323334353637383930"  # the app being set up in a test (hex)


def _in_session(client, key, value):
    session = client.session
    session[key] = value
    session.save()
    if settings.SESSION_COOKIE_NAME not in client.cookies:
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def _password_given(world, client):
    """Carla, who has an app, gave her password in this browser: the code step comes next."""
    carla = world.users["coordinator"]
    app_of(carla)
    _in_session(
        client,
        twofactor.PENDING_KEY,
        {"user": carla.pk, "backend": settings.AUTHENTICATION_BACKENDS[0], "next": "", "at": int(time.time())},
    )


def _reset_link(world):
    alicia = world.users["ambassador"]
    uid = urlsafe_base64_encode(force_bytes(alicia.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(alicia)])


def _set_password_url(world):
    uid = urlsafe_base64_encode(force_bytes(world.users["ambassador"].pk))
    return reverse("password_reset_confirm", args=[uid, "set-password"])


def logged_out(client, response):
    return client.get(reverse("commitments:actions")).status_code == 302


def language_cookie_set(client, response):
    return settings.LANGUAGE_COOKIE_NAME in response.cookies


def reset_email_sent(client, response):
    return len(mail.outbox) > 0


@dataclass(frozen=True)
class Post:
    name: str  # the URL name, namespaced
    who: str | None  # the member of the cast allowed to do it; None: anonymous
    url: Callable  # world -> the URL the form posts to
    page: Callable | None = None  # world -> the page that shows the form (default: the URL itself)
    changes: Callable = lambda world: {}  # world -> what the person fills in or clicks
    files: Callable = lambda world: {}
    # (client, response) -> whether it happened, for a POST that writes nothing to the database.
    effect: Callable | None = None
    # (world, client) -> what must be so before the page is opened (a second factor, a password given).
    start: Callable | None = None


def _url(name, *attributes):
    """world -> reverse(name) with the pks of world.<attribute>."""
    return lambda world: reverse(name, args=[getattr(world, attribute).pk for attribute in attributes])


def _practice_url(name, key, attribute="pk"):
    """world -> reverse(name) with the pk of one of world.practices."""
    return lambda world: reverse(name, args=[getattr(world.practices[key], attribute)])


def _pipeline_url(name, key):
    """world -> reverse(name) with the pk of one of world.pipeline."""
    return lambda world: reverse(name, args=[world.pipeline[key].pk])


def _plan_url(name, key, attribute="pk"):
    """world -> reverse(name) with the pk of one of world.plans."""
    return lambda world: reverse(name, args=[getattr(world.plans[key], attribute)])


def _import_job_url(name):
    """world -> reverse(name) for Alicia's checked import of one new action, made once per world."""

    def url(world):
        if not hasattr(world, "import_job"):
            world.import_job = ImportJobFactory(
                user=world.users["ambassador"],
                city=world.lima,
                status="ready",
                columns=["commitment", "title"],
                rows=[{"number": 2, "id": "", "state": "new", "cells": {"commitment": "3.1", "title": "Importada"}}],
            )
        return reverse(name, args=[world.import_job.pk])

    return url


def _detail_of(attribute):
    return _url("commitments:action", attribute)


def _alicias_token(world):
    """One token of Alicia's, made on first use (the page that lists it is opened after)."""
    if not hasattr(world, "token"):
        world.token = ApiTokenFactory(user=world.users["ambassador"])
    return world.token


POSTS = [
    # The practice library: Alicia writes and sends Lima's practices, Carla reviews and features
    # them, Bruno replicates one for Rosario; exchanges between cities
    Post(
        "practices:create",
        "ambassador",
        lambda world: reverse("practices:create"),
        lambda world: reverse("practices:create") + f"?accion={world.practices['source'].pk}",
    ),
    Post(
        "practices:edit",
        "ambassador",
        _practice_url("practices:edit", "draft"),
        changes=lambda world: {"title": "Otro título"},
    ),
    Post(
        "practices:submit",
        "ambassador",
        _practice_url("practices:submit", "draft"),
        _practice_url("practices:practice", "draft"),
    ),
    Post(
        "practices:review",
        "coordinator",
        _practice_url("practices:review", "submitted"),
        _practice_url("practices:practice", "submitted"),
        changes=lambda world: {"decision": "approve"},
    ),
    Post(
        "practices:feature",
        "coordinator",
        _practice_url("practices:feature", "published"),
        _practice_url("practices:practice", "published"),
    ),
    Post(
        "practices:follow",
        "ambassador",
        lambda world: reverse("practices:follow"),
        lambda world: reverse("practices:list"),
        changes=lambda world: {"commitments": [str(world.draft.commitment_id)]},
    ),
    Post(
        "practices:replicate",
        "other_ambassador",
        _practice_url("practices:replicate", "other"),
        _practice_url("practices:practice", "other"),
        changes=lambda world: {"notes": "Con los mercados de Rosario."},
    ),
    Post(
        "practices:replication",
        "other_ambassador",
        _practice_url("practices:replication", "replication"),
        changes=lambda world: {"notes": "Con las ferias barriales."},
    ),
    Post(
        "practices:replication_unlink",
        "other_ambassador",
        _practice_url("practices:replication_unlink", "link"),
        _practice_url("practices:replication", "replication"),
    ),
    Post(
        "exchanges:create",
        "ambassador",
        lambda world: reverse("exchanges:create"),
        changes=lambda world: {
            "kind": "visit",
            "title": "Visita a Curitiba",
            "started_on": "2026-09-01",
            "partners-0-name": "Curitiba",
            "partners-0-country": "BR",
        },
    ),
    Post(
        "exchanges:edit",
        "ambassador",
        _practice_url("exchanges:edit", "exchange"),
        changes=lambda world: {"title": "Webinar con Barcelona"},
    ),
    # Alicia keeps Lima's funding pipeline
    Post(
        "funding:opportunity_create",
        "ambassador",
        lambda world: reverse("funding:opportunity_create"),
        changes=lambda world: {"funder_name": "Fondo local", "title": "Convocatoria de barrios", "amount": "5000"},
    ),
    Post(
        "funding:opportunity_edit",
        "ambassador",
        _pipeline_url("funding:opportunity_edit", "identified"),
        changes=lambda world: {"title": "Otro título"},
    ),
    Post(
        "funding:opportunity_move",
        "ambassador",
        _pipeline_url("funding:opportunity_move", "identified"),
        _pipeline_url("funding:opportunity", "identified"),
        changes=lambda world: {"to_stage": "preparing"},
    ),
    Post(
        "funding:disbursement_add",
        "ambassador",
        _pipeline_url("funding:disbursement_add", "awarded"),
        _pipeline_url("funding:opportunity", "awarded"),
        changes=lambda world: {"amount": "50.00"},
    ),
    Post(
        "funding:disbursement_remove",
        "ambassador",
        _pipeline_url("funding:disbursement_remove", "disbursement"),
        _pipeline_url("funding:opportunity", "awarded"),
    ),
    Post(
        "funding:opportunity_document_add",
        "ambassador",
        _pipeline_url("funding:opportunity_document_add", "awarded"),
        _pipeline_url("funding:opportunity", "awarded"),
        files=lambda world: {"file": upload("postulación.pdf", pdf_bytes())},
    ),
    Post(
        "funding:document_remove",
        "ambassador",
        _pipeline_url("funding:document_remove", "document"),
        _pipeline_url("funding:opportunity", "awarded"),
    ),
    # Alicia keeps Lima's transition plan; Cusco's waits for Carla's review
    Post(
        "funding:plan_start",
        "arequipa",
        lambda world: reverse("funding:plan_start"),
        changes=lambda world: {"diagnosis_summary": "Diagnóstico de Arequipa", "diagnosis_on": "2026-10-01"},
    ),
    Post(
        "funding:plan_edit",
        "ambassador",
        _plan_url("funding:plan_edit", "draft"),
        changes=lambda world: {"strategy": "Movilidad eléctrica"},
    ),
    Post(
        "funding:milestone_create",
        "ambassador",
        _plan_url("funding:milestone_create", "draft"),
        changes=lambda world: {
            "horizon": "long",
            "title": "Red de calor urbano",
            "due_on": "2035-12-31",
            "responsible": "Secretaría de Energía",
        },
    ),
    Post(
        "funding:milestone_edit",
        "ambassador",
        _plan_url("funding:milestone_edit", "draft_milestone"),
        changes=lambda world: {"title": "Hito cambiado"},
    ),
    Post(
        "funding:milestone_remove",
        "ambassador",
        _plan_url("funding:milestone_remove", "draft_milestone"),
        _plan_url("funding:milestone_edit", "draft_milestone"),
    ),
    Post(
        "funding:milestone_status",
        "ambassador",
        _plan_url("funding:milestone_status", "milestone"),
        _plan_url("funding:plan", "in_force"),
        changes=lambda world: {"status": "done"},
    ),
    Post(
        "funding:plan_submit",
        "ambassador",
        _plan_url("funding:plan_submit", "draft"),
        _plan_url("funding:plan", "draft"),
    ),
    Post(
        "funding:plan_review",
        "coordinator",
        _plan_url("funding:plan_review", "submitted"),
        _plan_url("funding:plan", "submitted"),
        changes=lambda world: {"decision": "approve"},
    ),
    Post(
        "funding:plan_revise",
        "other_ambassador",
        _plan_url("funding:plan_revise", "rosario"),
        _plan_url("funding:plan", "rosario"),
        changes=lambda world: {"revision_reason": "Nuevo gobierno municipal"},
    ),
    Post(
        "funding:plan_document_add",
        "ambassador",
        _plan_url("funding:plan_document_add", "draft"),
        _plan_url("funding:plan", "draft"),
        changes=lambda world: {"url": "https://example.org/estudio", "title": "Estudio de emisiones"},
    ),
    # Trujillo's new ambassador accepts the commitments of the appointment
    Post(
        "appointments:accept",
        "newcomer",
        lambda world: reverse("appointments:accept"),
        changes=lambda world: {"accept": "on"},
    ),
    # Bruno asks for Rosario's public page; Carla approves Cusco's request
    Post("public:request", "other_ambassador", lambda world: reverse("public:request")),
    Post(
        "public:decide",
        "coordinator",
        lambda world: reverse("public:decide", args=[world.public["cusco"].pk]),
        lambda world: reverse("public:requests"),
        changes=lambda world: {"decision": "approve"},
    ),
    # Carla invites a new ambassador for Arequipa, sends Callao's invitation again, revokes it; Nora accepts it
    Post(
        "invitations:create",
        "coordinator",
        lambda world: reverse("invitations:create"),
        changes=lambda world: {
            "full_name": "Ana Arequipeña",
            "email": "ana@example.org",
            "city": str(world.invitations["arequipa"].pk),
        },
    ),
    Post(
        "invitations:resend",
        "coordinator",
        _invitation_url("invitations:resend"),
        lambda world: reverse("invitations:list"),
    ),
    Post(
        "invitations:revoke",
        "coordinator",
        _invitation_url("invitations:revoke"),
        lambda world: reverse("invitations:list"),
    ),
    Post(
        "invitations:accept",
        None,
        lambda world: reverse("invitations:accept", args=[token_for(world.invitations["callao"])]),
        changes=lambda world: {
            "first_name": "Nora",
            "last_name": "Nueva",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    ),
    # Carla renews Alicia's term in Lima, or names Sara (who holds no post) to succeed her; Alicia takes
    # over, or discards, the draft Lima's former ambassador left
    Post(
        "terms:renew",
        "coordinator",
        lambda world: reverse("terms:renew", args=[world.draft.ambassador_id]),
        lambda world: reverse("terms:term", args=[world.draft.ambassador_id]),
        changes=lambda world: {"term_ends_on": "2028-02-29"},
    ),
    Post(
        "terms:successor",
        "coordinator",
        lambda world: reverse("terms:successor", args=[world.draft.ambassador_id]),
        lambda world: reverse("terms:term", args=[world.draft.ambassador_id]),
        changes=lambda world: {"user": str(get_user_model().objects.get(username="sucesora").pk)},
    ),
    Post(
        "terms:take_over",
        "ambassador",
        lambda world: reverse("terms:take_over", args=[world.left_behind.pk]),
        lambda world: reverse("terms:left_behind"),
    ),
    Post(
        "terms:discard",
        "ambassador",
        lambda world: reverse("terms:discard", args=[world.left_behind.pk]),
    ),
    # Alicia keeps Lima's hazard log
    Post(
        "hazards:event_create",
        "ambassador",
        lambda world: reverse("hazards:event_create"),
        changes=lambda world: {"hazard": "heatwave", "title": "Ola de calor", "started_on": "2026-11-02"},
    ),
    Post(
        "hazards:event_edit",
        "ambassador",
        lambda world: reverse("hazards:event_edit", args=[world.hazards["event"].pk]),
        changes=lambda world: {"deaths": "2"},
    ),
    # Alicia, on her own actions, evidence and targets
    Post(
        "commitments:action_create",
        "ambassador",
        lambda world: reverse("commitments:action_create", args=[world.draft.commitment_id]),
        changes=lambda world: {"title": "Taller de compostaje"},
    ),
    Post(
        "commitments:action_edit",
        "ambassador",
        _url("commitments:action_edit", "draft"),
        changes=lambda world: {"title": "Otro título"},
    ),
    Post("commitments:action_submit", "ambassador", _url("commitments:action_submit", "draft"), _detail_of("draft")),
    Post(
        "commitments:action_withdraw",
        "ambassador",
        _url("commitments:action_withdraw", "submitted"),
        _detail_of("submitted"),
    ),
    Post("commitments:action_delete", "ambassador", _url("commitments:action_delete", "draft")),
    Post(
        "commitments:evidence_upload",
        "ambassador",
        _url("commitments:evidence_upload", "draft"),
        _detail_of("draft"),
        files=lambda world: {"files": [upload("otra.pdf", pdf_bytes())]},
    ),
    Post(
        "commitments:evidence_delete",
        "ambassador",
        _url("commitments:evidence_delete", "evidence"),
        _detail_of("draft"),
    ),
    Post(
        "commitments:target_create",
        "ambassador",
        _url("commitments:target_create", "lima"),
        changes=lambda world: {
            "indicator": str(world.target.indicator_id),
            "horizon": "medium",
            "baseline": "0",
            "baseline_year": "2025",
            "target_value": "800",
            "due_on": "2028-12-31",
        },
    ),
    Post(
        "commitments:target_edit",
        "ambassador",
        _url("commitments:target_edit", "target"),
        changes=lambda world: {"target_value": "600"},
    ),
    Post("commitments:notifications", "ambassador", lambda world: reverse("commitments:notifications")),
    # Carla reviews Lima
    Post(
        "commitments:action_review",
        "coordinator",
        _url("commitments:action_review", "submitted"),
        _detail_of("submitted"),
        changes=lambda world: {"decision": "approve"},
    ),
    Post(
        "commitments:review_queue",
        "coordinator",
        lambda world: reverse("commitments:review_queue"),
        changes=lambda world: {"actions": [str(world.submitted.pk)]},
    ),
    # Reports
    Post(
        "reports:reports",
        "ambassador",
        lambda world: reverse("reports:reports"),
        changes=lambda world: {"city": str(world.lima.pk), "kind": "month", "day": "2026-10-15", "language": "es"},
    ),
    Post(
        "reports:scope_report_request",
        "coordinator",
        lambda world: reverse("reports:scope_report_request"),
        changes=lambda world: {"scope": "PE", "kind": "quarter", "day": "2026-08-15", "language": "es"},
    ),
    Post(
        "reports:report_retry",
        "ambassador",
        _url("reports:report_retry", "failed_report"),
        _url("reports:report", "failed_report"),
    ),
    Post(
        "reports:email_preferences",
        "ambassador",
        lambda world: reverse("reports:email_preferences"),
        changes=lambda world: {"reminders": "weekly"},
    ),
    # Anyone logged in
    Post(
        "logout",
        "ambassador",
        lambda world: reverse("logout"),
        lambda world: reverse("commitments:actions"),
        effect=logged_out,
    ),
    Post(
        "password_change",
        "ambassador",
        lambda world: reverse("password_change"),
        changes=lambda world: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    Post(
        "set_language",
        "ambassador",
        lambda world: reverse("set_language"),
        lambda world: reverse("commitments:actions"),
        changes=lambda world: {"language": "en"},
        effect=language_cookie_set,
    ),
    # Imports: Alicia uploads a spreadsheet of actions, then confirms or cancels a checked one
    Post(
        "imports:upload",
        "ambassador",
        lambda world: reverse("imports:upload", args=["actions"]),
        files=lambda world: {"file": upload("acciones.csv", "compromiso,título\n3.1,Importada\n".encode())},
    ),
    Post("imports:job_apply", "ambassador", _import_job_url("imports:job_apply"), _import_job_url("imports:job")),
    Post("imports:job_cancel", "ambassador", _import_job_url("imports:job_cancel"), _import_job_url("imports:job")),
    # Anonymous: logging in, and a forgotten password
    Post(
        "login",
        None,
        lambda world: reverse("login"),
        changes=lambda world: {"username": "alicia", "password": PASSWORD},
    ),
    Post(
        "password_reset",
        None,
        lambda world: reverse("password_reset"),
        changes=lambda world: {"email": world.users["ambassador"].email},
        effect=reset_email_sent,
    ),
    Post(
        "password_reset_confirm",
        None,
        _set_password_url,
        _reset_link,
        changes=lambda world: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    # Personal API tokens: Alicia creates one, then revokes one
    Post("api:tokens", "ambassador", lambda world: reverse("api:tokens"), changes=lambda world: {"name": "Hoja"}),
    Post(
        "api:token_revoke",
        "ambassador",
        lambda world: reverse("api:token_revoke", args=[_alicias_token(world).pk]),
        lambda world: reverse("api:tokens"),
    ),
    # The second factor: the login's code step (Carla gave her password), setting up an app
    # (Alicia), new recovery codes (Carla), turning it off (Alicia)
    Post(
        "login_code",
        None,
        lambda world: reverse("login_code"),
        changes=lambda world: {"code": code_of(world.users["coordinator"].totpdevice_set.get())},
        start=_password_given,
    ),
    Post(
        "twofactor_setup",
        "ambassador",
        lambda world: reverse("twofactor_setup"),
        changes=lambda world: {"code": code_of(TOTPDevice(key=SETUP_KEY))},
        start=lambda world, client: _in_session(client, twofactor.SETUP_KEY, SETUP_KEY),
    ),
    Post(
        "twofactor_recovery_codes",
        "coordinator",
        lambda world: reverse("twofactor_recovery_codes"),
        lambda world: reverse("twofactor"),
        start=lambda world, client: app_of(world.users["coordinator"]),
    ),
    Post(
        "twofactor_remove",
        "ambassador",
        lambda world: reverse("twofactor_remove"),
        lambda world: reverse("twofactor"),
        start=lambda world, client: app_of(world.users["ambassador"]),
    ),
    # Django's admin (its login is the site's), represented by one change form
    Post(
        "admin:commitments_exchangerate_change",
        "admin",
        _url("admin:commitments_exchangerate_change", "rate"),
        changes=lambda world: {"usd_per_unit": "0.30"},
    ),
]
POSTS_BY_NAME = {post.name: post for post in POSTS}


# The URL conf ------------------------------------------------------------------------------


def url_callbacks(*, with_admin):
    """{URL name (or route, when unnamed): view} for every pattern of the URL conf."""
    views = {}
    for pattern in url_patterns():
        if with_admin or not pattern.route.startswith("admin/"):
            views.setdefault(pattern.name, pattern.view)
    return views


def accepts_post(view):
    """A class-based view with a post() handler, or a function view whose code (or that of a
    helper of its module it calls, like _target_form_view) reads POST."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    function = inspect.unwrap(view)
    helpers = [function.__globals__.get(name) for name in function.__code__.co_names]
    own = [function] + [h for h in helpers if inspect.isfunction(h) and h.__module__ == function.__module__]
    return any("POST" in inspect.getsource(code) for code in own)


# Checking ----------------------------------------------------------------------------------


@pytest.fixture
def csrf_refusals(monkeypatch):
    """The reasons the CSRF middleware gave for each request it refused."""
    reasons = []
    reject = CsrfViewMiddleware._reject

    def spy(middleware, request, reason):
        reasons.append(reason)
        return reject(middleware, request, reason)

    monkeypatch.setattr(CsrfViewMiddleware, "_reject", spy)
    return reasons


def browser_of(world, post):
    """A client that checks CSRF as a real request is checked, logged in as the post's person."""
    client = Client(enforce_csrf_checks=True)
    if post.who is not None:
        client.force_login(world.users[post.who])
    if post.start is not None:
        post.start(world, client)
    return client


def filled_in(world, post, form):
    data = {**form.fields, **post.changes(world), **post.files(world)}
    return {name: value for name, value in data.items() if name != "csrfmiddlewaretoken"}


def token_of(form):
    tokens = form.fields.get("csrfmiddlewaretoken", [])
    assert tokens, "The form has no {% csrf_token %}: a browser could never send it"
    return tokens[0]


# The tests ---------------------------------------------------------------------------------


def test_every_url_that_accepts_post_has_a_row_here():
    views = url_callbacks(with_admin=False)
    missing = sorted(name for name, view in views.items() if accepts_post(view) and name not in POSTS_BY_NAME)
    all_names = set(url_callbacks(with_admin=True))
    stale = sorted(name for name in POSTS_BY_NAME if name not in all_names)
    assert not missing, f"These URLs accept POST but have no row in POSTS: {missing}"
    assert not stale, f"These rows of POSTS name no URL any more: {stale}"


def checks_csrf_itself(view):
    """Django REST framework's views are exempt from the middleware because they check CSRF
    themselves for a request the session authenticates; the only other way in is a token in a
    header, which a browser never sends on its own."""
    view_class = getattr(view, "cls", None)
    if view_class is None or not issubclass(view_class, APIView):
        return False
    return all(
        issubclass(auth, SessionAuthentication | ApiTokenAuthentication) for auth in view_class().authentication_classes
    )


def test_the_api_refuses_a_session_post_without_its_csrf_token_and_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["ambassador"])
    client.get(reverse("api:tokens"))  # a page gives the browser its CSRF cookie
    url = reverse("api:action-submit", args=[world.draft.pk])
    before = fingerprint()

    refused = client.post(url, {}, content_type="application/json")

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert changed_tables(before, fingerprint()) == []
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(url, {}, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 200
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted"


def test_no_view_is_exempt_from_the_csrf_check():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    exempt = sorted(
        name
        for name, view in url_callbacks(with_admin=True).items()
        if getattr(view, "csrf_exempt", False) and not checks_csrf_itself(view)
    )
    assert not exempt, f"These views skip the CSRF check: {exempt}"


@pytest.mark.django_db
@pytest.mark.parametrize("post", POSTS, ids=[post.name for post in POSTS])
def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(world, post, csrf_refusals):
    client = browser_of(world, post)
    posts_to, form = form_posting_to(client, (post.page or post.url)(world), post.url(world))
    assert settings.CSRF_COOKIE_NAME in client.cookies  # the page gave the browser its CSRF cookie
    session_before = client.session.session_key
    before = fingerprint(include_bookkeeping=True)  # a refusal writes nothing at all, sessions included
    mail.outbox.clear()

    response = client.post(posts_to, filled_in(world, post, form))

    assert response.status_code == 403
    assert csrf_refusals == ["CSRF token missing."]
    assert changed_tables(before, fingerprint(include_bookkeeping=True)) == []
    if post.effect is not None:
        assert not post.effect(client, response)
    assert mail.outbox == []
    if post.who is not None:
        assert client.session.session_key == session_before
        assert client.session["_auth_user_id"] == str(world.users[post.who].pk)
        # Still logged in (a page every signed-in person opens, the newcomer before accepting too).
        assert client.get(reverse("password_change")).status_code == 200
    else:
        assert "_auth_user_id" not in client.session  # not logged in by a forged login form


@pytest.mark.django_db
@pytest.mark.parametrize("post", POSTS, ids=[post.name for post in POSTS])
def test_the_same_post_with_the_token_its_form_carries_does_what_it_is_for(world, post, csrf_refusals):
    client = browser_of(world, post)
    posts_to, form = form_posting_to(client, (post.page or post.url)(world), post.url(world))
    before = fingerprint()
    mail.outbox.clear()

    response = client.post(posts_to, {**filled_in(world, post, form), "csrfmiddlewaretoken": token_of(form)})

    assert csrf_refusals == []
    assert response.status_code in (200, 302)
    changed = changed_tables(before, fingerprint())
    if post.effect is not None:
        assert post.effect(client, response)
    else:
        assert changed, f"{post.name}: accepted, but nothing changed (are the form's data what it needs?)"


@pytest.mark.django_db
def test_a_post_with_the_csrf_cookie_value_as_its_token_header_is_accepted(world, csrf_refusals):
    """What a script would do: the token from the csrftoken cookie, sent in X-CSRFToken."""
    alicia = world.users["ambassador"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alicia)
    client.get(reverse("commitments:action", args=[world.draft.pk]))
    response = client.post(
        reverse("commitments:action_submit", args=[world.draft.pk]),
        headers={"X-CSRFToken": client.cookies[settings.CSRF_COOKIE_NAME].value},
    )
    assert csrf_refusals == []
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted"
