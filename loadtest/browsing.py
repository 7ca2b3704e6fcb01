"""What a browser does for the load test's simulated users: read a page's forms (fields, values,
the csrf token) and the errors it shows; make a small PNG to upload as evidence. Imported by
loadtest/locustfile.py (Locust puts the locustfile's folder on the path)."""

# Random colours for variety, not secrets.
# ruff: noqa: S311

import base64
import collections
import hashlib
import hmac
import random
import re
import struct
import time
import zlib
from html.parser import HTMLParser

INVALID_FEEDBACK = re.compile(r'class="invalid-feedback"[^>]*>\s*(?:<strong>)?(.*?)<', re.S)
ALERT_DANGER = re.compile(r'class="alert alert-danger"[^>]*>(.*?)</div>', re.S)


class Form:
    def __init__(self, attrs):
        self.action = attrs.get("action") or ""
        self.method = (attrs.get("method") or "get").lower()
        self.fields = []  # (name, value) as a browser would send them, buttons left out
        self.choices = collections.defaultdict(list)  # checkbox, radio and select values offered

    def names(self):
        return {name for name, _value in self.fields} | set(self.choices)

    def data(self):
        """{name: [values]}: ready to change, then to post (requests sends repeated keys)."""
        data = collections.defaultdict(list)
        for name, value in self.fields:
            data[name].append(value)
        return data


class FormParser(HTMLParser):
    """Every <form> of a page with the values a browser would submit unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None  # [name, first option, selected option]
        self._textarea = None  # [name, text parts]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                value = attrs.get("value") or "on"
                self._form.choices[name].append(value)
                if "checked" in attrs:
                    self._form.fields.append((name, value))
            else:
                self._form.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._form.choices[self._select[0]].append(value)
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2] = value
        elif tag == "textarea" and name:
            self._textarea = [name, []]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            value = selected if selected is not None else first
            if value is not None and self._form is not None:
                self._form.fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            if self._form is not None:
                # Browsers drop the newline that follows <textarea>.
                self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html, *, field=None, action_suffix=None):
    """The page's first form that has this field, or whose action ends so."""
    for form in forms_of(html):
        if field is not None and field in form.names():
            return form
        if action_suffix is not None and form.action.endswith(action_suffix):
            return form
    return None


def errors_of(html):
    """The messages a form page shows next to its fields and in its red banners."""
    found = [re.sub(r"\s+", " ", text).strip() for text in INVALID_FEEDBACK.findall(html)]
    found += [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in ALERT_DANGER.findall(html)]
    return "; ".join(message for message in found if message)[:300] or "no message found"


def small_png(size=16):
    """A valid PNG of one colour, a few hundred bytes: evidence that costs the server little."""
    colour = bytes(random.choice([(30, 120, 60), (200, 60, 40), (40, 90, 200)]))
    raw = b"".join(b"\x00" + colour * size for _row in range(size))

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# The demo's second factor (ambassadors/demo.py DEMO_TOTP_SECRET): RFC 6238 codes, as an app shows.
DEMO_TOTP_SECRET = "OMCSDEMOTOTPSECRETKEYFORTHEDEMOS"  # noqa: S105 - public by design, in the README
TOTP_STEP = 30
_steps_used = {}


def demo_code(username):
    """A code for the demo account's app. The site accepts each 30-second step once per account
    (django-otp), and one step ahead of its clock; simulated users sharing a login in this process
    take the steps in turn, waiting for the next when both are used (a login of the same account
    from another process in the same step is refused and counted as a failure: run one process)."""
    now = int(time.time()) // TOTP_STEP
    step = max(now, _steps_used.get(username, 0) + 1)
    if step > now + 1:
        time.sleep((step - 1 - now) * TOTP_STEP - time.time() % TOTP_STEP + 0.1)
    _steps_used[username] = step
    digest = hmac.new(base64.b32decode(DEMO_TOTP_SECRET), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"
