"""Settings for the CTIP Case Tracker, read from the environment.

With nothing set the tracker runs in development mode on SQLite, with keys generated into
``.local/``. With ``DJANGO_DEBUG=0`` every secret must come from the environment.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    development_keys,
    env_bool,
    env_int,
    env_list,
    env_str,
    fernet_keys,
    require,
)

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(env_str("DJANGO_LOCAL_DIR", str(BASE_DIR / ".local")) or BASE_DIR / ".local")

DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    _dev = development_keys(LOCAL_DIR)
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", _dev["DJANGO_SECRET_KEY"]) or ""
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [_dev["FIELD_ENCRYPTION_KEYS"]])
    AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", _dev["AUDIT_HMAC_KEY"]) or ""
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    _database_url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
else:
    SECRET_KEY = require("DJANGO_SECRET_KEY")
    FIELD_ENCRYPTION_KEYS = [key.strip() for key in require("FIELD_ENCRYPTION_KEYS").split(",") if key.strip()]
    AUDIT_HMAC_KEY = require("AUDIT_HMAC_KEY")
    ALLOWED_HOSTS = [host.strip() for host in require("DJANGO_ALLOWED_HOSTS").split(",") if host.strip()]
    _database_url = require("DATABASE_URL")

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
FIELD_ENCRYPTION_KEYS = fernet_keys("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS)

# Audit checkpoints (docs/audit.md): verify_audit appends a signed line here after each verification that
# finds the record intact, and checks every line here later. Keep it where the database's administrators
# cannot rewrite it (another machine's share, append-only). Development keeps it in .local/.
AUDIT_CHECKPOINT_DIR = Path(
    (env_str("AUDIT_CHECKPOINT_DIR") or str(LOCAL_DIR / "audit-checkpoints"))
    if DEBUG
    else require("AUDIT_CHECKPOINT_DIR")
)
# How often each worker's audit linker looks for history rows waiting for their link (seconds). On SQLite
# the writer links right after its own commit instead (core.audit.chain.links_after_commit).
AUDIT_LINK_INTERVAL = float(env_str("AUDIT_LINK_INTERVAL") or "0.5")
# How far the linker lowers its CPU priority (Linux nice value, 0 to 19; 0 keeps it): on a machine that also
# serves requests, linking takes the CPU the app servers leave and catches up when they pause.
AUDIT_LINKER_NICENESS = int(env_str("AUDIT_LINKER_NICENESS") or "10")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "simple_history",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "js_lib_bootstrap5",
    "js_lib_vega_embed",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "core",
    "prosecutions",
    "assets",
    "trustfund",
    "witnesses",
    "documents",
    "victims",
    "django_tasks",
    "django_tasks_db",
    "jobs",
    "notifications",
    "network",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jobs.middleware.DatabaseOutageMiddleware",  # a database that is down answers 503, then recovers
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.sessions.SessionRefreshMiddleware",  # slides the idle expiry forward, writing at most once a minute
    "django.middleware.locale.LocaleMiddleware",  # the language: cookie, then the browser's Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserLanguageMiddleware",  # a signed-in user's chosen language wins over the browser's
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.TwoFactorMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each app keeps its templates in <app>/templates/. core's come first by name so the site frame and
        # the sign-in pages (registration/) win over django.contrib.admin's templates of the same names.
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGES
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {"default": dj_database_url.parse(_database_url or "", conn_max_age=env_int("DJANGO_DB_CONN_MAX_AGE", 0))}
# A persistent connection that died with a database restart is noticed and replaced before it is reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.backends.SignedInUserBackend",  # ModelBackend, loading the signed-in user with their roles
]

# Argon2id at OWASP's parameters (core.passwords); older PBKDF2 hashes still verify and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "core.passwords.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Idle expiry: each request pushes the expiry forward (the session row written at most once a minute:
# core.sessions), so a session ends after this many idle minutes.
SESSION_IDLE_MINUTES = env_int("DJANGO_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_ENGINE = "core.sessions"  # database sessions whose idle expiry is written at most once a minute
SESSION_REFRESH_SECONDS = 60  # core.sessions: the expiry is written when it would move by more than this
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Lockout after repeated failed sign-ins (django-axes, failures in the database; core/lockout.py). An
# account locks for the address the failures came from only (username and address together), so nobody
# elsewhere can lock a colleague out; an address that fails too often, whatever the usernames, is paused;
# a locked-out user can unlock themselves with a one-time link e-mailed to them.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("DJANGO_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "core.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOCKOUT_ADDRESS_FAILURES = env_int("DJANGO_LOCKOUT_ADDRESS_FAILURES", 30)
LOCKOUT_UNLOCK_LINK_MINUTES = env_int("DJANGO_UNLOCK_LINK_MINUTES", 30)
# Proxies in front of the app whose X-Forwarded-For entries are trusted for the client's address.
LOCKOUT_TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 1 if env_bool("DJANGO_BEHIND_PROXY", False) else 0)

# Two-factor sign-in (django-otp; core/twofactor.py): required for the roles in core.twofactor and for
# staff while this is on; anyone may enrol. The test suite turns it off except in its own tests.
TWO_FACTOR_REQUIRED = env_bool("DJANGO_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = "CTIP Case Tracker"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a key or a recovery code

# Content-Security-Policy (django-csp): everything from the tracker itself, no inline script or style, no
# framing. Images also from data: URIs (Bootstrap's icons in its CSS, the enrolment QR code). Charts
# use Vega's CSP-safe expression interpreter (static/js/charts.js), so no 'unsafe-eval'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Languages (docs/languages.md): English is the source language, Kiswahili beside it. Each app keeps its
# catalogue in <app>/locale/; `manage.py compile_translations` (run by `make setup`) compiles them. "English"
# comes translated from Django's catalogue; "Kiswahili" is the same word in both.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("sw", _("Kiswahili"))]
# Our own date and number formats where Django has none (Kiswahili): KES amounts keep "1,234,567.00".
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Africa/Nairobi"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Documents (docs/documents.md) live in a storage of their own, never served by URL: a folder outside the
# static and media paths (DOCUMENT_ROOT), or an S3-compatible bucket (DOCUMENT_STORAGE=s3, django-storages).
DOCUMENT_ROOT = Path(env_str("DOCUMENT_ROOT") or str(LOCAL_DIR / "documents"))
DOCUMENT_STORAGE = env_str("DOCUMENT_STORAGE", "filesystem") or "filesystem"
if DOCUMENT_STORAGE == "filesystem":
    _document_storage: dict[str, object] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(DOCUMENT_ROOT),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
elif DOCUMENT_STORAGE == "s3":
    if not env_str("DOCUMENT_S3_BUCKET"):
        raise ImproperlyConfigured(
            "DOCUMENT_STORAGE=s3 needs DOCUMENT_S3_BUCKET, the bucket's name (docs/documents.md)."
        )
    _document_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("DOCUMENT_S3_BUCKET"),
            "endpoint_url": env_str("DOCUMENT_S3_ENDPOINT_URL"),
            "region_name": env_str("DOCUMENT_S3_REGION"),
            "location": env_str("DOCUMENT_S3_PREFIX", "documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured('DOCUMENT_STORAGE must be "filesystem" or "s3".')
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": _document_storage,
    # Exports prepared in the background (jobs.exports): private, never served by URL; on several servers a
    # shared folder (EXPORT_ROOT) so the app server that offers the download can read what a worker wrote.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(Path(env_str("EXPORT_ROOT") or str(LOCAL_DIR / "exports"))),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")) or BASE_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development; SMTP when DJANGO_EMAIL_HOST is set.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_USER", "") or ""
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "ctip-tracker@localhost") or ""
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Or the whole mail server as one EMAIL_URL (docs/notifications.md): smtp://user:password@host:587 (STARTTLS),
# smtps://user:password@host:465 (TLS from the start), console:// or file:///folder (development).
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    _mail = urlsplit(EMAIL_URL)
    if _mail.scheme in ("smtp", "smtps"):
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = _mail.hostname or "localhost"
        EMAIL_PORT = _mail.port or (465 if _mail.scheme == "smtps" else 587)
        EMAIL_HOST_USER = unquote(_mail.username or "")
        EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
        EMAIL_USE_SSL = _mail.scheme == "smtps"
        EMAIL_USE_TLS = not EMAIL_USE_SSL and parse_qs(_mail.query).get("tls", ["1"])[0] not in ("0", "false")
        EMAIL_TIMEOUT = 20
    elif _mail.scheme == "console":
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    elif _mail.scheme == "file":
        EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        EMAIL_FILE_PATH = _mail.path
    else:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtps://, console:// or file://.")
# Notifications (notifications app, docs/notifications.md): the address e-mails link to.
SITE_URL = env_str("SITE_URL", "http://localhost:8000") or "http://localhost:8000"

# History shows in the admin but is never reverted there (core/admin_base.py): every change goes through a service.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Uploads (core/uploads.py): every file the tracker reads is bounded in size, rows, time and what an archive
# may expand to; the environment may move the bounds (docs/operations.md).
_MB = 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 5) * _MB  # one file
# Documents (documents app, docs/documents.md): the largest document accepted, in MB.
DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 25)
if DOCUMENT_MAX_MB < 1:
    raise ImproperlyConfigured("DOCUMENT_MAX_MB must be a positive number of megabytes.")
DOCUMENT_MAX_BYTES = DOCUMENT_MAX_MB * _MB
# A whole request body carrying files: never less than the largest document plus the form around it.
UPLOAD_MAX_REQUEST_BYTES = max(env_int("UPLOAD_MAX_REQUEST_MB", 20), DOCUMENT_MAX_MB + 5) * _MB
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 20_000)  # rows of a table, header included
UPLOAD_MAX_COLUMNS = env_int("UPLOAD_MAX_COLUMNS", 100)  # cells read per row
UPLOAD_MAX_CELLS = env_int("UPLOAD_MAX_CELLS", 500_000)  # cells in a table, strings in a workbook
UPLOAD_MAX_SECONDS = env_int("UPLOAD_MAX_SECONDS", 20)  # reading one table, start to finish
UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_MB", 50) * _MB  # an .xlsx, expanded
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100)  # expanded / file size
UPLOAD_MAX_ARCHIVE_MEMBERS = env_int("UPLOAD_MAX_ARCHIVE_MEMBERS", 500)  # files inside an archive
# Imports of legacy registers (imports app, docs/import.md): larger than other uploads, read by a worker.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 20) * _MB  # one register file
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)  # data rows of one register
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 2_000_000)  # cells of a register, strings of a workbook
IMPORT_MAX_SECONDS = env_int("IMPORT_MAX_SECONDS", 300)  # reading one register, start to finish
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 400) * _MB  # an .xlsx, expanded
# Uploaded registers are kept privately here (never served by URL); on several servers, a shared folder.
IMPORT_ROOT = Path(env_str("IMPORT_ROOT") or str(LOCAL_DIR / "imports"))
# An upload larger than the request limit is refused (400) before Django writes it anywhere.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Money: one project-wide precision.
MONEY_MAX_DIGITS = 18
MONEY_DECIMAL_PLACES = 2

# Assets (assets app): a preservation order (POCAMLA s.82) expires PRESERVATION_ORDER_DAYS after it
# starts to run — from the gazettement date where known, else the grant ("gazette"), or always from
# the grant ("grant"). Deadline warnings look ASSET_DEADLINE_WARNING_DAYS ahead.
PRESERVATION_ORDER_DAYS = env_int("ASSET_PRESERVATION_DAYS", 90)
PRESERVATION_EXPIRY_FROM = env_str("ASSET_PRESERVATION_EXPIRY_FROM", "gazette") or "gazette"
if PRESERVATION_EXPIRY_FROM not in ("gazette", "grant"):
    raise ImproperlyConfigured('ASSET_PRESERVATION_EXPIRY_FROM must be "gazette" or "grant".')
if PRESERVATION_ORDER_DAYS < 1:
    raise ImproperlyConfigured("ASSET_PRESERVATION_DAYS must be a positive number of days.")
ASSET_DEADLINE_WARNING_DAYS = env_int("ASSET_DEADLINE_WARNING_DAYS", 14)

# Trust fund (trustfund app): the fund home flags an approved disbursement still unpaid after this many days.
FUND_UNPAID_ALERT_DAYS = env_int("FUND_UNPAID_ALERT_DAYS", 14)
if FUND_UNPAID_ALERT_DAYS < 1:
    raise ImproperlyConfigured("FUND_UNPAID_ALERT_DAYS must be a positive number of days.")

# Background work (jobs app, docs/operations.md): Django's tasks framework through the django-tasks backport,
# queued in the database (django-tasks-db); `manage.py run_worker` runs the queue and the schedule.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "exports"]}}
# A scheduled run whose worker has not finished it this long after it started is presumed dead and retried.
JOBS_RUN_TIMEOUT_MINUTES = env_int("JOBS_RUN_TIMEOUT_MINUTES", 60)
# A failed run is retried after 1, 2, 4 … minutes, never waiting longer than this.
JOBS_RETRY_MAX_MINUTES = env_int("JOBS_RETRY_MAX_MINUTES", 60)
# /health/ calls the workers alive while one has reported within this many seconds.
JOBS_WORKER_STALE_SECONDS = env_int("JOBS_WORKER_STALE_SECONDS", 120)
# A list export of more rows than this is prepared in the background and offered when ready.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000)
# Set behind nginx: downloads of prepared exports are handed to nginx with X-Accel-Redirect under this
# internal location (deploy/nginx/ctip.conf) instead of being streamed by the app.
EXPORT_ACCEL_REDIRECT_PREFIX = env_str("EXPORT_ACCEL_REDIRECT_PREFIX", "") or ""

# Security. Production values are on unless explicitly turned off.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer's health check may come over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy, trust its X-Forwarded-Proto header (only if the proxy sets it).
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        USE_X_FORWARDED_HOST = True

# The cache (throttles such as the unlock e-mail's): in production a table in the database, shared by every app
# server and worker (`manage.py createcachetable` on deploy, docs/deployment.md); in development the process's
# memory. Sessions are in the database; locks are database rows: no app server keeps what another needs.
if DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": env_str("DJANGO_CACHE_TABLE", "ctip_cache") or "ctip_cache",
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# The REST API (api/, docs/api.md): personal tokens (Authorization: Bearer …) for other systems, the session
# for the browsable API; cursor pagination; the list pages' FilterSets; one error envelope; a request
# allowance per token (429 with Retry-After beyond it).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env_str("DJANGO_API_RATE", "600/minute") or "600/minute"},
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CTIP Case Tracker API",
    "DESCRIPTION": "Cases, hearings, victims and witnesses by code, assets and the trust fund, for other agencies' "
    "systems. Sign in with a personal token: `Authorization: Bearer <token>` (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # The money side's choice sets named once (several "status" fields would clash).
        "AssetStatusEnum": "assets.choices.AssetStatus",
        "DisbursementStatusEnum": "trustfund.choices.DisbursementStatus",
        # The prosecutions side's (several "purpose", "outcome" and stage fields).
        "StageEnum": "prosecutions.choices.Stage",
        "HearingPurposeEnum": "prosecutions.choices.HearingPurpose",
        "HearingOutcomeEnum": "prosecutions.choices.HearingOutcome",
        "RecordedHearingOutcomeEnum": "api.serializers.prosecutions.RECORDED_OUTCOMES",
        "PleaEnteredEnum": "api.serializers.prosecutions.PLEAS_ENTERED",
        "CountOutcomeEnum": "api.serializers.prosecutions.COUNT_OUTCOMES",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
