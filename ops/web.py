"""A person at a browser, for the checks: a cookie jar, the forms of a page, and several hosts of one
site. Each request goes to the host asked for; when that host refuses the connection (the request
never reached a server, so it is safe to send again) it goes to the next host instead."""

import base64
import hashlib
import hmac
import http.cookiejar
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


def totp(secret, *, at=None, step=30, digits=6):
    """The TOTP code (RFC 6238, SHA-1) of a base32 `secret` at time `at`."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class FormParser(HTMLParser):
    """The forms of a page as a browser would send them untouched: hidden and text values,
    checked boxes and radios, the selected (or first) option of each select, textareas."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {"action": attributes.get("action") or "", "method": attributes.get("method", "get").lower()}
            self._form["fields"] = []
            self.forms.append(self._form)
        elif self._form is None or ("name" not in attributes and tag != "option"):
            return
        elif tag == "input":
            kind = attributes.get("type", "text").lower()
            if (kind in ("checkbox", "radio") and "checked" not in attributes) or kind in ("submit", "button", "file"):
                return
            default = "on" if kind == "checkbox" else ""
            self._form["fields"].append([attributes["name"], attributes.get("value", default)])
        elif tag == "select":
            self._select = {"name": attributes["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            self._select["first"] = value if self._select["first"] is None else self._select["first"]
            if "selected" in attributes:
                self._select["chosen"] = value
        elif tag == "textarea":
            self._textarea = [attributes["name"], ""]
            self._form["fields"].append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            value = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            if value is not None and self._form is not None:
                self._form["fields"].append([self._select["name"], value])
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_on(html, *, having):
    """The POST form of the page that has a field named `having`: (action, fields as a dict)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = [name for name, _value in form["fields"]]
        if form["method"] == "post" and having in names:
            return form["action"], dict(form["fields"])
    raise LookupError(f"no POST form with a field {having!r}")


class Response:
    """What the checks read of an answer: status, headers, body."""

    def __init__(self, status, headers, content):
        self.status_code = status
        self.headers = headers
        self.content = content

    @property
    def text(self):
        return self.content.decode("utf-8", errors="replace")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


class Browser:
    """One person's cookie jar over `hosts` ("http://127.0.0.1:PORT"); counts each host's requests
    and the refused ones sent again elsewhere. Cookies are per address, not per port, as in a
    browser: one host's session cookie goes to the other (what a shared session store must serve)."""

    def __init__(self, hosts, counts, refused):
        self.hosts = hosts
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )
        self.counts = counts  # Counter shared by every Browser: host -> requests answered
        self.refused = refused  # list shared too: (host refused, host that answered, path)

    def _send(self, method, url, data):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - http to loopback
        try:
            with self.opener.open(request, timeout=60) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            return Response(answer.code, answer.headers, answer.read())

    def request(self, method, path, *, host=0, data=None, expect=(200, 302)):
        """Send to `hosts[host]`, or to the next one while a host refuses the connection."""
        host %= len(self.hosts)
        order = self.hosts[host:] + self.hosts[:host]
        for index, base in enumerate(order):
            try:
                response = self._send(method, urljoin(base, path), data)
            except urllib.error.URLError as error:
                if not isinstance(error.reason, ConnectionRefusedError) or index == len(order) - 1:
                    raise
                self.refused.append((base, order[index + 1], path))
                continue
            self.counts[base] += 1
            if response.status_code not in expect:
                raise AssertionError(f"{method} {base}{path}: {response.status_code}\n{response.text[:1500]}")
            return response
        raise AssertionError("unreachable")

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def submit(self, path, *, having, values, host=0, expect=(302,)):
        """Open the page at `path`, fill its POST form that has `having` with `values` and send it
        (a CSRF token from one host is good on every host: one SECRET_KEY)."""
        page = self.get(path, host=host, expect=(200,))
        action, fields = form_on(page.text, having=having)
        fields.update(values)
        target = urlsplit(urljoin(path, action or path)).path
        return self.request("POST", target, host=host + 1, data=fields, expect=expect)

    def log_in(self, username, password, *, host=0, totp_secret=None):
        """The login form on one host, the password sent to the next one, then the code step (if the
        account has a second factor) on the first again."""
        credentials = {"username": username, "password": password}
        answer = self.submit("/accounts/login/", having="username", values=credentials, host=host)
        location = answer.headers["Location"]
        if "/codigo/" in location:
            if totp_secret is None:
                raise AssertionError(f"{username} was asked for a code")
            self.submit(location, having="code", values={"code": totp(totp_secret)}, host=host + 1)
        return location
