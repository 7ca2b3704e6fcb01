"""What the operations checks share: throwaway PostgreSQL databases and Redis databases, the
project's commands, and processes started in process groups of their own (so a SIGKILL takes a
gunicorn master with its workers, a Celery worker with its pool) and always stopped at exit."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
REDIS_SERVER_URL = "redis://127.0.0.1:6379"


def server_url():
    """The PostgreSQL server of DATABASE_URL when it names one (CI's), else the local default."""
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme.startswith("postgres"):
        return urlunsplit(parts._replace(path="", query="", fragment=""))
    return SERVER_URL


def database_url(name):
    return f"{server_url()}/{name}"


def psql(sql, *, database="postgres"):
    """Run SQL on the server (as DATABASE_URL's user): CREATE/DROP DATABASE need no Django."""
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database_url(database), "-c", sql],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


def database_recreate(name):
    database_drop(name)
    psql(f'CREATE DATABASE "{name}"')


def database_drop(name):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_flush(*urls):
    """Empty Redis databases that belong to the check (its broker and its cache)."""
    import redis

    for url in urls:
        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        finally:
            client.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args, env, quiet=True):
    """`python manage.py ...` with `env`; its output shown only when it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not quiet:
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode})")
    return result.stdout


class Processes:
    """Named processes, each in its own session (process group), logs in `log_folder`."""

    def __init__(self, log_folder, env):
        self.log_folder = Path(log_folder)
        self.env = env
        self.running = {}
        self.commands = {}

    def start(self, name, command):
        self.commands[name] = command
        log = open(self.log_folder / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it open
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.running[name] = process
        return process

    def restart(self, name):
        """Start `name` again with its command, as systemd's Restart=always would."""
        return self.start(name, self.commands[name])

    def kill(self, name):
        """SIGKILL the whole process group of `name` (a master and its workers): no clean-up."""
        process = self.running.pop(name)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def alive(self, name):
        process = self.running.get(name)
        return process is not None and process.poll() is None

    def check_alive(self):
        for name, process in self.running.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped ({process.returncode}): {self.tail(name)}")

    def tail(self, name, size=3000):
        path = self.log_folder / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def stop_all(self, timeout=20):
        """TERM every group, then KILL what is left after `timeout` seconds."""
        for process in self.running.values():
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.running.clear()


def wait_for(condition, *, timeout, interval=0.2, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} did not happen within {timeout} s")
