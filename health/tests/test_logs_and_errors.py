"""LOG_FORMAT=json and SENTRY_DSN, each in a process started with them, as production starts:
the settings read them at start. The process answers requests through Django's test client."""

import gzip
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
EMAIL = "alicia.sentry@example.org"
VISITOR = "203.0.113.7"

# Requests through the WSGI application gunicorn serves (config.wsgi): a page that does not exist,
# and a view that fails for a signed-in person (their email on request.user, in its local
# variables and in the request's body), coming from a visitor's address through the proxy.
SCRIPT = f"""
import io
import os
from django.test import override_settings
from django.urls import include, path
from config.wsgi import application
from django.contrib.auth import get_user_model
from django.views.decorators.csrf import csrf_exempt

@csrf_exempt
def boom(request):
    # From the environment: Sentry sends the source lines around a frame, which are not the person's.
    request.user = get_user_model()(username=os.environ["PROBE_USERNAME"], email=os.environ["PROBE_EMAIL"])
    if os.environ.get("PROBE_COOKIE"):
        request.session.get("seen")  # a signed-in request reads its session
    email = request.POST["email"]
    raise RuntimeError("metrics-probe failure")

urlpatterns = [path("boom", boom), path("", include("config.urls"))]

def call(method, path, body=b""):
    environ = {{
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "HTTP_HOST": "testserver", "REMOTE_ADDR": {VISITOR!r},
        "HTTP_X_FORWARDED_FOR": {VISITOR!r}, "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "HTTP_COOKIE": os.environ.get("PROBE_COOKIE", ""),
        "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(), "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "SERVER_PROTOCOL": "HTTP/1.1",
    }}
    statuses = []
    b"".join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0]

if os.environ.get("PROBE_COOKIE"):  # the session, cached in Redis (cached_db)
    from django.core.cache import cache
    cache.set("django.contrib.sessions.cached_db" + os.environ["PROBE_COOKIE"].partition("=")[2], {{"seen": 1}})
with override_settings(ROOT_URLCONF=__name__):
    assert call("GET", "/no-such-page/").startswith("404")
    assert call("POST", "/boom", ("email=" + os.environ["PROBE_EMAIL"]).encode()).startswith("500")
import sentry_sdk
sentry_sdk.flush(timeout=10)
"""


def run_script(tmp_path, **environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SENTRY_", "LOG_"))}
    env.update(environment, PROBE_EMAIL=EMAIL, PROBE_USERNAME="alicia", DJANGO_SETTINGS_MODULE="config.settings")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"  # no query is made
    script = tmp_path / "probe.py"
    script.write_text(SCRIPT)
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=BASE_DIR,
        env={**env, "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_logs_are_one_object_per_line_with_the_requests_fields(tmp_path):
    result = run_script(tmp_path, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]  # every line parses
    by_message = {line["message"]: line for line in lines}
    missing = by_message["Not Found: /no-such-page/"]
    assert (missing["level"], missing["logger"], missing["status_code"]) == ("WARNING", "django.request", 404)
    assert (missing["method"], missing["path"]) == ("GET", "/no-such-page/")
    assert missing["time"].startswith(time.strftime("%Y-", time.gmtime()))
    failure = by_message["Internal Server Error: /boom"]
    assert (failure["level"], failure["status_code"], failure["method"], failure["path"]) == (
        "ERROR",
        500,
        "POST",
        "/boom",
    )
    assert (
        failure["exception"].startswith("Traceback") and "RuntimeError: metrics-probe failure" in failure["exception"]
    )
    assert "request" not in failure  # the request object itself is never written out


def test_text_logs_stay_the_default(tmp_path):
    result = run_script(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Not Found: /no-such-page/" in result.stderr.splitlines()


class _Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "br":  # sentry-sdk compresses with Brotli when it is installed (WeasyPrint's fonts)
            import brotli

            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body.decode()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_an_error_in_a_view_reaches_sentry_with_nothing_personal(tmp_path, sentry_server):
    dsn = f"http://public0key@127.0.0.1:{sentry_server.server_address[1]}/42"
    result = run_script(tmp_path, SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="tests")
    assert result.returncode == 0, result.stderr
    envelopes = [body for path, body in sentry_server.received if path == "/api/42/envelope/"]
    events = [
        json.loads(line)
        for body in envelopes
        for line in body.splitlines()
        if line.startswith("{") and '"exception"' in line
    ]
    assert len(events) == 1, sentry_server.received
    event = events[0]
    assert event["environment"] == "tests"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "metrics-probe failure"
    assert (event["request"]["url"], event["request"]["method"]) == ("http://testserver/boom", "POST")
    assert event["request"]["headers"]["Host"] == "testserver"  # the request's headers are there, less the personal
    everything = "\n".join(envelopes)
    for personal in (EMAIL, "alicia", VISITOR):
        assert personal not in everything, personal
    assert "user" not in event or not event["user"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="sessions are cached in Redis only with REDIS_URL (CI)")
def test_a_signed_in_persons_session_key_never_reaches_sentry(tmp_path, sentry_server):
    """Sessions are cached in Redis, under a key that holds the session's id (a credential):
    sentry-sdk's Redis integration would write every command's key into the event."""
    session_key = "alicias0session0key0123456789abcd"
    dsn = f"http://public0key@127.0.0.1:{sentry_server.server_address[1]}/42"
    result = run_script(tmp_path, SENTRY_DSN=dsn, PROBE_COOKIE=f"sessionid={session_key}")
    assert result.returncode == 0, result.stderr
    envelopes = [body for path, body in sentry_server.received if path == "/api/42/envelope/"]
    assert any('"exception"' in body for body in envelopes), sentry_server.received  # the control: it was sent
    assert session_key not in "\n".join(envelopes)


def test_a_celery_worker_logs_json_lines_too(tmp_path):
    """A real worker (config/celery.py hands its logging to LOGGING), on a broker of its own."""
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "REDIS_CACHE_URL"}}
    env.update(LOG_FORMAT="json", LOG_LEVEL="INFO", EMBEDDED_BROKER_FOLDER=str(tmp_path / "broker"))
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", "json-logs-test"]
    stderr = tmp_path / "stderr"
    with stderr.open("wb") as sink:
        worker = subprocess.Popen(
            [*command, "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and " ready." not in stderr.read_text():
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    logged = [json.loads(line) for line in stderr.read_text().splitlines() if line.startswith("{")]
    ready = [line for line in logged if line["message"].endswith(" ready.")]
    assert ready and ready[0]["logger"] == "celery.apps.worker" and ready[0]["level"] == "INFO", stderr.read_text()
    assert not [line for line in stderr.read_text().splitlines() if line.startswith("[20")]  # no Celery text line
