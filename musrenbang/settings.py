"""Settings of Musrenbang, read from the environment (see README and .env.example)."""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file(path: Path) -> None:
    """Read ``KEY=VALUE`` lines of a local ``.env`` file; real environment variables win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


if os.environ.get("MUSRENBANG_IGNORE_ENV_FILE") != "1":
    load_env_file(BASE_DIR / ".env")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-not-secret-musrenbang-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
# Writing migrations signs nothing: `manage.py makemigrations` works without a key (a random
# one for this process only), so a code check needs no secret. Everything else is refused.
if not SECRET_KEY and sys.argv[1:2] == ["makemigrations"]:
    SECRET_KEY = secrets.token_urlsafe(64)
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "SECRET_KEY wajib diisi dengan nilai acak minimal 50 karakter bila DEBUG tidak aktif "
        "(contoh: python3 -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

# The address the development server listens on: `make run` passes its HOST and PORT.
RUN_HOST = os.environ.get("HOST") or "127.0.0.1"
RUN_PORT = os.environ.get("PORT") or "8000"
# A server listening on every interface is reached on the loopback address from this machine.
_BROWSABLE_HOST = "127.0.0.1" if RUN_HOST in {"0.0.0.0", "::"} else RUN_HOST  # noqa: S104
RUN_URL = f"http://{_BROWSABLE_HOST}:{RUN_PORT}"

_DEBUG_HOSTS = ",".join(dict.fromkeys(["127.0.0.1", "localhost", _BROWSABLE_HOST]))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _DEBUG_HOSTS if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "musrenbang.apps.MusrenbangConfig",
    "proposals.apps.ProposalsConfig",
    "sessions.apps.ForumConfig",
    "scoring.apps.ScoringConfig",
    "reports.apps.ReportsConfig",
    "benchmarks.apps.BenchmarksConfig",
    "musrenbang.apps.MusrenbangAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "musrenbang.middleware.RequestSizeLimitMiddleware",
    "musrenbang.middleware.InvalidTextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Unchanged polls (projector, /lacak/) answer 304 here, before the session and user load.
    "musrenbang.caching.PollMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "musrenbang.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: an unchanged staff page answered with one query (musrenbang.fastpage).
    "musrenbang.fastpage.FastPageMiddleware",
]

ROOT_URLCONF = "musrenbang.urls"
WSGI_APPLICATION = "musrenbang.wsgi.application"

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
                "musrenbang.context_processors.navigation",
            ],
            "builtins": ["musrenbang.templatetags.formatting"],
        },
    }
]

# Without DATABASE_URL: the project-local cluster that `make run` starts (scripts/db.sh).
LOCAL_PGPORT = os.environ.get("MUSRENBANG_PGPORT", "54329")
DATABASE_URL = (
    os.environ.get("DATABASE_URL") or f"postgres://postgres@127.0.0.1:{LOCAL_PGPORT}/musrenbang"
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "Musrenbang hanya mendukung PostgreSQL (DATABASE_URL postgres://...)."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "musrenbang.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "musrenbang.auth.PlacesBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Years and codes must never print as "2.027": money and counts use the |rupiah and |angka filters.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Background work (documents that take seconds): django-tasks with its database backend, so
# the queue is a table of the PostgreSQL the product already has; `manage.py db_worker` runs
# the jobs (any number of workers, on any machine sharing the database and MEDIA_ROOT).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Uploads: limits in bytes, checked on the server by the upload validators.
# Verification flag: a proposal's cost further than this share from volume x kamus unit price.
KAMUS_COST_TOLERANCE = float(os.environ.get("KAMUS_COST_TOLERANCE", "0.2"))
UPLOAD_MAX_DOCUMENT_BYTES = int(os.environ.get("UPLOAD_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024))
UPLOAD_MAX_IMAGE_BYTES = int(os.environ.get("UPLOAD_MAX_IMAGE_BYTES", 5 * 1024 * 1024))
UPLOAD_MAX_VIDEO_BYTES = int(os.environ.get("UPLOAD_MAX_VIDEO_BYTES", 200 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# The admin's history "revert" would save old versions past the services' rules (frozen
# criteria, the lock after sending): history stays readable, never restorable.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login throttling (django-axes): 5 failures lock the username+IP pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind reverse proxies the lock keys on the client's address from X-Forwarded-For (the
# PROXY_COUNT-th entry from the right, see musrenbang.auth.client_ip), not on the proxy's:
# otherwise one attacker would lock an account for every user behind the same proxy.
# (axes' AXES_IPWARE_* settings need django-ipware, which is not installed.)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
PROXY_COUNT = int(os.environ.get("PROXY_COUNT") or (1 if BEHIND_PROXY else 0))
AXES_CLIENT_IP_CALLABLE = "musrenbang.auth.client_ip"

# Printed in the QR code and verification address of final documents; unset, the address of
# the server that makes them (RUN_URL).
SITE_URL = (os.environ.get("SITE_URL") or RUN_URL).rstrip("/")

# E-mail (follow-up reminders): SMTP when EMAIL_HOST is set, the console in development,
# none otherwise (``followup_reminders`` then only lists).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "musrenbang@localhost")
FOLLOWUP_REMINDER_EMAIL = bool(EMAIL_HOST) or DEBUG

# Security: with DEBUG off, `manage.py check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 60 * 60
# A poll of a page behind a permission (the projector) may be answered 304 from its signed ETag,
# without reading the session, for this long after the full view last checked the permission
# (musrenbang.caching.PollMiddleware); 0 = always check.
POLL_REAUTH_SECONDS = int(os.environ.get("POLL_REAUTH_SECONDS", 300))

# How long a page answered by FastPageMiddleware (one query) may go without its full view
# checking the permission again (0: every request runs its view).
FAST_PAGE_SECONDS = int(os.environ.get("FAST_PAGE_SECONDS", 60))

# Pages and fragments cached under version marks (musrenbang.caching): per process, its keys
# come from the database, so several app servers stay correct. Django's default keeps only
# 300 entries; a kabupaten's forum day (30 forums, their pages per staff user) needs more.
CACHE_MAX_ENTRIES = int(os.environ.get("CACHE_MAX_ENTRIES", 2000))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
    }
}
# CACHE_SHARED=db: a second layer in the database (table musrenbang_cache, made by migrate)
# that every process and server reads when its own cache misses, so a page is rendered once
# per change for the whole deployment instead of once per process.
CACHE_SHARED = os.environ.get("CACHE_SHARED", "").strip().lower()
if CACHE_SHARED == "db":
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "musrenbang_cache",
        "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES * 10},
    }
elif CACHE_SHARED not in ("", "0", "off"):
    raise ImproperlyConfigured("CACHE_SHARED hanya boleh 'db' atau kosong.")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Off only where HTTPS cannot exist at all (the loopback scale-out test).
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
