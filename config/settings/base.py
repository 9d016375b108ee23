"""Settings for the fiches action portal, driven by environment variables.

Defaults are safe for production (no DEBUG unless asked; HTTPS only, with HSTS, secure cookies
and a strict content security policy when DEBUG is off: ``check --deploy`` finds nothing to
report) and zero-set-up for a developer (SQLite file in the project). Every variable is
described in docs/deployment.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for a local demo).")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_ratelimit",
    "csp",
    "django_guid",
    "django_tasks",
    "django_tasks_db",
    "ops",
    "mailing",
    "pagecache",
    "ninja",
    "corsheaders",
    "federations",
    "actions",
    "workspace",
    "catalogue",
    "observatory",
    "api",
    "opendata",
    "alerts",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: CORS headers on every answer of the API, errors too.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "ops.middleware.RequestLimitsMiddleware",
    # Before the page cache: the public reads of a request, catalogue version included, on
    # the replica when there is one.
    "config.replica.ReplicaReadsMiddleware",
    # Before the session: an anonymous page from the cache skips everything below.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# An optional PostgreSQL streaming replica for the public reads (config/replica.py): without
# DATABASE_REPLICA_URL everything is read from the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# A replica that lags more than this (seconds) is left aside until it catches up.
REPLICA_MAX_LAG = float(os.environ.get("REPLICA_MAX_LAG", "3"))
# How often each process checks the replica's state (seconds): a stopped or lagging replica
# is left aside within this time, and tried again after it.
REPLICA_CHECK_INTERVAL = float(os.environ.get("REPLICA_CHECK_INTERVAL", "2"))
# The longest wait for a replica that does not answer (seconds; libpq's minimum is 2).
REPLICA_CONNECT_TIMEOUT = int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "2"))
# Read-your-writes: after a request that may write, that browser reads from the primary this
# long (seconds), longer than the lag of a replica still in use (checked every interval).
REPLICA_PIN_SECONDS = int(REPLICA_MAX_LAG + REPLICA_CHECK_INTERVAL) + 2
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # A replica whose machine stops answering fails a connection within that time too, instead
    # of the minutes TCP takes to give up: data not acknowledged (tcp_user_timeout, ms), an
    # idle link probed (keepalives).
    DATABASES["replica"].setdefault("OPTIONS", {}).update(
        connect_timeout=REPLICA_CONNECT_TIMEOUT,
        tcp_user_timeout=REPLICA_CONNECT_TIMEOUT * 1000,
        keepalives_idle=5,
        keepalives_interval=1,
        keepalives_count=REPLICA_CONNECT_TIMEOUT,
    )
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every gunicorn worker: the password-reset counters (ops/throttling.py). Its
    # table is created by the migration ops/0001_ratelimit_cache_table.
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ratelimit_cache",
    },
}
# The anonymous public pages (pagecache/): Redis when REDIS_URL is set (redis://host:port/db),
# shared by every worker and every instance; otherwise a table of the database (created by
# the migration pagecache/0001).
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE = "pages"
PAGE_CACHE_TABLE = "page_cache"
CACHES[PAGE_CACHE] = (
    {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": PAGE_CACHE_TABLE,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
)
# The apps whose tables are the public data: a write to any of them moves the catalogue version.
PAGE_CACHE_SOURCE_APPS = ("federations", "actions")
# The public pages served from the cache (URL namespaces), less a few views: /donnees/ lists
# files written outside the database.
PUBLIC_PAGE_NAMESPACES = ("catalogue", "observatory", "opendata")
# Off with DEBUG: a template being edited would not show until the next write.
PAGE_CACHE_NAMESPACES = () if DEBUG else PUBLIC_PAGE_NAMESPACES
PAGE_CACHE_EXCLUDED_VIEWS = ("opendata:index", "opendata:file")
# The views whose reads go to the replica when there is one, and the apps whose tables they
# read there: the public data and its version (the rest, sessions and users, on the primary).
REPLICA_READ_NAMESPACES = (*PUBLIC_PAGE_NAMESPACES, "api-v1")
REPLICA_READ_APPS = (*PAGE_CACHE_SOURCE_APPS, "pagecache")
# How long a browser, a reverse proxy or a CDN may reuse a page without asking (seconds),
# then serve it while it asks again; the portal's own cache is exact (the version).
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "10"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "30"))
# A stored page lives this long (seconds); pages of earlier versions are never read again.
PAGE_CACHE_TIMEOUT = 3600
PAGE_CACHE_MAX_BYTES = 1024 * 1024
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "ops.throttling.client_ip"
# django-ratelimit reports the database cache as unsupported (E003, W001): its increment is not
# atomic, so requests arriving at the same instant may each pass and a burst can exceed a limit
# by the number of requests served at once (a dozen). For password-reset e-mails that bound is
# acceptable, and it spares the portal a memcached or Redis server.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (ops/throttling.py): one username from one address, 5 failures, 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ops.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ops.throttling.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French is the source language of the interface; English is a translation.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
# The portal's English, then its French wordings of other packages' strings (see the file).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the root of the site (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Sample fixtures (sample_federations, sample_actions) live in the project's fixtures/ folder.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "ops.storage.CompleteFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# collectstatic compresses each collected file (Brotli and gzip at their highest levels: a
# minute of CPU for the admin's and the API docs' scripts): only the hashed names the pages
# link to are kept and compressed, and source maps (fetched by a browser's developer tools
# only, several megabytes of them) are served as they are.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Uploads larger than this are streamed to disk instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# A form's fields without its files (Django answers 400 beyond), and how many fields: the
# sheet form with its three formsets full (30 lines each) sends about 500.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# A whole request body: three attachments of the largest size with the form. Larger bodies are
# answered 413 from their Content-Length before anything reads them (ops/middleware.py); the
# reverse proxy's client_max_body_size says the same (docs/deployment.md).
REQUEST_MAX_BYTES = 3 * ATTACHMENT_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Fiches action <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where people write about the portal (the accessibility statement's contact).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@localhost")
# Absolute links in emails (a sheet's public URL) are built from this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mails are sent by background tasks (django-tasks, database backend: the same tables on
# SQLite and PostgreSQL, no broker), run by ``manage.py run_worker`` (docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A failed e-mail task is tried again this many times in all, after 1, 2, 4... minutes.
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "5"))
TASK_RETRY_DELAY = timedelta(seconds=int(os.environ.get("TASK_RETRY_DELAY", "60")))
# How often the worker looks for due digests (alerts, moderators), in seconds.
SCHEDULE_INTERVAL = int(os.environ.get("SCHEDULE_INTERVAL", "300"))
# How long an alert's confirmation link and an invitation link stay valid.
ALERT_CONFIRMATION_MAX_AGE = timedelta(days=7)
INVITATION_MAX_AGE = timedelta(days=14)

# HTTPS only unless DEBUG: redirect, HSTS, cookies never sent in clear. HTTPS=false serves
# plain HTTP for a test without TLS (check --deploy then says what that gives up).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# Probes from the machine itself (docs/deployment.md) ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Behind the reverse proxy: trust its X-Forwarded-Proto, and its X-Real-IP for throttling.
BEHIND_PROXY = env_bool("SECURE_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only the portal's own files: no inline script or style, no other origin, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # django-simple-history's admin history list has one style attribute, "border-top: 0".
        "style-src-attr": [UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        # Bootstrap draws its small icons (select arrows, menu button) as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Each request gets an id (X-Request-ID, or the proxy's), returned and written in every log line.
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "EXPOSE_HEADER": False}

# JSON lines on stdout (ops/logs.py) unless DEBUG, where plain text reads better.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # It reports at INFO every request that came without an id: all of them, without a proxy.
        "django_guid": {"level": "WARNING"},
    },
}

# Error reports to Sentry (or a compatible service), only when SENTRY_DSN is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from django_guid.integrations import SentryIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
    DJANGO_GUID["INTEGRATIONS"] = [SentryIntegration()]

# The public API (api/): read-only, open to every origin, a request rate per client.
# The files of the bulk download too (data portals preview them from their own origin).
CORS_URLS_REGEX = r"^/(api/.*|donnees/.+)$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")
API_THROTTLE_CACHE = os.environ.get("API_THROTTLE_CACHE", "default")

# The bulk download (opendata/): written by `manage.py export_open_data`, served by /donnees/.
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", BASE_DIR / "donnees"))
# The CSVs of the whole catalogue, written once per catalogue version (catalogue/csv_export.py):
# a few files of ~2.2 kB a sheet, those of earlier versions removed; private to the instance.
EXPORT_CACHE_DIR = Path(os.environ.get("EXPORT_CACHE_DIR", BASE_DIR / "exports"))
OPEN_DATA_PUBLISHER = os.environ.get("OPEN_DATA_PUBLISHER", "Fiches action des centres sociaux")
