"""`make replica-check`: the read replica's router (core/replica.py) against a real PostgreSQL
streaming replica. Starts a throwaway primary and a replica of it on loopback (ops/clusters.py),
runs config/tests/test_replica.py (marker `replica`) with DATABASE_URL at the primary's database
`test` and DATABASE_REPLICA_URL at the replica, prints what it checked, and exits non-zero when a
test fails. The rest of the environment (REDIS_URL, the pins' shared cache) is passed on as it is.

    .venv/bin/python -m ops.replica_check
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ops.clusters import replica_pair

BASE_DIR = Path(__file__).resolve().parent.parent
TESTS = "config/tests/test_replica.py"


def run_tests(pair) -> int:
    environment = {**os.environ, "DATABASE_URL": pair.primary, "DATABASE_REPLICA_URL": pair.replica}
    # One process: the tests pause the one replica. (-n 0 rather than -p no:xdist: pytest.ini's
    # addopts say -n auto, an unknown option without xdist.)
    command = [sys.executable, "-m", "pytest", "-m", "replica", "-n", "0", "-p", "no:cacheprovider", "-v", TESTS]
    return subprocess.run(command, cwd=BASE_DIR, env=environment).returncode


def main() -> int:
    # A kill ends the run as Ctrl-C does: through replica_pair's cleanup (both servers stopped).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    with replica_pair(database="test") as pair:
        ready = time.monotonic() - started
        print(f"replica-check: primary {pair.primary} and its streaming replica {pair.replica}, up in {ready:.1f} s")
        print("replica-check: the dashboards and the report task read the replica; a person who just wrote")
        print("replica-check: reads the primary until the replica has replayed it; the replica lags on purpose")
        sys.stdout.flush()
        code = run_tests(pair)
    outcome = "passed" if code == 0 else f"FAILED (pytest exit {code})"
    print(f"replica-check: {outcome} in {time.monotonic() - started:.1f} s (both servers stopped, folder removed)")
    return code


if __name__ == "__main__":
    sys.exit(main())
