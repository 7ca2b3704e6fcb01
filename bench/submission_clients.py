"""The clients of bench/submissions.py: each in a process of its own, a browser of sorts
(http.client, cookies, the forms' fields) that logs in once and then submits actions through
the real form, or requests the minimal view, and reports what it measured."""

import datetime
import http.client
import re
import resource
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie

LOGIN_PATH = "/accounts/login/"
CHOOSE_PATH = "/acciones/nueva/"
MINIMAL_PATH = "/bench/minimal/"
FLOOR_PATH = "/bench/floor/"

COMMITMENT_HREF = re.compile(rb'href="/acciones/nueva/(\d+)/"')
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ACTION_LOCATION = re.compile(r"/acciones/(\d+)/")
FLOOR_LOCATION = re.compile(r"/bench/floor/\d+/\?saved=(\d+)")
ERROR_TEXT = re.compile(rb'class="[^"]*(?:invalid-feedback|alert-danger)[^"]*"[^>]*>(.*?)</(?:div|span)>', re.S)
TAG = re.compile(rb"<[^>]+>|\s+")


class Browser:
    """One client's connection and cookies; redirects are not followed."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}

    def request(self, method, path, fields=None):
        headers = {"Accept-Language": "es", "User-Agent": "omcs-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                # A kept-alive connection the server closed meanwhile: a GET is tried again.
                self.connection.close()
                if attempt == 2 or method != "GET":
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), content


class FormParser(HTMLParser):
    """The fields a browser would send for each <form> of a page, and the choices offered."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [(fields [(name, value)], choices {name: [values]})]
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self._form = ([], {})
            self.forms.append(self._form)
        elif self._form is None or (not name and tag != "option"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                value = attrs.get("value") or "on"
                self._form[1].setdefault(name, []).append(value)
                if "checked" in attrs:
                    self._form[0].append((name, value))
            else:
                self._form[0].append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._form[1].setdefault(self._select[0], []).append(value)
            self._select[1] = value if self._select[1] is None else self._select[1]
            if "selected" in attrs:
                self._select[2] = value
        elif tag == "textarea":
            self._textarea = [name, []]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, first, selected = self._select
            if (selected or first) is not None:
                self._form[0].append((name, selected if selected is not None else first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            self._form[0].append((name, text.removeprefix("\n")))
            self._textarea = None


def _form_with(page, field):
    parser = FormParser()
    parser.feed(page.decode())
    parser.close()
    for fields, choices in parser.forms:
        if field in {name for name, _value in fields} | set(choices):
            return fields, choices
    raise RuntimeError(f"no form with a {field!r} field on the page")


def _describe(status, location, content):
    """What went wrong with a response, in a line or two, for the report."""
    if status in (301, 302, 303):
        return f"{status} to {location}"
    messages = [TAG.sub(b" ", text).strip().decode(errors="replace") for text in ERROR_TEXT.findall(content)]
    detail = "; ".join(message for message in messages if message) or TAG.sub(b" ", content[:2000]).decode(
        errors="replace"
    )
    return f"{status}: {detail.strip()[:500]}"


def _action_template(fields, choices):
    """The new-action form filled as an ambassador would, all a submission needs included, with
    a value of an indicator and a link, except the per-request fields (token, title, dates) and
    the button."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name in ("csrfmiddlewaretoken", "title", "started_on", "ended_on"):
        data.pop(name, None)
    data.update(
        description=["Taller con vecinas y vecinos del barrio, organizado con el municipio (banco de pruebas)."],
        outcome=["Se acordó un plan de seguimiento y se formó un grupo de trabajo."],
        people_reached=["120"],
        women_reached=["50"],
        men_reached=["60"],
        other_reached=["10"],
        youth_reached=["30"],
        disability_reached=["6"],
        indigenous_reached=["15"],
        afro_reached=["9"],
        partners=["Junta de vecinos\nUniversidad local"],
    )
    # A link: evidence without a file (commitments.services._save_links).
    data.update({"links-0-url": ["https://example.org/banco-de-pruebas"], "links-0-title": ["Acta del taller"]})
    if choices.get("focus_areas"):  # a submission needs one when the commitment has any
        data["focus_areas"] = choices["focus_areas"][:1]
    indicators = sorted(name for name in set(data) | set(choices) if name.startswith("values-indicator_"))
    if indicators:
        options = [value for value in choices.get(indicators[0], []) if value]
        data[indicators[0]] = ["1" if "1" in options else options[0]] if options else ["12"]
    return [(name, value) for name, values in data.items() for value in values]


def _login(browser, login, password):
    _status, _location, page = browser.request("GET", LOGIN_PATH)
    fields, _choices = _form_with(page, "username")
    data = dict(fields)
    data.update(username=login, password=password)
    status, location, content = browser.request("POST", LOGIN_PATH, list(data.items()))
    if status != 302 or location.startswith(LOGIN_PATH):
        raise RuntimeError(f"login as {login} failed: {_describe(status, location, content)}")


def _post_form(browser, path, fields_for, location, *, client, number):
    """GET the form at `path`, POST it with its token and `fields_for(title, day)`; success is a
    302 whose Location fully matches `location`. Returns (GET s, POST s, error or None, row id)."""
    started = time.perf_counter()
    status, where, page = browser.request("GET", path)
    got = time.perf_counter()
    token = CSRF_INPUT.search(page) if status == 200 else None
    if token is None:
        return got - started, 0.0, f"GET {path}: {_describe(status, where, page)}", None
    day = datetime.date.today() - datetime.timedelta(days=3 + number % 90)
    title = f"Jornada de banco de pruebas {client}-{number}"
    fields = [("csrfmiddlewaretoken", token.group(1).decode()), *fields_for(title, day)]
    status, where, content = browser.request("POST", path, fields)
    posted = time.perf_counter()
    moved = location.fullmatch(where) if status == 302 else None
    error = None if moved else f"POST {path}: {_describe(status, where, content)}"
    return got - started, posted - got, error, moved and int(moved.group(1))


def _submit_once(browser, path, template, *, client, number):
    """The real form: saved with "Guardar y enviar a revisión" (name="submit")."""

    def fields_for(title, day):
        dates = [("started_on", day.isoformat()), ("ended_on", (day + datetime.timedelta(days=1)).isoformat())]
        return [("title", title), *dates, *template, ("submit", "")]

    return _post_form(browser, path, fields_for, ACTION_LOCATION, client=client, number=number)


def _floor_once(browser, path, *, client, number):
    """The floor's ModelForm (bench/urls.py): a few of the action's own fields, one row."""

    def fields_for(title, day):
        return [
            ("title", title),
            ("started_on", day.isoformat()),
            ("description", "Taller con vecinas y vecinos del barrio (banco de pruebas)."),
            ("people_reached", "120"),
        ]

    return _post_form(browser, path, fields_for, FLOOR_LOCATION, client=client, number=number)


def _prepare(phase, browser, login, password):
    """Log in and read the forms each loop posts: {path: the real form's template}, or the
    floor's paths (its fields are fixed)."""
    if phase == "minimal":
        return {}
    _login(browser, login, password)
    _status, _location, page = browser.request("GET", CHOOSE_PATH)
    commitments = sorted({int(pk) for pk in COMMITMENT_HREF.findall(page)})
    if not commitments:
        raise RuntimeError(f"{login} is offered no commitment on {CHOOSE_PATH}")
    if phase == "floor":
        return {f"{FLOOR_PATH}{pk}/": None for pk in commitments}
    templates = {}
    for pk in commitments:
        path = f"{CHOOSE_PATH}{pk}/"
        _status, _location, form_page = browser.request("GET", path)
        templates[path] = _action_template(*_form_with(form_page, "title"))
    return templates


def _once(phase, browser, templates, *, index, number):
    """One unit of work of the phase: (GET s, POST or request s, error or None)."""
    if phase == "minimal":
        started = time.perf_counter()
        try:
            status, location, content = browser.request("GET", MINIMAL_PATH)
            error = None if status == 200 and content == b"ok" else _describe(status, location, content)
        except (OSError, http.client.HTTPException) as failure:
            error = f"{type(failure).__name__}: {failure}"
        return 0.0, time.perf_counter() - started, error
    paths = list(templates)
    path = paths[(index + number) % len(paths)]
    try:
        if phase == "floor":
            get_time, elapsed, error, _pk = _floor_once(browser, path, client=index, number=number)
        else:
            get_time, elapsed, error, _pk = _submit_once(browser, path, templates[path], client=index, number=number)
    except (OSError, http.client.HTTPException) as failure:
        get_time, elapsed, error = 0.0, 0.0, f"{type(failure).__name__}: {failure}"
    return get_time, elapsed, error


def run_client(phase, index, port, login, password, ready, go, start_at, warmup, seconds, results):
    """One client process: set up, wait for the common start, loop until the deadline."""
    try:
        browser = Browser(port)
        templates = _prepare(phase, browser, login, password)
        ready.put((index, None))
    except Exception as error:  # reported by the parent, which then stops the run
        ready.put((index, f"client {index} ({login or 'anonymous'}): {type(error).__name__}: {error}"))
        return
    go.wait()
    if start_at.value < 0:
        return
    window_start = start_at.value + warmup
    deadline = window_start + seconds
    while time.monotonic() < start_at.value:
        time.sleep(0.001)
    latencies, get_latencies, errors, first_error, created = [], [], 0, None, 0
    cpu_start = None
    number = 0
    while (now := time.monotonic()) < deadline:
        counted = now >= window_start
        if counted and cpu_start is None:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu_start = usage.ru_utime + usage.ru_stime
        number += 1
        get_time, elapsed, error = _once(phase, browser, templates, index=index, number=number)
        created += phase != "minimal" and error is None  # a row written, warm-up included
        if not counted:
            continue
        if error is None:
            latencies.append(elapsed)
            if phase != "minimal":
                get_latencies.append(get_time)
        else:
            errors += 1
            first_error = first_error or error
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put(
        {
            "index": index,
            "latencies": latencies,
            "get_latencies": get_latencies,
            "errors": errors,
            "first_error": first_error,
            "client_cpu": usage.ru_utime + usage.ru_stime - (cpu_start or 0),
            "sessions": [browser.cookies.get("sessionid")] if phase != "minimal" else [],
            "created": created,
        }
    )
