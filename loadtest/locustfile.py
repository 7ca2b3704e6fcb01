"""Load test of the OMCS commitment tracker: ambassadors and coordinators at work.

Ambassadors (about 70 % of the simulated users) log in, open their landing page, their city,
their action list and actions, and log actions through the real forms: a draft is created
(GET the form, read its fields and csrf token like a browser, POST valid data), edited, sent for
review, and now and then given a small PNG as evidence. Coordinators (about 30 %) log in, read
the dashboards, the city pages, the review queue and the reports, and approve or return a
submitted action now and then.

A request fails when it answers 5xx, a 4xx it should not, a redirect to somewhere unexpected
(the login page, for one), or a form that comes back with errors when it should have saved.

Run through loadtest/run.sh, or by hand against a running site:
    .venv-load/bin/locust -f loadtest/locustfile.py --host http://127.0.0.1:8765
Environment: UPLOADS_PER_LOGIN (evidence files per demo login for the whole run, default 3;
0 turns uploads off), WAIT_MIN / WAIT_MAX (think time between tasks, seconds; default 1 and 3).
"""

# Simulated users: random is for variety, not secrets; the password is the demo's public one.
# ruff: noqa: S311, S105

import collections
import datetime
import itertools
import json
import os
import random
import re

from browsing import demo_code, errors_of, form_with, small_png
from gevent.lock import Semaphore
from locust import HttpUser, between, events, task

PASSWORD = "demo-omcs-2026"
AMBASSADOR_LOGINS = [
    "emb.cdmx",
    "emb.monterrey",
    "emb.bogota",
    "emb.medellin",
    "emb.lima",
    "emb.valparaiso",
    "emb.rosario",
    "emb.sanjose",
]
COORDINATOR_LOGINS = ["coord.norte", "coord.sur"]
CODE_PATH = "/accounts/login/codigo/"
UPLOADS_PER_LOGIN = int(os.environ.get("UPLOADS_PER_LOGIN", "3"))
WAIT_MIN = float(os.environ.get("WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("WAIT_MAX", "3"))
MAX_OPEN_DRAFTS = 3  # per simulated ambassador: past this, it submits one instead of creating

# Several simulated users share each demo login, each with a session of its own.
_ambassador_logins = itertools.cycle(AMBASSADOR_LOGINS)
_coordinator_logins = itertools.cycle(COORDINATOR_LOGINS)
_uploads_by_login = collections.Counter()
# One code in flight per demo login: the site takes each account's steps in increasing order only,
# and after a refused code django-otp throttles the account, so two sessions whose codes reach
# the server out of order would fail each other's logins (a race of the test, not of the site).
_code_locks = collections.defaultdict(Semaphore)
# Each simulated user is a client of its own address, as the proxy in front would say (run.sh
# sets BEHIND_TLS_PROXY): the site's login limits per address (ambassadors/access.py) would
# otherwise see fifty people log in from one address, and slow that address down as a sprayer.
_addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))
# What the run wrote, for the summary: shows the workflow really moved, not just pages read.
WORKLOAD = collections.Counter()

FORM_ERRORS_BANNER = "Revise los campos marcados"
ACTION_HREF = re.compile(r'href="/acciones/(\d+)/"')
COMMITMENT_HREF = re.compile(r'href="/acciones/nueva/(\d+)/"')
CITY_PROGRESS_HREF = re.compile(r'href="/ciudades/(\d+)/progreso/"')
REPORT_HREF = re.compile(r'href="/informes/(\d+)/"')


# Users ------------------------------------------------------------------------------------


class OmcsUser(HttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        self.client.headers.update(
            {"Accept-Language": "es", "User-Agent": "omcs-loadtest (Locust)", "X-Forwarded-For": next(_addresses)}
        )
        self.login()

    def request(self, method, path, *, name=None, expect=(200,), location=None, check=None, **kwargs):
        """One request, redirects not followed, checked against what the page should answer.

        expect: the acceptable status codes; location: a regex the redirect target must match;
        check: called with the response, returns what is wrong with it (or None).
        Returns the response, or None when it failed (the failure is already recorded).
        """
        with self.client.request(
            method, path, name=name or path, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            status = response.status_code
            target = response.headers.get("Location", "")
            if status not in expect:
                detail = f"{status} on {method} {path}, expected {'/'.join(map(str, expect))}"
                if status in (301, 302, 303):
                    detail += f" (redirected to {target})"
                elif status == 200 and FORM_ERRORS_BANNER in response.text:
                    detail += f" (form errors: {errors_of(response.text)})"
                elif status == 0:
                    detail += f" ({response.error})"
                response.failure(detail)
                return None
            if location is not None and status in (301, 302, 303) and not re.fullmatch(location, target):
                response.failure(f"{method} {path} redirected to {target}, expected {location}")
                return None
            problem = check(response) if check is not None else None
            if problem:
                response.failure(problem)
                return None
            response.success()
            return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def fail(self, name, message):
        """A failure found without a request of its own (counted like a failed request)."""
        self.environment.events.request.fire(
            request_type="CHECK",
            name=name,
            response_time=0,
            response_length=0,
            response=None,
            context={},
            exception=AssertionError(message),
        )

    def get_form(self, path, *, field=None, action_suffix=None, **kwargs):
        """GET a page and the form on it (by a field, or by where it posts); a page without
        that form is a failure. Returns (response, form), or (None, None)."""
        found = []

        def check(response):
            form = form_with(response.text, field=field, action_suffix=action_suffix)
            if form is None:
                return f"no form with {field or action_suffix} on {path}"
            found.append(form)
            return None

        response = self.get(path, check=check, **kwargs)
        return (response, found[0]) if response is not None else (None, None)

    def login(self):
        self.username = self.next_login()
        _page, form = self.get_form("/accounts/login/", field="username")
        if form is None:
            return
        data = form.data()
        data["username"] = [self.username]
        data["password"] = [PASSWORD]
        # A failed login renders the form again (200): a failure here, never a lockout risk.
        response = self.post("/accounts/login/", data=data, expect=(302,), location=rf"/inicio/|{CODE_PATH}")
        if response is None or response.headers.get("Location") != CODE_PATH:
            return
        # The demo coordinators have a second factor: the code an app with the demo's secret shows.
        _page, form = self.get_form(CODE_PATH, field="code")
        if form is None:
            return
        data = form.data()
        with _code_locks[self.username]:
            data["code"] = [demo_code(self.username)]
            self.post(CODE_PATH, data=data, expect=(302,), location=r"/inicio/")


class AmbassadorUser(OmcsUser):
    weight = 7

    def next_login(self):
        return next(_ambassador_logins)

    def on_start(self):
        self.drafts = []  # ids of the drafts this simulated user created and has not sent yet
        self.seen_actions = []
        self.commitments = []
        self.city_progress = None
        super().on_start()
        self.landing()

    # Reading ------------------------------------------------------------------------------

    @task(3)
    def landing(self):
        moved = self.get("/inicio/", expect=(302,), location=r"/ciudades/\d+/progreso/")
        if moved is not None:
            self.city_progress = moved.headers["Location"]
            self.get(self.city_progress, name="/ciudades/[id]/progreso/")

    @task(2)
    def my_city(self):
        moved = self.get("/mi-ciudad/", expect=(302,), location=r"/ciudades/\d+/progreso/")
        if moved is not None:
            self.get(moved.headers["Location"], name="/ciudades/[id]/progreso/")

    @task(4)
    def action_list(self):
        roll = random.random()
        if roll < 0.15:
            page = self.get("/acciones/?status=approved", name="/acciones/?filters")
        elif roll < 0.25:
            page = self.get("/acciones/?q=taller", name="/acciones/?filters")
        else:
            page = self.get("/acciones/")
        if page is not None:
            self.seen_actions = ACTION_HREF.findall(page.text) or self.seen_actions

    @task(4)
    def action_detail(self):
        if not self.seen_actions:
            return self.action_list()
        self.get(f"/acciones/{random.choice(self.seen_actions)}/", name="/acciones/[id]/")

    @task(1)
    def notifications(self):
        self.get("/avisos/")

    @task(1)
    def cities(self):
        self.get("/ciudades/")

    # Writing ------------------------------------------------------------------------------

    @task(2)
    def create_draft(self):
        if len(self.drafts) >= MAX_OPEN_DRAFTS:
            return self.submit_draft()
        choose = self.get(
            "/acciones/nueva/", check=lambda r: None if COMMITMENT_HREF.search(r.text) else "no commitment to choose"
        )
        if choose is None:
            return
        self.commitments = COMMITMENT_HREF.findall(choose.text)
        path = f"/acciones/nueva/{random.choice(self.commitments)}/"
        _page, form = self.get_form(path, field="title", name="/acciones/nueva/[commitment]/")
        if form is None:
            return
        data = self.fill_action(form, new=True)
        data["save"] = [""]
        saved = self.post(
            path, name="/acciones/nueva/[commitment]/", data=data, expect=(302,), location=r"/acciones/\d+/"
        )
        if saved is None:
            return
        action_id = saved.headers["Location"].strip("/").split("/")[-1]
        WORKLOAD["drafts created"] += 1
        self.drafts.append(action_id)
        detail = self.open_saved(action_id)
        if detail is not None and random.random() < 0.3:
            self.upload_evidence(action_id, detail)

    @task(2)
    def edit_draft(self):
        if not self.drafts:
            return self.create_draft()
        action_id = random.choice(self.drafts)
        path = f"/acciones/{action_id}/editar/"
        _page, form = self.get_form(path, field="title", name="/acciones/[id]/editar/")
        if form is None:
            return
        data = self.fill_action(form, new=False)
        # Now and then "Guardar y enviar a revisión" straight from the form.
        send = random.random() < 0.3
        data["submit" if send else "save"] = [""]
        saved = self.post(
            path, name="/acciones/[id]/editar/", data=data, expect=(302,), location=rf"/acciones/{action_id}/"
        )
        if saved is None:
            return
        WORKLOAD["drafts edited"] += 1
        if send:
            WORKLOAD["actions submitted"] += 1
            self.drafts.remove(action_id)
        self.open_saved(action_id)

    @task(1)
    def submit_draft(self):
        if not self.drafts:
            return self.create_draft()
        action_id = random.choice(self.drafts)
        _page, form = self.get_form(
            f"/acciones/{action_id}/", action_suffix=f"/acciones/{action_id}/enviar/", name="/acciones/[id]/"
        )
        if form is None:
            return
        # Success goes back to the action; missing data would go to its form (?enviar=1).
        sent = self.post(
            form.action,
            name="/acciones/[id]/enviar/",
            data=form.data(),
            expect=(302,),
            location=rf"/acciones/{action_id}/",
        )
        if sent is None:
            return
        WORKLOAD["actions submitted"] += 1
        self.drafts.remove(action_id)
        self.open_saved(action_id)

    def open_saved(self, action_id):
        """The action's page after a save: it must show no error message."""
        return self.get(
            f"/acciones/{action_id}/",
            name="/acciones/[id]/",
            check=lambda r: (
                f"action {action_id} shows an error after saving: {errors_of(r.text)}"
                if "alert alert-danger" in r.text
                else None
            ),
        )

    def upload_evidence(self, action_id, detail):
        """A small PNG, rarely: at most UPLOADS_PER_LOGIN per demo login for the whole run."""
        if _uploads_by_login[self.username] >= UPLOADS_PER_LOGIN:
            return
        form = form_with(detail.text, action_suffix=f"/acciones/{action_id}/evidencias/")
        if form is None:  # a draft of ours always offers the upload form
            self.fail("/acciones/[id]/evidencias/", f"no upload form on draft {action_id}")
            return
        _uploads_by_login[self.username] += 1
        data = form.data()
        data["title"] = ["Foto de la actividad"]
        uploaded = self.post(
            form.action,
            name="/acciones/[id]/evidencias/",
            data=data,
            files=[("files", ("actividad.png", small_png(), "image/png"))],
            expect=(302,),
            location=rf"/acciones/{action_id}/",
        )
        if uploaded is None:
            return
        page = self.get(
            f"/acciones/{action_id}/",
            name="/acciones/[id]/",
            check=lambda r: (
                None
                if "Evidencias guardadas" in r.text
                else f"evidence not stored on action {action_id}: {errors_of(r.text)}"
            ),
        )
        if page is None:
            return
        WORKLOAD["evidence files uploaded"] += 1

    def fill_action(self, form, *, new):
        """Valid data for the action form, everything a submission needs included."""
        data = form.data()
        today = datetime.date.today()
        started = today - datetime.timedelta(days=random.randint(3, 120))
        ended = started + datetime.timedelta(days=random.randint(0, 2))
        people = random.randint(20, 400)
        women = random.randint(0, people // 2)
        men = random.randint(0, people - women)
        number = random.randint(1000, 9999)
        if new:
            data["title"] = [f"Jornada comunitaria de prueba de carga {number}"]
        data["started_on"] = [started.isoformat()]
        data["ended_on"] = [ended.isoformat()]
        data["description"] = [
            f"Actividad con vecinas y vecinos del barrio, organizada con el municipio (registro {number})."
        ]
        data["outcome"] = ["Se acordó un plan de seguimiento y se formó un grupo de trabajo."]
        data["people_reached"] = [str(people)]
        data["women_reached"] = [str(women)]
        data["men_reached"] = [str(men)]
        data["other_reached"] = [str(people - women - men)]
        data["youth_reached"] = [str(random.randint(0, people))]
        if random.random() < 0.3:  # some actions also count these groups, each within the total
            for group in ("disability_reached", "indigenous_reached", "afro_reached"):
                data[group] = [str(random.randint(0, people))]
        data["partners"] = ["Junta de vecinos\nUniversidad local"]
        areas = form.choices.get("focus_areas", [])
        if areas:  # a submission needs at least one focus area when the commitment has some
            data["focus_areas"] = random.sample(areas, k=min(len(areas), random.randint(1, 2)))
        cities = form.choices.get("cities_involved", [])
        if cities and random.random() < 0.3:
            data["cities_involved"] = random.sample(cities, k=1)
        for name in list(data) + list(form.choices):
            if not name.startswith("values-indicator_"):
                continue
            options = [value for value in form.choices.get(name, []) if value]
            data[name] = [random.choice(options) if options else str(random.randint(1, 90))]
        if new and random.random() < 0.3 and "links-0-url" in data:
            data["links-0-url"] = [f"https://example.org/omcs/actividad-{number}"]
            data["links-0-title"] = ["Nota de prensa"]
        return data


class CoordinatorUser(OmcsUser):
    weight = 3

    def next_login(self):
        return next(_coordinator_logins)

    def on_start(self):
        self.city_pages = []
        self.queue = []
        super().on_start()
        moved = self.get("/inicio/", expect=(302,), location=r"/panel/")
        if moved is not None:
            self.overview()

    @task(3)
    def overview(self):
        period = random.choice(["", "", "?period=month", "?period=quarter", "?period=year"])
        self.get(f"/panel/{period}", name="/panel/")

    @task(2)
    def cities_table(self):
        page = self.get("/panel/ciudades/")
        if page is not None:
            self.city_pages = CITY_PROGRESS_HREF.findall(page.text) or self.city_pages

    @task(2)
    def city_progress(self):
        if not self.city_pages:
            return self.cities_table()
        self.get(f"/ciudades/{random.choice(self.city_pages)}/progreso/", name="/ciudades/[id]/progreso/")

    @task(3)
    def review_queue(self):
        page = self.get("/revision/")
        if page is not None:
            self.queue = ACTION_HREF.findall(page.text)
        return page

    @task(2)
    def queued_action(self):
        if not self.queue:
            return self.review_queue()
        self.get(f"/acciones/{random.choice(self.queue)}/", name="/acciones/[id]/")

    @task(1)
    def reports(self):
        page = self.get("/informes/")
        reports = REPORT_HREF.findall(page.text) if page is not None else []
        if reports:
            self.get(f"/informes/{random.choice(reports)}/", name="/informes/[id]/")

    @task(1)
    def network(self):
        self.get("/ciudades/")

    @task(1)
    def review(self):
        """Open a submitted action of the queue, then approve it (3 in 4) or return it."""
        queue = self.review_queue()
        if queue is None or not self.queue:
            return
        action_id = random.choice(self.queue)
        page = self.get(f"/acciones/{action_id}/", name="/acciones/[id]/")
        if page is None:
            return
        form = form_with(page.text, action_suffix=f"/acciones/{action_id}/revisar/")
        if form is None:  # decided by another coordinator since the queue was read
            WORKLOAD["reviews already decided"] += 1
            return
        data = form.data()
        if random.random() < 0.75:
            data["decision"] = ["approve"]
        else:
            data["decision"] = ["return"]
            data["comment"] = ["Gracias. Añada la lista de asistentes y una foto de la actividad, por favor."]
        with self.client.post(
            form.action, name="/acciones/[id]/revisar/", data=data, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").startswith("/revision/"):
                WORKLOAD["actions approved" if data["decision"] == ["approve"] else "actions returned"] += 1
                response.success()
            elif response.status_code == 200 and (
                "ya no está en un estado" in response.text
                or form_with(response.text, action_suffix=f"/acciones/{action_id}/revisar/") is None
            ):
                # Another coordinator (the same login, in another session) decided first: the
                # app refuses the second decision and shows the action again. When the action
                # was already decided as this request began, the page has no review section,
                # so the refusal is not shown either: both are an expected lost race.
                WORKLOAD["reviews lost to a concurrent decision"] += 1
                response.success()
            else:
                detail = errors_of(response.text) if response.status_code == 200 else response.headers.get("Location")
                response.failure(f"{response.status_code} on review of action {action_id}: {detail}")


# The run's figures for loadtest/run.sh, written once every user has stopped -------------------

_environment = None


@events.init.add_listener
def remember_environment(environment, **_kwargs):
    global _environment
    _environment = environment


@events.quit.add_listener
def write_summary(exit_code, **_kwargs):
    """Final figures to OMCS_LOAD_SUMMARY (JSON), if set: unlike the CSV files, which Locust
    writes on a timer, these include the requests of the users' last tasks."""
    path = os.environ.get("OMCS_LOAD_SUMMARY")
    if not path or _environment is None or _environment.runner is None:
        return
    total = _environment.stats.total
    summary = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.total_rps,
        "p50": total.get_response_time_percentile(0.50),
        "p95": total.get_response_time_percentile(0.95),
        "p99": total.get_response_time_percentile(0.99),
        "max": total.max_response_time,
        "failure_list": [
            {"method": error.method, "name": error.name, "error": str(error.error), "count": error.occurrences}
            for error in sorted(_environment.stats.errors.values(), key=lambda error: -error.occurrences)
        ],
        "exceptions": [
            {"count": row["count"], "message": row["msg"]} for row in _environment.runner.exceptions.values()
        ],
        "workload": dict(sorted(WORKLOAD.items())),
        # Per page: issue 27's goal is a p95 under 800 ms for each one but the login.
        "endpoints": [
            {
                "method": entry.method,
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50": entry.get_response_time_percentile(0.50),
                "p95": entry.get_response_time_percentile(0.95),
                "max": entry.max_response_time,
            }
            for entry in sorted(_environment.stats.entries.values(), key=lambda entry: (entry.name, entry.method))
            if entry.num_requests
        ],
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
