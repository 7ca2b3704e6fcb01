"""A throwaway PostgreSQL primary and a streaming read replica of it, on loopback.

    with replica_pair(database="test") as (primary_url, replica_url):
        ...  # postgres://postgres@127.0.0.1:<port>/test, the second one a hot standby

The primary is a new cluster (initdb, trust authentication, listening on 127.0.0.1 only); the
replica is `pg_basebackup -R -X stream -c fast` of it (standby.signal and primary_conninfo
written by -R), started on another free port. Both are stopped and their folder removed when the
block ends, whatever the reason (an error, Ctrl-C). PostgreSQL refuses to run as root: as root,
its commands run as the `postgres` user (runuser). `wait_for_replay` waits until the replica has
replayed everything the primary has written; `replay_pause`/`replay_resume` make it lag on purpose.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import psycopg2

# Speed over durability: the clusters live for one check. WAL for a standby and hot standby reads.
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c wal_level=replica"
    " -c max_wal_senders=5 -c hot_standby=on"
)


class Pair(NamedTuple):
    primary: str
    replica: str


def bin_dir() -> Path:
    """The server binaries: pg_config's bindir when it has initdb, else the newest
    /usr/lib/postgresql/<version>/bin."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found = Path(
            subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True, text=True).stdout.strip()
        )
        if (found / "initdb").exists():
            return found
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[-3]))
    if not versions:
        raise RuntimeError("No PostgreSQL server binaries (initdb): install the Debian package postgresql.")
    return Path(versions[-1]).parent


def free_port(preferred: int) -> int:
    """`preferred` when nothing listens on it on loopback, else a port the system picks."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("No free port on 127.0.0.1.")


def _run(command, *, as_postgres):
    """Run a PostgreSQL command (as the postgres user when we are root); its output on failure."""
    if as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    # A new session: a Ctrl-C in the terminal reaches this process, which stops the servers itself.
    result = subprocess.run(command, capture_output=True, text=True, start_new_session=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def url(port: int, database: str) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


@contextlib.contextmanager
def replica_pair(database: str = "test", primary_port: int = 5433, replica_port: int = 5434):
    """Start the primary (with `database` created) and its streaming replica; yield their URLs as
    a Pair; stop both and remove their folder at the end."""
    binaries = bin_dir()
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="omcs-replica-"))
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    primary_dir, replica_dir = folder / "primary", folder / "replica"
    started = []

    def pg(name, *arguments):
        return _run([str(binaries / name), *arguments], as_postgres=as_postgres)

    def start(data_dir, port):
        options = f"{SERVER_OPTIONS} -p {port} -c unix_socket_directories={folder}"
        pg("pg_ctl", "-D", str(data_dir), "-l", str(folder / f"{data_dir.name}.log"), "-o", options, "-w", "start")
        started.append(data_dir)

    try:
        pg("initdb", "-D", str(primary_dir), "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "-N")
        primary_port = free_port(primary_port)
        start(primary_dir, primary_port)
        pg("createdb", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", database)
        replica_port = free_port(replica_port)  # the primary listens already: never the same port
        pg(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary_port),
            "-U",
            "postgres",
            "-D",
            str(replica_dir),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        start(replica_dir, replica_port)
        pair = Pair(url(primary_port, database), url(replica_port, database))
        _wait_streaming(pair.replica)
        yield pair
    finally:
        for data_dir in reversed(started):
            with contextlib.suppress(RuntimeError):
                pg("pg_ctl", "-D", str(data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _connect(database_url):
    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    return connection


def _scalar(database_url, sql, parameters=()):
    with contextlib.closing(_connect(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchone()[0]


def _wait_streaming(replica_url, timeout=30.0):
    """Until the replica is a hot standby whose WAL receiver streams from the primary."""
    deadline = time.monotonic() + timeout
    while True:
        if _scalar(
            replica_url,
            "SELECT pg_is_in_recovery() AND EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')",
        ):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"The replica at {replica_url} is not streaming after {timeout:.0f} s.")
        time.sleep(0.1)


def wait_for_replay(primary_url: str, replica_url: str, timeout: float = 30.0) -> None:
    """Until the replica has replayed the primary's WAL up to the primary's position now (its
    writes committed so far are then visible on the replica)."""
    target = _scalar(primary_url, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not _scalar(replica_url, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"The replica did not replay up to {target} in {timeout:.0f} s.")
        time.sleep(0.05)


def replay_pause(replica_url: str, timeout: float = 30.0) -> None:
    """The replica stops applying the WAL it receives: it lags until replay_resume. Returns once
    the pause holds (a pause is only requested at first), so what is written next stays unseen."""
    _scalar(replica_url, "SELECT pg_wal_replay_pause()::text")
    deadline = time.monotonic() + timeout
    while _scalar(replica_url, "SELECT pg_get_wal_replay_pause_state()") != "paused":
        if time.monotonic() > deadline:
            raise RuntimeError(f"The replica's replay did not pause in {timeout:.0f} s.")
        time.sleep(0.05)


def replay_resume(replica_url: str) -> None:
    _scalar(replica_url, "SELECT pg_wal_replay_resume()::text")
