"""Bad settings stop the process at start, with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-like-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "omcs.example.org",
    "ENV_FILE": "/nonexistent/.env",
}


# The test run's own relaxations (pytest.ini) must not leak into a production-like process.
TEST_ONLY = {"DATABASE_URL", "TIME_ZONE", "SECURE_COOKIES", "SECURE_SSL_REDIRECT"}


def run_check(*args, **overrides):
    env = {key: value for key, value in os.environ.items() if key not in {*GOOD, *TEST_ONLY}}
    env.update(GOOD)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_good_production_settings_pass_the_check():
    result = run_check()
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warning():
    result = run_check("--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_catches_a_weakened_setting():
    result = run_check("--deploy", "--fail-level", "WARNING", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"DEBUG": "ture"}, "DEBUG"),
        ({"TIME_ZONE": "America/Atlantis"}, "TIME_ZONE"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "garbage"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://u@h:notaport/db"}, "DATABASE_URL"),
        ({"CONN_MAX_AGE": "abc", "DATABASE_URL": "postgres://u@h/db"}, "CONN_MAX_AGE"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"CELERY_TASK_SOFT_TIME_LIMIT": "400"}, "CELERY_TASK_SOFT_TIME_LIMIT"),
        ({"CELERY_REPORTS_QUEUE": "celery,reports"}, "CELERY_REPORTS_QUEUE"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"REQUEST_BODY_MAX_BYTES": "100"}, "REQUEST_BODY_MAX_BYTES"),
        ({"REQUEST_BODY_MAX_BYTES": "101m"}, "REQUEST_BODY_MAX_BYTES"),
        ({"API_RATE_PER_TOKEN": "lots"}, "API_RATE_PER_TOKEN"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"METRICS_ALLOWED_IPS": "127.0.0.1,localhost"}, "METRICS_ALLOWED_IPS"),
        ({"METRICS_ALLOWED_IPS": "10.0.0.0/33"}, "METRICS_ALLOWED_IPS"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN"),
        ({"SENTRY_DSN": "not a dsn"}, "SENTRY_DSN"),
        ({"SENTRY_TRACES_SAMPLE_RATE": "1.5"}, "SENTRY_TRACES_SAMPLE_RATE"),
        ({"SENTRY_TRACES_SAMPLE_RATE": "some"}, "SENTRY_TRACES_SAMPLE_RATE"),
    ],
)
def test_a_bad_setting_fails_loudly_and_names_the_variable(overrides, named):
    result = run_check(**overrides)
    assert result.returncode != 0
    assert named in result.stderr


def test_the_cache_never_shares_the_brokers_redis_database():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.CACHES['default']['LOCATION'])"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            **GOOD,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "redis://127.0.0.1:6379/1"


def test_debug_runs_with_no_secret_key_at_all():
    result = run_check(DEBUG="1", SECRET_KEY=None, ALLOWED_HOSTS=None)
    assert result.returncode == 0, result.stderr


def _gunicorn(*args, **environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("GUNICORN_")}
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", *args, "config.wsgi"],
        cwd=BASE_DIR,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gunicorn_takes_its_settings_from_the_environment_through_gunicorn_conf():
    result = _gunicorn("--print-config", GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="45")
    assert result.returncode == 0, result.stderr
    printed = dict(map(str.strip, line.split(" = ", 1)) for line in result.stdout.splitlines() if " = " in line)
    assert {name: printed[name] for name in ("workers", "timeout", "limit_request_line")} == {
        "workers": "3",
        "timeout": "45",
        "limit_request_line": "4094",
    }


def test_gunicorn_refuses_a_bad_setting_and_names_it():
    result = _gunicorn("--check-config", GUNICORN_WORKERS="three")
    assert result.returncode != 0
    assert "GUNICORN_WORKERS must be a whole number" in result.stdout + result.stderr
