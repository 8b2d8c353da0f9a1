"""Settings for the CSPR case manager: one module, every knob an environment variable.

Defaults are the embedded, single-machine development setup (SQLite, Celery tasks
run in-process). Production sets DEBUG=false and real values; it refuses to start
with the development secret key or a build-only one. The test suite reads this
module through tests/settings.py, which sets its environment and its few overrides.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

#: A secret key starting with this exists only while an image is built (the
#: Dockerfile's collectstatic, which signs nothing); settings accept it only with
#: DJANGO_BUILD_ONLY=1 in the environment, so a running service refuses it.
BUILD_ONLY_SECRET_KEY_PREFIX = "build-only-"  # noqa: S105

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
if SECRET_KEY == DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key: set SECRET_KEY in the environment "
        "(or DEBUG=true on a development machine)."
    )
if SECRET_KEY.startswith(BUILD_ONLY_SECRET_KEY_PREFIX) and not env_bool("DJANGO_BUILD_ONLY", False):
    raise ImproperlyConfigured(
        "SECRET_KEY is the build-only key the image was built with: set the service's "
        "own SECRET_KEY in the environment."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

#: The apps over the kernel, bottom layer first (docs/architecture.md): messaging,
#: then the stages in the order a case flows through them, the deadlines app beside
#: them, and the top layer that reads every stage. Demo data is seeded in this order.
PIPELINE_APPS: list[str] = ["cases", "notifications", "rapid_review", "reviews", "publication"]
PROJECT_APPS: list[str] = ["messaging", *PIPELINE_APPS, "deadlines", "reporting", "governance"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    # API tokens, stored hashed and expiring (django-rest-knox; cspr.apitokens).
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_celery_beat",
    "govuk_frontend_django",
    "cspr.apps.CsprConfig",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    # Every error under /api/ is JSON ({"detail": ...}), also those Django answers
    # before the API's views (an unknown address, a server error). First: it sees all.
    "cspr.middleware.JSONErrorsUnderAPIMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that a change that committed is never followed by a page
    # saying nothing changed (the session saved after it failing, for example).
    "cspr.middleware.ChangeSavedSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session entered a one-time code.
    "django_otp.middleware.OTPMiddleware",
    # The actor of permission changes made during the request (cspr.audit).
    "cspr.middleware.AuditActorMiddleware",
    # Cache-Control: private, no-store for signed-in users, the API and exports.
    "cspr.middleware.NoStoreMiddleware",
    # Every API write is one transaction: an error response saves nothing.
    "cspr.middleware.AtomicAPIWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Members who must (or chose to) use a one-time code reach nothing else until
    # they have set one up and entered it. After OTPMiddleware.
    "cspr.middleware.TwoFactorMiddleware",
    # django-axes: last, so that it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cspr.urls"
WSGI_APPLICATION = "cspr.wsgi.application"

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
                "cspr.context_processors.service",
                "messaging.context_processors.in_app_notifications",
            ],
            "builtins": ["cspr.templatetags.cspr_formats"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A connection the database dropped is replaced before the request uses it.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before the
    # password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded documents live outside the web root and are served only through
# permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "uploads"))
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

# E-mail: console by default; GOV.UK Notify when GOVUK_NOTIFY_API_KEY is set (with the
# ID of a plain template whose subject is ((subject)) and body ((body))); SMTP when
# EMAIL_HOST is set. EMAIL_BACKEND, if given, wins.
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = os.environ.get("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")
GOVUK_NOTIFY_BASE_URL = os.environ.get("GOVUK_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
if GOVUK_NOTIFY_API_KEY and not GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID:
    raise ImproperlyConfigured(
        "GOVUK_NOTIFY_API_KEY is set but GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID is not: "
        "give the ID of a Notify template with subject ((subject)) and body ((body))."
    )
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "cspr.email.NotifyEmailBackend"
    if GOVUK_NOTIFY_API_KEY
    else "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cspr-case-manager@localhost")
# A hung mail server or API holds no worker: seconds per SMTP operation / Notify request.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
GOVUK_NOTIFY_TIMEOUT = int(os.environ.get("GOVUK_NOTIFY_TIMEOUT", str(EMAIL_TIMEOUT)))
GOVUK_NOTIFY_RETRIES = int(os.environ.get("GOVUK_NOTIFY_RETRIES", "3"))
# The e-mail outbox (messaging): attempts before an e-mail is abandoned (and listed for
# the business managers), the wait after the first failure (doubled after each, up to
# the maximum), and the lease of the worker sending one e-mail (another worker takes it
# over when the lease has run out: the sender died).
MESSAGING_EMAIL_MAX_ATTEMPTS = int(os.environ.get("MESSAGING_EMAIL_MAX_ATTEMPTS", "8"))
MESSAGING_EMAIL_BACKOFF_SECONDS = int(os.environ.get("MESSAGING_EMAIL_BACKOFF_SECONDS", "300"))
MESSAGING_EMAIL_BACKOFF_MAX_SECONDS = int(
    os.environ.get("MESSAGING_EMAIL_BACKOFF_MAX_SECONDS", str(6 * 3600))
)
MESSAGING_EMAIL_LEASE_SECONDS = int(
    os.environ.get("MESSAGING_EMAIL_LEASE_SECONDS", str(max(120, 6 * EMAIL_TIMEOUT)))
)
#: The service's public address, for links in e-mails and the calendar feed.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Celery: without a broker, tasks run in-process (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker process died (killed, out of memory) goes back to the queue
# instead of being acked: with late acks, it runs again (every task is idempotent).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Every task has time limits (a task may set shorter ones); the soft one raises in the
# task so it can stop cleanly, the hard one kills the process (and the task is re-queued).
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "540"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "600"))
# Redis hands an unacked task to another worker after this long: well above the longest
# task (its hard limit), so a task still running is never delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep Django's LOGGING (and its personal-data filter) in worker processes.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule is code: django_celery_beat's DatabaseScheduler copies these entries into
# its tables when beat starts. Times are Europe/London (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-deadlines": {
        "task": "notifications.sweep_deadlines",
        "schedule": crontab(minute=0, hour="7,12,16"),
    },
    "weekly-deadline-digest": {
        "task": "notifications.weekly_digest",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
    "remove-orphan-uploads": {
        "task": "cspr.remove_orphan_uploads",
        "schedule": crontab(minute=15, hour=3),
    },
    # The e-mail outbox: first sends whose worker died, and retries as they fall due.
    "send-due-emails": {
        "task": "messaging.send_due_emails",
        "schedule": crontab(minute="*/5"),
    },
    # Disposal under each partnership's retention schedule (governance): nothing goes
    # until a partnership sets a period.
    "retention-scan": {
        "task": "governance.retention_scan",
        "schedule": crontab(minute=45, hour=2),
    },
    # Tamper evidence: seal the audit events of the last hour (cspr.auditseal).
    "seal-audit-trail": {
        "task": "cspr.seal_audit_trail",
        "schedule": crontab(minute=20),
    },
}
#: Audit events are sealed once this old (longer than any transaction runs).
AUDIT_SEAL_GRACE_MINUTES = int(os.environ.get("AUDIT_SEAL_GRACE_MINUTES", "10"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # API tokens first: a request with no credentials or a bad token is answered
        # 401 with a WWW-Authenticate header naming the token scheme.
        "knox.auth.TokenAuthentication",
        # The browser's session, only once it has passed two-factor sign-in.
        "cspr.apiauth.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Every answer is JSON (no browsable HTML API).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Bodies are JSON: one object, nested a few levels at most (cspr.api). The two
    # operations that upload a file take multipart instead (their own parser_classes).
    "DEFAULT_PARSER_CLASSES": ["cspr.api.JSONObjectParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cspr.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cspr.api.exception_handler",
}
#: API tokens (django-rest-knox, cspr.apitokens): days until a new token expires. The
#: header stays ``Authorization: Token <token>``; a token is kept only as a SHA-512 hash.
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "90"))
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    # A token keeps its expiry: using it does not extend it.
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    # Swagger UI's files come from the project (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "CSPR case manager API",
    "DESCRIPTION": "Referrals, notifications, rapid reviews, reviews and publication "
    "for Local Safeguarding Children Partnerships in England.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Operations tagged by resource ("rapid-reviews") and named without the version
    # ("rapid_reviews_submit_create"), for readable generated clients.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cspr.api.document_error_responses",
        "cspr.api.document_multipart_bodies",
        "cspr.api.document_text_limits",
    ],
    # One named enum per status field of the API (several models have "status").
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "cases.models.Referral.Status",
        "CaseStatusEnum": "cases.models.Case.Status",
        "NotificationStatusEnum": "notifications.models.SeriousIncidentNotification.Status",
        "DeadlineStatusEnum": "cspr.models.Deadline.Status",
        "CaseStageEnum": "cases.models.Case.Stage",
        "RapidReviewStatusEnum": "rapid_review.models.RapidReview.Status",
        "DeadlineStageEnum": "cspr.models.Deadline.Stage",
        "YesNoNotKnownEnum": "cases.codes.YesNoNotKnown",
    },
}

# django-guardian: no anonymous user row needed.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# Sessions and cookies.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
# The idle timeout is renewed by cspr.middleware.ChangeSavedSessionMiddleware at most once
# a minute (not on every request: a page read then costs no session write).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one
# username from one address, that combination is locked out for the cool-off time.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit trail already
AXES_VERBOSE = False  # its log lines name the attempted username
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For to trust.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None

# Two-factor sign-in (django-otp, TOTP): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "CSPR case manager")

# Content-Security-Policy (django-csp 4): files from this site only; no inline
# scripts or styles anywhere (base.html loads only files).
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
    }
}

# Information governance: the access review flags accounts not signed in for this long.
ACCESS_REVIEW_IDLE_DAYS = int(os.environ.get("ACCESS_REVIEW_IDLE_DAYS", "90"))

SERVICE_NAME = "Child safeguarding practice reviews"
SERVICE_PHASE = os.environ.get("SERVICE_PHASE", "beta")

# Logging: no personal data is ever logged; request bodies are never logged.
# Every handler masks e-mail addresses, dates (of birth) and query strings
# (cspr.logging.PersonalDataFilter).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "cspr.logging.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines: handled by the root handler (filtered), not
        # Django's own unfiltered one.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every render step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
