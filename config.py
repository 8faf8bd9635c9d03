"""Configuration: plain classes, no Flask import, nothing from the project.

``create_app(name)`` picks a class by name (its argument, else the ``TIMESHEET_ENV`` environment
variable, else ``development``). Any key can then be overridden from the environment with the
``FLASK_`` prefix, as Flask's ``from_prefixed_env`` reads it: ``FLASK_SECRET_KEY``,
``FLASK_SQLALCHEMY_DATABASE_URI``, ``FLASK_CELERY__broker_url`` (``__`` reaches into a dict).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ENV_VAR = "TIMESHEET_ENV"
MIN_SECRET_KEY_BYTES = 32


class ConfigError(RuntimeError):
    """A setting makes the app unsafe or unable to run; raised before the app serves anything."""


class BaseConfig:
    SECRET_KEY: str | None = None
    # A relative SQLite path lives in the instance folder (Flask-SQLAlchemy 3 resolves it there).
    SQLALCHEMY_DATABASE_URI: str | None = "sqlite:///timesheet.sqlite3"
    # pool_pre_ping: a connection the server dropped (restart, idle timeout) is replaced, not used.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False
    # SQLite: how long a writer waits for another one's lock before "database is locked".
    SQLITE_BUSY_TIMEOUT_SECONDS = 15.0

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    # A session's "last seen" is written at most this often (seconds), not on every request.
    SESSION_TOUCH_SECONDS = 60

    # The largest request body (bytes): every form here is a few kilobytes. A bigger one is a 413
    # before it is read into memory.
    MAX_CONTENT_LENGTH = 256 * 1024
    # Werkzeug's limit for the non-file parts of a form (default 500 kB): the same bound.
    MAX_FORM_MEMORY_SIZE = 256 * 1024

    # Rate limits (Flask-Limiter). Storage: memory:// is one process only; production needs a
    # shared store, e.g. FLASK_RATELIMIT_STORAGE_URI=redis://redis:6379/2 (check_settings).
    # Every limit below can be changed from the environment, e.g. a load test that signs up 32
    # users from one address: FLASK_RATELIMIT_SIGNUP="100 per minute".
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count in this process's memory meanwhile (and log it) rather than answer 500 to
    # every login; the shared counts resume when Redis is back.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_LOGIN_PER_ADDRESS = "30 per minute; 300 per hour"
    RATELIMIT_LOGIN_PER_ACCOUNT = "10 per minute; 50 per hour"  # failed attempts only
    RATELIMIT_SIGNUP = "10 per hour"
    RATELIMIT_PASSWORD_RESET = "10 per hour"  # per address
    RATELIMIT_PASSWORD_RESET_PER_ACCOUNT = "3 per hour"  # mails to one address
    RATELIMIT_CONFIRMATION_RESEND = "10 per hour"  # new confirmation links, per address
    RATELIMIT_CONFIRMATION_RESEND_PER_ACCOUNT = "3 per hour"  # mails to one address
    RATELIMIT_EMAIL_CHANGE = "10 per hour"  # address change requests, per address
    RATELIMIT_EMAIL_CHANGE_PER_USER = "5 per hour"  # per signed-in user
    RATELIMIT_EMAIL_CHANGE_PER_ACCOUNT = "3 per hour"  # mails to one (new) address
    # For the JSON API: creating access tokens (per address) and writes (per signed-in user).
    RATELIMIT_TOKEN_CREATE = "10 per hour"
    RATELIMIT_API_WRITE = "120 per minute"

    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_RESET_MAX_AGE = 3600
    EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 3600
    EMAIL_CHANGE_MAX_AGE = 24 * 3600  # seconds the link to a new address works
    # Sign-ups never confirmed for this many days, with no data, are deleted by the hourly
    # clean-up (services/accounts/cleanup.py): they would block their address for ever.
    UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS = 7
    TEAM_INVITATION_MAX_AGE = 7 * 24 * 3600  # seconds an invitation link works
    ENTRIES_PER_PAGE = 20
    PROJECTS_PER_PAGE = 20
    TASKS_PER_PAGE = 20  # on a project's page
    # Rendered week bodies kept per web process, keyed by the user's data version
    # (routes/dashboard/week_cache.py); 0 turns the cache off.
    WEEK_CACHE_MAX_BYTES = 4 * 1024 * 1024

    # Mail: with no MAIL_SERVER the message is written to the log (development). Production
    # refuses that unless MAIL_BACKEND = "log" says it is meant (check_settings), and then
    # MAIL_LOG_REDACT_LINKS keeps the secret part of every link out of the log.
    MAIL_SERVER: str | None = None
    MAIL_BACKEND: str | None = None  # None: SMTP when MAIL_SERVER is set, else the log
    MAIL_LOG_REDACT_LINKS = False
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "timesheet@localhost"
    MAIL_TIMEOUT = 10
    # Development only: every delivered mail is also written to the instance folder's outbox/,
    # and the /dev/outbox page lists them (app.py registers it only when this is on). Production
    # refuses to start with it on (check_settings).
    MAIL_OUTBOX = False
    # "worker": send_email queues the mail.deliver task (its callers commit first); "inline":
    # sends in the request (the unit tests of the account pages read the mail from the log).
    MAIL_DELIVERY = "worker"
    # Transient SMTP failures: retry after 30 s, 60 s, 120 s ... 8 times. A retry waits in the
    # worker unacknowledged, so the cap stays below the broker's visibility_timeout (Redis
    # would hand the waiting mail to a second worker: sent twice).
    MAIL_MAX_RETRIES = 8
    MAIL_RETRY_BASE_SECONDS = 30.0
    MAIL_RETRY_MAX_SECONDS = 1200.0

    # Celery settings, Celery's own lower-case names. Empty URLs mean "the zero-server default":
    # SQLite files in the instance folder, filled in by the factory (it knows the instance path).
    CELERY: dict[str, Any] = {
        "broker_url": "",
        "result_backend": "",
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": False,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        # Redis hands an unacknowledged task to another worker after visibility_timeout seconds:
        # it must stay above the longest task (checked at start against task_time_limit).
        "broker_transport_options": {"visibility_timeout": 3600},
        "task_time_limit": 1800,
        "task_soft_time_limit": 1740,
        # Broker down: a request that enqueues gives up within a few seconds (and answers 503)
        # instead of retrying for ever.
        "broker_connection_timeout": 3,
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        },
        "result_expires": 24 * 3600,
        # Periodic jobs (celery -A celery_worker beat). The schedule file goes to the instance
        # folder (filled in by the factory, like the zero-server broker).
        "beat_schedule": {
            "cleanup-expired-reports": {"task": "cleanup.expired", "schedule": 3600.0},
            # Sign-ups never confirmed (UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS), so they free the address.
            "delete-unconfirmed-accounts": {
                "task": "accounts.delete_unconfirmed",
                "schedule": 3600.0,
            },
            # A worker that takes this writes the time: /readyz reads it (see readiness.py).
            "worker-heartbeat": {"task": "platform.heartbeat", "schedule": 30.0},
        },
    }
    # Finished or failed reports (rows and files) older than this are deleted by the clean-up.
    REPORT_MAX_AGE_DAYS = 7
    # A pending/running report with no progress for this long lost its worker (a transport with no
    # visibility timeout, like the zero-server one, never redelivers): the clean-up queues it again.
    REPORT_STALE_AFTER_SECONDS = 2 * 3600
    # Progress is written to the report row at most this often (rows / seconds).
    REPORT_PROGRESS_EVERY_ROWS = 5000
    REPORT_PROGRESS_EVERY_SECONDS = 1.0

    # Strict-Transport-Security: production only (wiring/security_headers.py); over plain HTTP in
    # development it would make the browser refuse http://localhost.
    HSTS_HEADER: str | None = None

    LOG_LEVEL = "INFO"
    # "text" (one readable line per record) or "json" (one JSON object per line, for collectors).
    LOG_FORMAT = "text"

    # Behind reverse proxies: how many X-Forwarded-For/-Proto/-Host/-Port/-Prefix values to trust
    # (werkzeug's ProxyFix). 0 (the default) trusts none: without a proxy, anyone could set them.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0

    # A request body that stops arriving for this many seconds is cut with a 408, so a client
    # that sends less than its Content-Length cannot hold a server thread (see wiring/wsgi.py).
    REQUEST_BODY_TIMEOUT = 10.0

    # /readyz: every check answers within READINESS_TIMEOUT seconds; "migrations at head" is
    # remembered for a while once true; a worker must have written its heartbeat recently.
    READINESS_TIMEOUT = 2.0
    READINESS_MIGRATIONS_CACHE_SECONDS = 60.0
    WORKER_HEARTBEAT_MAX_AGE = 120.0

    # The JSON API (flask-smorest): the document is generated from the code and served at
    # /api/v1/openapi.json; no third-party docs UI (they load scripts from a CDN).
    API_TITLE = "Timesheet API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS: dict[str, Any] = {
        "info": {
            "description": "Projects, tasks, time entries, the weekly summary and report "
            "exports of one user, with a personal access token (see docs/api.md)."
        },
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    }
    API_PAGE_SIZE = 20
    API_MAX_PAGE_SIZE = 100
    # Idempotency-Key on API creates: how long a key (and the answer it got) is kept, and how
    # long a retry waits for the first request with its key to finish before answering 409.
    IDEMPOTENCY_KEY_MAX_AGE = 24 * 3600
    IDEMPOTENCY_WAIT_SECONDS = 5.0
    # Production refuses insecure settings at start (see check_settings).
    ENFORCE_SECURE_SETTINGS = False


class DevelopmentConfig(BaseConfig):
    # A known, public key: fine on a laptop, refused by check_settings in production.
    SECRET_KEY = "development-only-not-secret-0000000000"
    LOG_LEVEL = "DEBUG"
    MAIL_OUTBOX = True


class TestingConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "testing-only-not-secret-000000000000000"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Fast hashing keeps the suite quick; the method is still a real salted hash.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    MAIL_DELIVERY = "inline"  # the worker tests switch it to "worker"
    # Tests post forms without tokens; the CSRF tests switch it back on explicitly.
    WTF_CSRF_ENABLED = False
    LOG_LEVEL = "WARNING"


class ProductionConfig(BaseConfig):
    SQLALCHEMY_DATABASE_URI = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_HEADER = "max-age=31536000; includeSubDomains"
    ENFORCE_SECURE_SETTINGS = True
    LOG_FORMAT = "json"
    MAIL_LOG_REDACT_LINKS = True


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

KNOWN_DEFAULT_SECRET_KEYS = frozenset(
    {
        DevelopmentConfig.SECRET_KEY,
        TestingConfig.SECRET_KEY,
        "dev",
        "secret",
        "changeme",
        "change-me",
        "your-secret-key",
        "secret-key",
        "development",
    }
)


def config_class(name: str) -> type[BaseConfig]:
    try:
        return CONFIGS[name]
    except KeyError:
        choices = ", ".join(sorted(CONFIGS))
        raise ConfigError(
            f"Unknown configuration {name!r} (set {ENV_VAR} to one of: {choices})"
        ) from None


def normalize_database_url(url: str | None) -> str | None:
    """Send ``postgres://`` and ``postgresql://`` URLs (as hosts hand them out) to psycopg 3."""
    if not url:
        return url
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_settings(settings: Mapping[str, Any]) -> None:
    """Refuse to start with a guessable secret key or no database, naming the variable to set."""
    if not settings.get("ENFORCE_SECURE_SETTINGS"):
        return
    key = settings.get("SECRET_KEY")
    if not key:
        raise ConfigError("FLASK_SECRET_KEY is not set: production needs a random secret key.")
    if key in KNOWN_DEFAULT_SECRET_KEYS:
        raise ConfigError("FLASK_SECRET_KEY is a known default value: set a random secret key.")
    if len(str(key).encode()) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"FLASK_SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes: "
            "use e.g. python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    if not settings.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError(
            "FLASK_SQLALCHEMY_DATABASE_URI is not set: production needs a database URL."
        )
    if settings.get("MAIL_OUTBOX"):
        # The outbox page shows every mail sent, confirmation and reset links included.
        raise ConfigError(
            "FLASK_MAIL_OUTBOX is on: the development outbox page would show every mail (and its "
            "links) to anyone. Turn it off in production."
        )
    if not settings.get("TRUSTED_HOSTS"):
        # Links in mail (password reset) are built from the request's Host header: without a
        # list of trusted hosts, anyone can make the app mail a link to their own site.
        raise ConfigError(
            "FLASK_TRUSTED_HOSTS is not set: production needs the host names it answers to, "
            "e.g. FLASK_TRUSTED_HOSTS='[\"timesheet.example.com\"]'."
        )
    backend = settings.get("MAIL_BACKEND")
    if backend not in (None, "smtp", "log"):
        raise ConfigError(f'FLASK_MAIL_BACKEND is {backend!r}: use "smtp" or "log".')
    if not settings.get("MAIL_SERVER") and backend != "log":
        # Without a mail server, password-reset mail would only reach the log: say so explicitly.
        raise ConfigError(
            "FLASK_MAIL_SERVER is not set: production needs a mail server, or "
            "FLASK_MAIL_BACKEND=log to write mail to the log (links redacted) on purpose."
        )
    storage = str(settings.get("RATELIMIT_STORAGE_URI") or "memory://")
    if settings.get("RATELIMIT_ENABLED", True) and storage.startswith("memory://"):
        # Each gunicorn process would count on its own: N processes allow N times the limit,
        # and a restart forgets every count.
        raise ConfigError(
            "FLASK_RATELIMIT_STORAGE_URI is in-memory: production needs a storage that all "
            "processes share, e.g. FLASK_RATELIMIT_STORAGE_URI=redis://localhost:6379/2."
        )
