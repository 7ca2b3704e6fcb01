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

COMMITMENT_HREF = re.compile(rb'href="/acciones/nueva/(\d+)/"')
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ACTION_LOCATION = re.compile(r"/acciones/(\d+)/")
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
    """The new-action form filled as an ambassador would, all a submission needs included,
    except the per-request fields (token, title, dates) and the button."""
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


def _submit_once(browser, path, template, *, client, number):
    """GET the form, POST it with "Guardar y enviar". Returns (GET s, POST s, error or None, action id)."""
    started = time.perf_counter()
    status, location, page = browser.request("GET", path)
    got = time.perf_counter()
    token = CSRF_INPUT.search(page) if status == 200 else None
    if token is None:
        return got - started, 0.0, f"GET {path}: {_describe(status, location, page)}", None
    day = datetime.date.today() - datetime.timedelta(days=3 + number % 90)
    fields = [
        ("csrfmiddlewaretoken", token.group(1).decode()),
        ("title", f"Jornada de banco de pruebas {client}-{number}"),
        ("started_on", day.isoformat()),
        ("ended_on", (day + datetime.timedelta(days=1)).isoformat()),
        *template,
        ("submit", ""),
    ]
    status, location, content = browser.request("POST", path, fields)
    posted = time.perf_counter()
    moved = ACTION_LOCATION.fullmatch(location) if status == 302 else None
    error = None if moved else f"POST {path}: {_describe(status, location, content)}"
    return got - started, posted - got, error, moved and int(moved.group(1))


def run_client(phase, index, port, login, password, ready, go, start_at, warmup, seconds, results):
    """One client process: set up, wait for the common start, loop until the deadline."""
    try:
        browser = Browser(port)
        if phase == "submissions":
            _login(browser, login, password)
            _status, _location, page = browser.request("GET", CHOOSE_PATH)
            commitments = sorted({int(pk) for pk in COMMITMENT_HREF.findall(page)})
            if not commitments:
                raise RuntimeError(f"{login} is offered no commitment on {CHOOSE_PATH}")
            templates = {}
            for pk in commitments:
                path = f"{CHOOSE_PATH}{pk}/"
                _status, _location, form_page = browser.request("GET", path)
                templates[path] = _action_template(*_form_with(form_page, "title"))
            paths = list(templates)
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
    latencies, get_latencies, errors, first_error, created = [], [], 0, None, []
    cpu_start = None
    number = 0
    while (now := time.monotonic()) < deadline:
        counted = now >= window_start
        if counted and cpu_start is None:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu_start = usage.ru_utime + usage.ru_stime
        if phase == "minimal":
            started = time.perf_counter()
            try:
                status, location, content = browser.request("GET", MINIMAL_PATH)
                error = None if status == 200 and content == b"ok" else _describe(status, location, content)
            except (OSError, http.client.HTTPException) as failure:
                error = f"{type(failure).__name__}: {failure}"
            elapsed = time.perf_counter() - started
        else:
            number += 1
            path = paths[(index + number) % len(paths)]
            try:
                get_time, elapsed, error, action_id = _submit_once(
                    browser, path, templates[path], client=index, number=number
                )
            except (OSError, http.client.HTTPException) as failure:
                get_time, elapsed, error, action_id = 0.0, 0.0, f"{type(failure).__name__}: {failure}", None
            if action_id:
                created.append(action_id)
            if counted and error is None:
                get_latencies.append(get_time)
        if not counted:
            continue
        if error is None:
            latencies.append(elapsed)
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
            "sessions": [browser.cookies.get("sessionid")] if phase == "submissions" else [],
            "created": len(created),
        }
    )
