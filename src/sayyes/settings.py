"""Django settings for sayyes.

Local first: with no environment at all, sayyes runs on SQLite in the data directory
with safe defaults. ``DATABASE_URL`` switches to PostgreSQL; ``SAYYES_ENV=production``
turns on the settings a shared deployment needs (and ``manage.py check --deploy`` is
clean with them). Every variable is documented in the README.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from sayyes.conf import ConfigError, data_dir, env, envbool, envchoice, envint, trusted_proxy

BASE_DIR = Path(__file__).resolve().parent

SAYYES_ENV = envchoice("SAYYES_ENV", "local", ("local", "production"))
PRODUCTION = SAYYES_ENV == "production"
DEBUG = envbool("SAYYES_DEBUG", False)

DATA_DIR = data_dir()  # from here on the umask is 077: what sayyes writes is private
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Django's storage would make saved files 0644 whatever the umask (archive recordings).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700


def _secret_key() -> str:
    configured = env("SAYYES_SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise ConfigError("SAYYES_SECRET_KEY must be set when SAYYES_ENV=production")
    # A single user on a laptop: keep a generated key beside the database.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

_hosts = env("SAYYES_ALLOWED_HOSTS")
if _hosts:
    ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
elif PRODUCTION:
    raise ConfigError("SAYYES_ALLOWED_HOSTS must be set when SAYYES_ENV=production")
else:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (env("SAYYES_CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "sayyes.accounts",
    "sayyes.pipeline",
    "sayyes.network",
    "sayyes.practice",
    "sayyes.agenda",
    "sayyes.triage",
    "sayyes.offers",
    "sayyes.journal",
    "sayyes.portability",
    "sayyes.invitations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sayyes.accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "sayyes.urls"
WSGI_APPLICATION = "sayyes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sayyes.accounts.context.sayyes",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
_database_url = env("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except Exception as exc:  # dj-database-url raises several kinds
        raise ConfigError(f"DATABASE_URL is not a database URL sayyes understands: {exc}") from exc
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "sayyes.sqlite3"),
            # Each server thread keeps its connection (and SQLite's page cache with it) for a
            # minute, instead of opening the file, running the PRAGMAs and reading the
            # schema and every index page it needs again on each request (issue 18).
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # Writers queue instead of failing; WAL lets readers and a writer work together.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SAYYES_SIGNUP = envbool("SAYYES_SIGNUP", False)
SAYYES_LOGIN_ATTEMPTS_PER_DAY = envint("SAYYES_LOGIN_ATTEMPTS_PER_DAY", 20, minimum=1)
SAYYES_LOGIN_LINK_MINUTES = envint("SAYYES_LOGIN_LINK_MINUTES", 60, minimum=1)
# Per-user quotas (issue 14): recordings kept, and uploads waiting for a confirmation.
SAYYES_RECORDINGS_QUOTA_MB = envint("SAYYES_RECORDINGS_QUOTA_MB", 500, minimum=1)
SAYYES_UPLOADS_QUOTA_MB = envint("SAYYES_UPLOADS_QUOTA_MB", 50, minimum=1)
# `sayyes serve` behind a reverse proxy: the one address whose X-Forwarded-* it believes.
SAYYES_TRUSTED_PROXY = trusted_proxy(env("SAYYES_TRUSTED_PROXY"))
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# --- Time and language ------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# --- Static files (vendored, no build step) ---------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Only needed when a front server or whitenoise serves collected files (production).
_static_root = env("SAYYES_STATIC_ROOT")
STATIC_ROOT = Path(_static_root) if _static_root else (DATA_DIR / "static" if PRODUCTION else None)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Background work --------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Security headers ---------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SAYYES_SSL_REDIRECT", True)
    if envbool("SAYYES_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SAYYES_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }

# --- Email (the daily agenda digest) ---------------------------------------------------------
SAYYES_EMAIL = envchoice("SAYYES_EMAIL", "file", ("file", "console", "smtp"))
EMAIL_BACKEND = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[SAYYES_EMAIL]
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env("SAYYES_SMTP_HOST", "localhost")
EMAIL_PORT = envint("SAYYES_SMTP_PORT", 587, minimum=1)
EMAIL_HOST_USER = env("SAYYES_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env("SAYYES_SMTP_PASSWORD", "")
EMAIL_USE_TLS = envbool("SAYYES_SMTP_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("SAYYES_FROM_EMAIL", "sayyes@localhost")
SAYYES_DIGEST_HOUR = envint("SAYYES_DIGEST_HOUR", 7, minimum=0)
# How long a worker's claim on a background task holds unless renewed, a transcription's too
# (worker.py, practice/recovery.py). SAYYES_TRANSCRIPTION_LEASE_SECONDS is its older name.
# Milliseconds between a worker's looks for new tasks when its queue is empty.
SAYYES_WORKER_POLL_MS = envint("SAYYES_WORKER_POLL_MS", 250, minimum=50)
SAYYES_TASK_LEASE = envint(
    "SAYYES_TASK_LEASE", envint("SAYYES_TRANSCRIPTION_LEASE_SECONDS", 600, minimum=3), minimum=3
)
# Recordings on a volume every app server and worker shares (several machines); default:
# the data directory.
_media = env("SAYYES_MEDIA_DIR")
SAYYES_MEDIA_DIR = Path(_media).expanduser() if _media else None
if SAYYES_MEDIA_DIR is not None and not SAYYES_MEDIA_DIR.is_absolute():
    raise ConfigError(f"SAYYES_MEDIA_DIR must be an absolute path, not {_media!r}")
SAYYES_BASE_URL = (env("SAYYES_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
# Invitations (issue 20): how often the worker looks in the watched mailboxes, and a CA bundle
# to trust for mail servers with a certificate of their own.
SAYYES_MAILBOX_MINUTES = envint("SAYYES_MAILBOX_MINUTES", 5, minimum=1)
SAYYES_IMAP_CA_FILE = env("SAYYES_IMAP_CA_FILE", "") or ""

# --- Logging: sayyes's own lines (tasks, the worker, refused imports and logins) to stderr --
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SAYYES_LOG_LEVEL = envchoice("SAYYES_LOG_LEVEL", "INFO", LOG_LEVELS)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        }
    },
    "loggers": {
        "sayyes": {"handlers": ["console"], "level": SAYYES_LOG_LEVEL},
        # Django's own lines only from WARNING up, unless a quieter level is asked for.
        "django": {
            "handlers": ["console"],
            "level": max(SAYYES_LOG_LEVEL, "WARNING", key=LOG_LEVELS.index),
        },
    },
}

NINJA_PAGINATION_PER_PAGE = 50
