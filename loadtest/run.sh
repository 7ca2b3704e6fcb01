#!/usr/bin/env bash
# A bounded load test: the app under gunicorn with PostgreSQL and Redis, driven by Locust.
#
#   loadtest/run.sh                      # 50 users, 10 spawned a second, 60 s
#   USERS=20 DURATION=30s loadtest/run.sh
#
# Overrides: USERS, SPAWN_RATE, DURATION (Locust syntax: 45s, 2m, 1m30s), WORKERS (gunicorn;
# default 2 x cores + 1), THREADS (per gunicorn worker; default 1, more means gthread),
# CELERY_CONCURRENCY (default 2), UPLOADS_PER_LOGIN (evidence PNGs per demo login; default 3),
# P95_GOAL_MS (the per-page goal of the summary; default 800). To run beside another load test
# or someone else's services: DB_NAME (default omcs_load), REDIS_DB_BROKER and REDIS_DB_CACHE
# (default 4 and 5), PORT (default 8765).
# Needs: the app's .venv (`make install`), PostgreSQL on 127.0.0.1:5432 (user postgres, trust
# auth) and Redis on 127.0.0.1:6379. Redis DB 4 (broker) and 5 (cache) are emptied: they
# belong to this test. The database omcs_load is dropped and created again on each run.
# The summary ends with issue 27's goal: p95 <= P95_GOAL_MS for every page but the login, and
# no error; met or not met, and which pages are over.
# Exit status: 0 when Locust saw no failure, 1 when it did, 2 or more when the run broke.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-10}
DURATION=${DURATION:-60s}
CORES=$(nproc)
WORKERS=${WORKERS:-$((2 * CORES + 1))}
THREADS=${THREADS:-1}
CELERY_CONCURRENCY=${CELERY_CONCURRENCY:-2}
export UPLOADS_PER_LOGIN=${UPLOADS_PER_LOGIN:-3}
P95_GOAL_MS=${P95_GOAL_MS:-800}
PORT=${PORT:-8765}
HOST=http://127.0.0.1:$PORT
DB_NAME=${DB_NAME:-omcs_load}
REDIS_DB_BROKER=${REDIS_DB_BROKER:-4}
REDIS_DB_CACHE=${REDIS_DB_CACHE:-5}
PG=(-h 127.0.0.1 -p 5432 -U postgres)

die() {
    echo "load test: $*" >&2
    exit 2
}

# "90", "45s", "2m", "1m30s", "1h" -> seconds (to bound the Locust process from outside).
duration_seconds() {
    local rest=$1 total=0 number unit
    [[ $rest =~ ^[0-9]+$ ]] && { echo "$rest"; return; }
    while [[ $rest =~ ^([0-9]+)([hms])(.*)$ ]]; do
        number=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
        case $unit in h) total=$((total + number * 3600)) ;; m) total=$((total + number * 60)) ;; s) total=$((total + number)) ;; esac
    done
    [[ -z $rest && $total -gt 0 ]] || die "DURATION must look like 60s, 2m or 1m30s, not '$1'"
    echo "$total"
}

# How busy the CPUs are over 2 s, in percent: other work on the machine skews the figures.
cpu_busy_percent() {
    local a b
    read -r -a a < <(grep '^cpu ' /proc/stat)
    sleep 2
    read -r -a b < <(grep '^cpu ' /proc/stat)
    # Fields: user nice system idle iowait irq softirq steal.
    local idle=$((b[4] + b[5] - a[4] - a[5]))
    local total=$((b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + b[7] + b[8] - a[1] - a[2] - a[3] - a[4] - a[5] - a[6] - a[7] - a[8]))
    echo $((total > 0 ? 100 * (total - idle) / total : 0))
}

for name in USERS SPAWN_RATE WORKERS THREADS CELERY_CONCURRENCY UPLOADS_PER_LOGIN P95_GOAL_MS PORT REDIS_DB_BROKER REDIS_DB_CACHE; do
    [[ ${!name} =~ ^[0-9]+$ ]] || die "$name must be a whole number, not '${!name}'"
done
[[ $USERS -gt 0 && $SPAWN_RATE -gt 0 && $WORKERS -gt 0 && $THREADS -gt 0 ]] || die "USERS, SPAWN_RATE, WORKERS and THREADS must be above 0"
[[ $DB_NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "DB_NAME must be a plain PostgreSQL name, not '$DB_NAME'"
[[ $REDIS_DB_BROKER -ne $REDIS_DB_CACHE ]] || die "REDIS_DB_BROKER and REDIS_DB_CACHE must differ"
RUN_SECONDS=$(duration_seconds "$DURATION")

[[ -x .venv/bin/python ]] || die "no app virtualenv in .venv: run 'make install' first"
for command in createdb dropdb pg_isready curl; do
    command -v "$command" >/dev/null || die "'$command' is not installed"
done
pg_isready -q "${PG[@]}" || die "PostgreSQL does not answer on 127.0.0.1:5432"
if curl -s -o /dev/null --max-time 2 "$HOST/"; then
    die "something already answers on $HOST: stop it first"
fi

WORK=$(mktemp -d /tmp/omcs-load.XXXXXX)
GUNICORN_PID="" CELERY_PID=""

# Stop one background server: TERM to its main process (which stops its own workers), then
# KILL to its whole process group (setsid made it a group leader) if it has not gone in time.
stop() {
    local pid=$1 i
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 -- "-$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop "$GUNICORN_PID"
    stop "$CELERY_PID"
    echo "Logs: $WORK (gunicorn.log, gunicorn-access.log, celery.log, locust.log, summary.json)"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Locust in a virtualenv of its own: it pins its own gevent, Flask and requests.
if [[ ! -x .venv-load/bin/locust ]]; then
    echo "== Creating .venv-load (Locust)"
    python3 -m venv .venv-load
    .venv-load/bin/pip install --quiet --upgrade pip
    .venv-load/bin/pip install --quiet -r requirements-load.txt
fi

# Keep the virtualenv out of git (and out of `ruff check .`), as Python 3.13's venv does itself.
[[ -f .venv-load/.gitignore ]] || echo '*' >.venv-load/.gitignore

# 2. The app's environment: production-like (DEBUG off, PostgreSQL, Redis), plain HTTP on loopback.
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB_NAME
export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB_BROKER
export REDIS_CACHE_URL=redis://127.0.0.1:6379/$REDIS_DB_CACHE
export DEBUG=0
export SECRET_KEY="load-test-throwaway-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 48)"
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
# The site reads the client's address from X-Forwarded-For, as behind its proxy: the locustfile
# gives each simulated user an address of its own, so the login limits per address see fifty
# clients rather than one (which they would rightly slow down as a password sprayer).
export BEHIND_TLS_PROXY=1
export SECURE_COOKIES=0
export SITE_URL=$HOST
export MEDIA_ROOT=$WORK/media  # uploaded evidence stays out of var/media
export LOG_LEVEL=WARNING
export ENV_FILE=$WORK/no.env  # a developer's .env must not change what is measured
MANAGE=(.venv/bin/python manage.py)

echo "== Preparing PostgreSQL database $DB_NAME and Redis DB $REDIS_DB_BROKER/$REDIS_DB_CACHE"
PGOPTIONS="-c client_min_messages=warning" dropdb "${PG[@]}" --if-exists "$DB_NAME"
createdb "${PG[@]}" "$DB_NAME"
.venv/bin/python - <<'EOF'
import os
import redis

for url in (os.environ["REDIS_URL"], os.environ["REDIS_CACHE_URL"]):
    redis.Redis.from_url(url).flushdb()
EOF

echo "== migrate, load_gazetteer, load_demo, collectstatic"
"${MANAGE[@]}" migrate --no-input -v0
"${MANAGE[@]}" load_gazetteer >/dev/null
# load_demo refuses to run with DEBUG off unless forced: this database is a throwaway.
"${MANAGE[@]}" load_demo --skip-reports --force >/dev/null
"${MANAGE[@]}" collectstatic --no-input -v0
# Translations: compile only when a catalogue is missing or older than its .po file.
for po in locale/*/LC_MESSAGES/django.po; do
    if [[ ! -f ${po%.po}.mo || $po -nt ${po%.po}.mo ]]; then
        echo "== compilemessages"
        "${MANAGE[@]}" compilemessages --ignore=.venv --ignore=.venv-load -v0
        break
    fi
done

# 3. The servers, each in a process group of its own so that nothing outlives the script.
echo "== Starting gunicorn ($WORKERS workers x $THREADS threads) and a Celery worker"
WORKER_CLASS=sync
[[ $THREADS -gt 1 ]] && WORKER_CLASS=gthread
setsid .venv/bin/gunicorn config.wsgi:application \
    --bind 127.0.0.1:$PORT --workers "$WORKERS" --threads "$THREADS" --worker-class "$WORKER_CLASS" \
    --timeout 60 --graceful-timeout 5 \
    --access-logfile "$WORK/gunicorn-access.log" --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(M)sms' \
    --error-logfile "$WORK/gunicorn.log" --capture-output \
    </dev/null >>"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
setsid .venv/bin/celery -A config worker --pool=prefork --concurrency "$CELERY_CONCURRENCY" -Q celery,reports --loglevel=WARNING \
    </dev/null >"$WORK/celery.log" 2>&1 &
CELERY_PID=$!

for i in $(seq 1 60); do
    if curl -sf -o /dev/null --max-time 2 "$HOST/accounts/login/"; then
        break
    fi
    kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -n 40 "$WORK/gunicorn.log" >&2; die "gunicorn stopped at start"; }
    [[ $i -lt 60 ]] || { tail -n 40 "$WORK/gunicorn.log" >&2; die "the site did not answer within 30 s"; }
    sleep 0.5
done
kill -0 "$CELERY_PID" 2>/dev/null || { tail -n 40 "$WORK/celery.log" >&2; die "the Celery worker stopped at start"; }

# 4. The load. Locust stops itself after DURATION (each user finishes its task, 10 s at most);
# `timeout` is the backstop. The figures come from the locustfile (OMCS_LOAD_SUMMARY).
echo "== Locust: $USERS users, spawn rate $SPAWN_RATE/s, $DURATION against $HOST"
export OMCS_LOAD_SUMMARY=$WORK/summary.json
# Measured while our servers idle, once every gunicorn worker has had time to load the app.
sleep 3
BUSY_BEFORE=$(cpu_busy_percent)
LOCUST_STATUS=0
# --foreground: Ctrl-C reaches Locust, which stops; the EXIT trap then stops the servers.
timeout --foreground --signal=INT --kill-after=15 $((RUN_SECONDS + 60)) \
    .venv-load/bin/locust -f loadtest/locustfile.py --headless \
    -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --stop-timeout 10 \
    --host "$HOST" --only-summary \
    >"$WORK/locust.log" 2>&1 || LOCUST_STATUS=$?
# Locust exits 1 when a request failed; anything else means it did not finish its run.
if [[ $LOCUST_STATUS -ne 0 && $LOCUST_STATUS -ne 1 ]] || [[ ! -s $OMCS_LOAD_SUMMARY ]]; then
    tail -n 40 "$WORK/locust.log" >&2
    die "Locust did not complete (exit status $LOCUST_STATUS)"
fi
# Locust's own table: per page, the percentiles and failures.
sed -n '/Response time percentiles/,$p' "$WORK/locust.log" | grep -v 'Shutting down' || true

# 5. Our summary.
CPU_MODEL=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
SUMMARY_STATUS=0
python3 - "$OMCS_LOAD_SUMMARY" "$CORES" "${CPU_MODEL:-unknown}" "$BUSY_BEFORE" "$WORKERS" "$THREADS" "$USERS" "$DURATION" "$P95_GOAL_MS" \
    <<'EOF' || SUMMARY_STATUS=$?
import json
import sys
from datetime import datetime, timezone

path, cores, cpu, busy_before, workers, threads, users, duration, goal_ms = sys.argv[1:]
goal_ms = int(goal_ms)
with open(path, encoding="utf-8") as handle:
    run = json.load(handle)
# Exceptions raised inside the simulated users' code count as errors too.
errors = run["failures"] + sum(row["count"] for row in run["exceptions"])


def ms(key):
    return "n/a" if run[key] is None else f"{run[key]:.0f}"


print()
print("Workload: " + (", ".join(f"{what} {count}" for what, count in run["workload"].items()) or "nothing written"))
print("=" * 72)
print(f"Machine   : {cores} cores, {cpu}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}, CPU {busy_before}% busy before the run")
print(f"Setup     : gunicorn {workers} workers x {threads} threads, {users} users for {duration}")
print(f"Requests  : {run['requests']}")
print(f"RPS       : {run['rps']:.1f}")
print(f"Latency ms: p50 {ms('p50')}  p95 {ms('p95')}  p99 {ms('p99')}  max {ms('max')}")
print(f"Errors    : {errors}")
for row in run["failure_list"][:10]:
    print(f"  {row['count']:>5} x {row['method']} {row['name']}: {row['error'][:160]}")
for row in run["exceptions"][:5]:
    print(f"  {row['count']:>5} x exception in the locustfile: {row['message'][:160]}")
print("=" * 72)
# Per page, slowest first; the login is slow by design (password hashing) and outside the goal.
endpoints = sorted(run.get("endpoints", []), key=lambda row: -(row["p95"] or 0))
print(f"{'page':<40} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'max':>6}  (ms)")
for row in endpoints:
    name = f"{row['method']} {row['name']}"[:40]
    print(f"{name:<40} {row['requests']:>8} {row['failures']:>6} {row['p50']:>6.0f} {row['p95']:>6.0f} {row['max']:>6.0f}")
over = [row for row in endpoints if "/accounts/login" not in row["name"] and (row["p95"] or 0) > goal_ms]
met = not over and not errors
print("=" * 72)
print(
    f"Goal      : p95 <= {goal_ms} ms for every page but the login, 0 errors: "
    + ("met" if met else "NOT MET")
    + (f" ({errors} errors)" if errors else "")
)
for row in over:
    print(f"  over: {row['method']} {row['name']} p95 {row['p95']:.0f} ms")
sys.exit(1 if errors else 0)
EOF
if [[ $SUMMARY_STATUS -ne 0 ]] && grep -q 'Internal Server Error' "$WORK/gunicorn.log"; then
    echo "Server errors in $WORK/gunicorn.log (first ones):"
    grep -E '^(Internal Server Error|[A-Za-z_.]+(Error|Exception): )' "$WORK/gunicorn.log" | head -n 20 | cut -c1-200
fi
exit "$SUMMARY_STATUS"
