"""One settings module, configured by the environment.

DATABASE_URL   sqlite:////abs/path.sqlite3 or postgres://user[:pw]@host[:port]/db
               (default: credo.sqlite3 in the project folder)
CREDO_ENV      "production" refuses to start with DEBUG on or the default SECRET_KEY
SECRET_KEY, DEBUG, ALLOWED_HOSTS (comma separated), CREDO_TIME_ZONE
CREDO_TRUSTED_PROXIES  reverse proxies in front (X-Forwarded-For is read only then; default 0)
CREDO_LOGIN_FAILURE_LIMIT (5), CREDO_LOGIN_LOCKOUT_MINUTES (1, doubling), CREDO_LOGIN_LOCKOUT_MAX_MINUTES
               (60), CREDO_LOGIN_ADDRESS_FAILURE_LIMIT (50 an hour, any usernames; 0: off): the sign-in
               throttle, per username and address (credo.core.lockout)
CREDO_EMAIL_HOST    SMTP server for notification e-mails (unset: no e-mail, notifications stay in-app);
                    CREDO_EMAIL_PORT (25), CREDO_EMAIL_USER, CREDO_EMAIL_PASSWORD, CREDO_EMAIL_TLS=1 or
                    CREDO_EMAIL_SSL=1, CREDO_EMAIL_FROM (sender), CREDO_BASE_URL (links in e-mails)
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

DEFAULT_SECRET_KEY = "credo-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("DEBUG", "1") == "1"
PRODUCTION = os.environ.get("CREDO_ENV") == "production"
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("CREDO_ENV=production needs DEBUG=0.")
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("CREDO_ENV=production needs a SECRET_KEY of at least 32 characters.")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:////abs/file -> /abs/file ; sqlite:///rel/file -> rel/file
        path = unquote(parsed.path)
        path = "/" + path.lstrip("/") if url.startswith("sqlite:////") else path.removeprefix("/")
        if not path:
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no file.")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": os.environ.get("CREDO_TEST_SQLITE") or None},
        }
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (sqlite or postgres).")


DEFAULT_DATABASE_URL = "sqlite:///" + str(PROJECT_DIR / "credo.sqlite3")
DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "credo.core",
    "credo.worktime",
    "credo.customers",
    "credo.sales",
    "credo.receivables",
    "credo.collection",
    "credo.rating",
    "credo.limits",
    "credo.credit",
    "credo.risk",
    "credo.classification",
    "credo.analysis",
    "credo.visits",
    "credo.segments",
    "credo.sla",
    "credo.complaints",
    "credo.servicedesk",
    "credo.improvement",
    "credo.claims",
    "credo.servqual",
    "credo.loyalty",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "credo.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "credo.core.middleware.RequestIdMiddleware",
]

ROOT_URLCONF = "credo.urls"
WSGI_APPLICATION = "credo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "credo.core.context.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["credo.core.auth.LockoutModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in throttle (credo.core.lockout), counted per username and client address: after LOGIN_FAILURE_LIMIT
# failures within LOGIN_FAILURE_WINDOW_HOURS, that username is refused from that address for
# LOGIN_LOCKOUT_MINUTES, doubling with each further failure up to LOGIN_LOCKOUT_MAX_MINUTES. Looser, per
# address over all usernames (password spraying): LOGIN_ADDRESS_FAILURE_LIMIT failures within
# LOGIN_ADDRESS_WINDOW_MINUTES pause the whole address the same way (0: no address limit).
LOGIN_FAILURE_LIMIT = int(os.environ.get("CREDO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("CREDO_LOGIN_LOCKOUT_MINUTES", "1"))
LOGIN_LOCKOUT_MAX_MINUTES = int(os.environ.get("CREDO_LOGIN_LOCKOUT_MAX_MINUTES", "60"))
LOGIN_FAILURE_WINDOW_HOURS = 24
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CREDO_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
LOGIN_ADDRESS_WINDOW_MINUTES = 60
# How many reverse proxies of ours stand in front of Credo. 0: the client address is REMOTE_ADDR and
# X-Forwarded-For is ignored (anyone can write it); N: the address the N-th proxy from us saw, read from
# X-Forwarded-For. Behind a proxy, set it, or every user shares the proxy's address for the throttle.
CREDO_TRUSTED_PROXIES = int(os.environ.get("CREDO_TRUSTED_PROXIES", "0"))
if CREDO_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("CREDO_TRUSTED_PROXIES is a number of proxies: 0 or more.")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("CREDO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = PROJECT_DIR / "var" / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CREDO_MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

CSRF_FAILURE_VIEW = "credo.core.views.csrf_failure"
# Covering (INCLUDE) indexes are a PostgreSQL feature; on SQLite the index works without the extra column.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_short": {"()": "credo.core.log_filters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_short"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Notification e-mail: off unless CREDO_EMAIL_HOST is set (credo.core.notifications.mail_enabled).
EMAIL_HOST = os.environ.get("CREDO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("CREDO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CREDO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CREDO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CREDO_EMAIL_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("CREDO_EMAIL_SSL", "0") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("CREDO_EMAIL_FROM", "credo@localhost")
CREDO_BASE_URL = os.environ.get("CREDO_BASE_URL", "").rstrip("/")

# Business defaults; the company edits its own values in the admin (core.CompanyProfile).
CREDO_CURRENCY = "CNY"
