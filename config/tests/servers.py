"""The app served by real gunicorn processes, on the test's database, with production settings.

For tests whose subject is what separate processes share (sessions) or what reaches the server
before Django reads anything (the request's size)."""

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-like-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "ENV_FILE": "/nonexistent/.env",
    # Plain HTTP on loopback: no TLS proxy in front of these servers.
    "SECURE_COOKIES": "0",
    "SECURE_SSL_REDIRECT": "0",
}


def shared_database_url(tmp_path):
    """A URL other processes can open to reach what the test has committed: the test database on
    PostgreSQL; on SQLite (an in-memory test database) a copy of it in a file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="") + (
            f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        )
        return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.in_atomic_block:  # the copy would wait forever for the test's transaction
        raise RuntimeError("a test that shares its SQLite database needs django_db(transaction=True)")
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url, *, count=1, redis_url=None, **environment):
    """`count` gunicorn servers (one sync worker each, started from the project folder so they read
    gunicorn.conf.py) on free ports; yields their ports once all answer. `redis_url` None means no
    Redis at all. `environment` adds or overrides variables."""
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "REDIS_CACHE_URL"}}
    env.update(PRODUCTION, DATABASE_URL=database_url, GUNICORN_WORKERS="1")
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(environment)
    servers = []
    with ExitStack() as logs:
        try:
            for _ in range(count):
                port, log = _free_port(), logs.enter_context(tempfile.TemporaryFile())
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "config.wsgi"],
                    cwd=BASE_DIR,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                servers.append((port, process, log))
            for port, process, log in servers:
                _wait_until_it_answers(port, process, log)
            yield [port for port, _process, _log in servers]
        finally:
            for _port, process, _log in servers:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wait_until_it_answers(port, process, log, *, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn stopped at start:\n{log.read().decode()[-3000:]}")
        try:
            request(port, "GET", "/healthz")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"gunicorn did not answer within {timeout} s") from None
            time.sleep(0.2)


class Response:
    def __init__(self, raw):
        self.status_code = raw.status
        self.headers = raw.headers
        self.body = raw.read()
        self.cookies = {}
        for header in raw.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})


def request(port, method, path, *, cookies=None, form=None, timeout=30):
    """One request on a new connection: `cookies` a dict, `form` a dict sent url-encoded."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        client.request(method, path, body=body, headers=headers)
        return Response(client.getresponse())
    finally:
        client.close()
