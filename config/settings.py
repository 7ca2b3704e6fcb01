"""Settings for the OMCS commitment tracker.

Everything that varies between machines is read from the environment (or a `.env`
file beside manage.py); `.env.example` documents each variable. A bad value stops the
process at start with a message that names the variable.
"""

import importlib.util
import logging
import re
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Values already in the environment win over the file; ENV_FILE points elsewhere (tests use it).
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: unlike environ's, a typo such as DEBUG=ture is an error."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_db_url(name: str, default: str) -> dict:
    raw = env.str(name, default=default)
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as error:  # environ raises KeyError, ValueError or ImproperlyConfigured
        raise ImproperlyConfigured(f"{name} is not a usable database URL ({raw!r}): {error}") from None
    engine = config.get("ENGINE") or ""
    if not engine or importlib.util.find_spec(engine) is None:
        raise ImproperlyConfigured(f"{name} names no database Django can use: {raw!r}.")
    return config


def env_redis_url(name: str) -> str:
    value = env.str(name, default="")
    if value and urlsplit(value).scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(f"{name} must start with redis:// or rediss://, not {value!r}.")
    return value


def env_time_zone(name: str, default: str) -> str:
    value = env.str(name, default=default)
    if value not in zoneinfo.available_timezones():
        raise ImproperlyConfigured(f"{name} must be an IANA time zone such as America/Bogota, not {value!r}.")
    return value


DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-only-for-local-debug")
else:
    # No default outside debug: environ raises "Set the SECRET_KEY environment variable".
    SECRET_KEY = env.str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters long outside debug.")

if DEBUG:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
else:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts outside debug (no empty list, no '*').")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_celery_beat",
    "django_filters",
    "translated_fields",
    "csp",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Two-factor sign-in (ambassadors/twofactor.py): TOTP apps and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Our apps, bottom of the dependency order first.
    "core.apps.CoreConfig",
    "axes.apps.AxesConfig",
    "ambassadors.apps.AmbassadorsConfig",
    "commitments.apps.CommitmentsConfig",
    "practices.apps.PracticesConfig",
    "funding.apps.FundingConfig",
    "kinds.apps.KindsConfig",
    "hazards.apps.HazardsConfig",
    "invitations.apps.InvitationsConfig",
    "appointments.apps.AppointmentsConfig",
    "terms.apps.TermsConfig",
    "offline.apps.OfflineConfig",
    "reports.apps.ReportsConfig",
    "public.apps.PublicConfig",
    "api.apps.ApiConfig",
    "imports.apps.ImportsConfig",
    "health.apps.HealthConfig",
    "demo.apps.DemoConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Gives a browser that logged in the device cookie that spares it the address's login slowdown.
    "ambassadors.middleware.LoginDeviceMiddleware",
    # Admins, coordinators and whoever set up a second factor: nothing opens until the session has
    # passed it (ambassadors/twofactor.py); the rest of the site never sees a half-signed-in session.
    "ambassadors.middleware.SecondFactorMiddleware",
    # Before any view or CsrfViewMiddleware reads the body; after the language and user, for its page.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A current ambassador who has not accepted the commitments' current wording sees only the
    # acceptance page (and what anyone may open); after the user and the session.
    "appointments.middleware.AcceptanceRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Says which pages a phone may keep for reading offline, and clears them all at logout.
    "offline.middleware.OfflineMiddleware",
    # Records who made each change that django-simple-history keeps (see the audited models).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ambassadors.context_processors.roles",
                "commitments.context_processors.workflow",
            ],
        },
    },
]

# Database: a SQLite file by default, PostgreSQL in production (DATABASE_URL).
DATABASES = {"default": env_db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL and immediate transactions avoid "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT compilation cost PostgreSQL 40-70 ms on each large dashboard query and saved less than
    # that (docs/performance.md): off for the app's connections. (Behind PgBouncer, which refuses
    # this startup option unless told to ignore it, `ALTER ROLE … SET jit = off` does the same.)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# A streaming read replica of the primary (core/replica.py): the dashboards and the reports' tasks
# read it; everything else, and a person's reads until the replica has replayed their last write
# (remembered REPLICA_PIN_SECONDS), the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env_db_url("DATABASE_REPLICA_URL", default="")
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql" or DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL, for it and for DATABASE_URL.")
    _replica_options = DATABASES["replica"].setdefault("OPTIONS", {})
    _replica_options["options"] = f"{_replica_options.get('options', '')} -c jit=off".strip()
    DATABASES["replica"].update(
        {key: DATABASES["default"][key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")},
        # Test databases are created on the primary only; the replica then reads them (MIRROR).
        TEST={"MIRROR": "default"},
    )
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "core.replica.ReplicaPinMiddleware"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", default=600)
if REPLICA_PIN_SECONDS < 0:
    raise ImproperlyConfigured(
        f"REPLICA_PIN_SECONDS must be a whole number of seconds, 0 or more, not {REPLICA_PIN_SECONDS}."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery broker and shared cache. Unset means the embedded defaults.
REDIS_URL = env_redis_url("REDIS_URL")
# The cache gets a database of its own (the next one, unless REDIS_CACHE_URL says otherwise):
# a cache.clear() is a FLUSHDB and must never take the queued Celery messages with it.
REDIS_CACHE_URL = env_redis_url("REDIS_CACHE_URL")
if REDIS_URL and not REDIS_CACHE_URL:
    _parts = urlsplit(REDIS_URL)
    _db = int(_parts.path.strip("/") or 0)
    REDIS_CACHE_URL = urlunsplit(_parts._replace(path=f"/{_db + 1}"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ambassadors:landing"
# Two-factor sign-in: the name TOTP apps show next to the code; the admin's device pages never
# show a person's secret or QR code (a lost phone is replaced by deleting the device there).
OTP_TOTP_ISSUER = "OMCS"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: Spanish is the source language of every message.
LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Español")),
    ("en", _("Inglés")),
    ("pt-br", _("Portugués (Brasil)")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_time_zone("TIME_ZONE", default="America/Mexico_City")
USE_TZ = True

# Static files through WhiteNoise; media (evidence files) on local disk.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / env.str("STATIC_ROOT", default="var/staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / env.str("MEDIA_ROOT", default="var/media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Request bodies. The largest one a person sends is an action's evidence: 10 files of 10 MB at
# once. A body declared larger is refused (413) before any of it is read (core/middleware.py);
# the proxy in front should refuse it first (nginx: client_max_body_size 101m).
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", default=101 * 1024 * 1024)
if REQUEST_BODY_MAX_BYTES < 1024 * 1024:
    raise ImproperlyConfigured("REQUEST_BODY_MAX_BYTES must be at least 1048576 (1 MB): forms send more.")
# A request larger than this has its files written to temporary files as they arrive, not kept in
# memory: a worker holds at most this much of an upload.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The form fields (not the files) of one request, and how many fields and files: the largest form
# is the action's, with one checkbox per city of the network (1,000 at `make bench`'s scale) and its
# links; an upload sends 10 files at most, so 11 to 20 get the form's message and more a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Email: printed to the console unless EMAIL_URL names an SMTP server.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT")
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")  # filemail:////abs/folder: one file per connection there
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OMCS <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open the app at: links in emails (which have no request to read it from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://.")
# How long an invitation's link works after it is sent (or sent again).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", default=14)

# Celery: every reliability setting in one place (see config/celery.py).
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
EMBEDDED_BROKER_FOLDER = BASE_DIR / env.str("EMBEDDED_BROKER_FOLDER", default="var/celery-broker")
if not REDIS_URL:
    # A broker that needs no server: messages are files in one folder shared by web and worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(EMBEDDED_BROKER_FOLDER),
        "data_folder_out": str(EMBEDDED_BROKER_FOLDER),
        "control_folder": str(EMBEDDED_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", default=300)
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be positive and below CELERY_TASK_TIME_LIMIT.")
if REDIS_URL:
    # A message not acknowledged within this time is delivered again: above the hard limit.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT + 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing from a request gives up fast when the broker is down: the request still succeeds
# (queueing is a robust on_commit callback) and a sweep queues the work again later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The tasks that write reports (minutes of CPU in a batch) go to a queue of their own, so a worker,
# or a machine, can be given to them and a batch never delays an email; everything else uses the
# default queue ("celery"). A worker that does all consumes both: `celery -A config worker -Q
# celery,reports` (config/celery.py routes them).
CELERY_REPORTS_QUEUE = env.str("CELERY_REPORTS_QUEUE", default="reports").strip()
if not re.fullmatch(r"[\w.@-]+", CELERY_REPORTS_QUEUE):
    raise ImproperlyConfigured("CELERY_REPORTS_QUEUE must be one queue name (letters, digits, . _ - @).")
CELERY_TASK_ROUTES = ("config.celery.route_task",)

# django-simple-history: admin shows who changed what; reverting from there would bypass the
# workflow rules (an approved action back to draft), so it is off.
SIMPLE_HISTORY_REVERT_DISABLED = True

FORM_RENDERER = "core.forms.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-countries: names follow the active language; only the codes are stored.
COUNTRIES_FIRST_BREAK = None

# Sessions live in the database, the record every process shares. With Redis, a cache every process
# shares too, they are also read from it (a page costs no session query once cached). Without Redis
# the cache is each process's own memory, where a session ended by logout in one process would live
# on in the others: then no session cache at all.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# Security headers on every response; the cookie and HTTPS settings below apply outside debug.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy: everything comes from this site (front-end libraries are vendored);
# no inline script or style anywhere, so neither is allowed. Bootstrap draws some icons as
# data: images in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    # One year of HSTS once the site is on HTTPS; set 0 while trying HTTPS out. "preload" only
    # matters if the domain is submitted to the browsers' preload list.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (opt in: trust only your proxy).
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in logging.getLevelNamesMapping():
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint logs each layout step, and its font subsetting every font table, at INFO.
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Metrics and errors (README "Operations"). LOG_FORMAT=json: one JSON object per line, for the web
# and, through config/celery.py, the Celery workers.
LOG_FORMAT = env.str("LOG_FORMAT", default="text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
if LOG_FORMAT == "json":
    LOGGING["formatters"] = {"json": {"()": "health.logs.JsonFormatter"}}
    LOGGING["handlers"]["console"]["formatter"] = "json"
    logging.captureWarnings(True)  # Python's warnings too, as JSON lines of the logger py.warnings

# Prometheus at /metrics (health/metrics.py): open to METRICS_ALLOWED_IPS (addresses or networks)
# when the request came straight to gunicorn, not through the proxy, or to the bearer token.
import ipaddress  # noqa: E402 - kept with the block that reads it

METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
for _allowed in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_allowed, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS must list IP addresses or networks (10.0.0.0/8), not {_allowed!r}."
        ) from None
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and (len(METRICS_TOKEN) < 32 or any(char.isspace() for char in METRICS_TOKEN)):
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters without spaces (or unset).")
# First: it times every request, the HTTPS redirect and the gates' refusals included.
MIDDLEWARE = ["health.metrics.RequestMetricsMiddleware", *MIDDLEWARE]
if not DEBUG:
    SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]  # scraped over plain HTTP

# Errors to Sentry when SENTRY_DSN is set (web and workers: both read these settings). Nothing
# personal: no user, address, cookies, request bodies or local variables.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
try:
    SENTRY_TRACES_SAMPLE_RATE = float(env.str("SENTRY_TRACES_SAMPLE_RATE", default="0"))
except ValueError:
    SENTRY_TRACES_SAMPLE_RATE = None
if SENTRY_TRACES_SAMPLE_RATE is None or not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1.")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(
            dsn=SENTRY_DSN,
            environment=SENTRY_ENVIRONMENT,
            traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE or None,  # 0: no tracing at all, not traces thrown away
            send_default_pii=False,
            max_request_body_size="never",
            include_local_variables=False,
            integrations=[DjangoIntegration(), CeleryIntegration()],
            # Its breadcrumbs and spans name each command's key: a cached session's key is its id.
            disabled_integrations=[RedisIntegration()],
        )
    except BadDsn as error:
        raise ImproperlyConfigured(f"SENTRY_DSN is not a Sentry DSN: {error}") from None


def env_rate(name: str, default: str) -> str:
    """A request rate as DRF reads it ("1000/hour"), refused loudly when it is not one."""
    value = env.str(name, default=default)
    if not re.fullmatch(r"[0-9]+/(second|minute|hour|day|s|m|h|d)", value):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day, e.g. 1000/hour."
        )
    return value


# The REST API (api/): a personal token (Authorization: Bearer) or the site's session; the
# token class comes first so a request without credentials gets a 401 that says how to log in.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # A token's ambassador who has not accepted the commitments: 403 (the middleware cannot
        # see a token's user, which DRF authenticates inside the view).
        "appointments.permissions.CommitmentsAccepted",
        # A token of an admin or coordinator without a second factor, or a session that has not
        # passed it: 403 (api/permissions.py; the middleware cannot see a token's user).
        "api.permissions.SecondFactorPassed",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_rate("API_RATE_PER_TOKEN", default="1000/hour"),
        "anon": env_rate("API_RATE_ANONYMOUS", default="60/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OMCS · API",
    "DESCRIPTION": "Read the actions, targets, reports, practices and funding pipeline of your scope; "
    "log and send actions as an ambassador, review them as a coordinator.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # The docs' files come from drf-spectacular-sidecar through our static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "commitments.models.Action.Status",
        "ActionKindEnum": "commitments.models.Action.Kind",
    },
}
