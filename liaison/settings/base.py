"""Settings shared by every environment; the only module that reads the process environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Everything taken from the environment, in one place. The per-purpose modules decide what to do with it.
ENV_SECRET_KEY = os.environ.get("SECRET_KEY", "")
ENV_DEBUG = _flag("DEBUG", True)
ENV_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ENV_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Seconds a database connection is kept between requests; empty means each settings module's own default.
ENV_CONN_MAX_AGE = os.environ.get("CONN_MAX_AGE", "")
# Kept SQL as server-side prepared statements (liaison/prepared.py); off behind a pooler in transaction mode.
ENV_PREPARED_STATEMENTS = _flag("PREPARED_STATEMENTS", True)
ENV_ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost")
ENV_CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
ENV_EMAIL_URL_HOST = os.environ.get("EMAIL_HOST", "")
ENV_EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
ENV_EMAIL_USER = os.environ.get("EMAIL_HOST_USER", "")
ENV_EMAIL_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
ENV_EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", False)
ENV_DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "liaison@localhost")
ENV_DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "liaison")
ENV_REQUIRE_SERVICES = _flag("REQUIRE_SERVICES", False)
ENV_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Where the phase banner's and the footer's feedback links go (a page or a mailto: address).
ENV_FEEDBACK_URL = os.environ.get("FEEDBACK_URL", "mailto:liaison-feedback@dwp.gov.uk?subject=Liaison%20feedback")
# The organisation's seal for signed agreements (PEM files); empty means a self-signed one generated in var/.
ENV_SEAL_CERT_FILE = os.environ.get("AGREEMENTS_SEAL_CERT_FILE", "")
ENV_SEAL_KEY_FILE = os.environ.get("AGREEMENTS_SEAL_KEY_FILE", "")
# The shared cache (rate limits, used one-time codes): a redis:// URL; empty means each process's own memory.
ENV_CACHE_URL = os.environ.get("CACHE_URL", "")
# People and access: idle minutes before a session ends; failed sign-ins before an account or address is refused.
ENV_SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
ENV_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "50"))
ENV_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "200"))
ENV_LOGIN_ATTEMPTS_PER_MINUTE = int(os.environ.get("LOGIN_ATTEMPTS_PER_MINUTE", "120"))
ENV_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
ENV_INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
# MFA is asked of demo users only when DEMO_MFA=1 (so that `make run` stays a quick look).
ENV_DEMO_MFA = _flag("DEMO_MFA", False)
# Single sign-on (OpenID Connect, e.g. Microsoft Entra ID): all three set, or no SSO button.
ENV_OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "")
ENV_OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
ENV_OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
ENV_OIDC_NAME = os.environ.get("OIDC_NAME", "your organisation account")
# GOV.UK Notify: an API key turns it on; the template with ((subject)), ((body)), ((link)) placeholders by id.
ENV_NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
ENV_NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
ENV_NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")

DEBUG = ENV_DEBUG
SECRET_KEY = ENV_SECRET_KEY or "insecure-development-key-only-for-local-use"
ALLOWED_HOSTS = ENV_ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = ENV_CSRF_TRUSTED_ORIGINS
SITE_URL = ENV_SITE_URL.rstrip("/")
FEEDBACK_URL = ENV_FEEDBACK_URL
DEMO_PASSWORD = ENV_DEMO_PASSWORD
REQUIRE_SERVICES = ENV_REQUIRE_SERVICES

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "liaison",
    "boards",
    "escalation",
    "monitoring",
    "agreements",
    "mi",
]

MIDDLEWARE = [
    "liaison.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "liaison.middleware.RejectNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "liaison.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

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
                "liaison.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through the project's templates (templates/django/forms/widgets/ overrides Django's own); selects
# are written in Python by liaison/form_renderer.py to the same HTML, for speed.
FORM_RENDERER = "liaison.form_renderer.LiaisonFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        ENV_DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # The development server starts a thread per request, and a kept connection would outlive its thread and
        # hoard the shared server's slots; production's long-lived workers keep theirs (see production.py).
        conn_max_age=int(ENV_CONN_MAX_AGE or 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query it guesses costly, and for a web page's short scoped reads the compiling
    # costs more than it saves (make bench-national: a scoped count took 281 ms with it, 91 ms without). Its default
    # random_page_cost assumes spinning disks; on SSDs index probes are cheap, and with the default it reads the
    # whole events table rather than look up a district's 5,000 events by key (145 ms against 48 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
LIAISON_PREPARED_STATEMENTS = ENV_PREPARED_STATEMENTS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Scopes are read from covering indexes on PostgreSQL (INCLUDE columns); SQLite, the embedded default, builds them as
# plain indexes of their key columns, which answer the same queries, so its warning says nothing to act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# People and access (django-allauth): no sign-up, invitations are the only way in (liaison/accounts.py).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "liaison.accounts.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "liaison.accounts.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "liaison.accounts.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Invitations prove the address (the link went to it); allauth asks no separate confirmation.
ACCOUNT_EMAIL_VERIFICATION = "none"
# "If an account exists for that address, we have sent a link": never says whether it does.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Liaison: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if ENV_SITE_URL.startswith("https") else "http"
LOGIN_FAILURES_PER_ACCOUNT = ENV_LOGIN_FAILURES_PER_ACCOUNT
LOGIN_FAILURES_PER_ADDRESS = ENV_LOGIN_FAILURES_PER_ADDRESS
LOGIN_LOCKOUT_MINUTES = ENV_LOGIN_LOCKOUT_MINUTES
LOGIN_ATTEMPTS_PER_MINUTE_PER_ADDRESS = ENV_LOGIN_ATTEMPTS_PER_MINUTE
ACCOUNT_RATE_LIMITS = {
    # Repeated failures for one account (the key) or from one address are refused for the rest of the period.
    "login_failed": (
        f"{LOGIN_FAILURES_PER_ADDRESS}/{LOGIN_LOCKOUT_MINUTES}m/ip,"
        f"{LOGIN_FAILURES_PER_ACCOUNT}/{LOGIN_LOCKOUT_MINUTES}m/key"
    ),
    "login": f"{LOGIN_ATTEMPTS_PER_MINUTE_PER_ADDRESS}/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Sessions end after this many idle minutes: every request pushes the expiry on.
SESSION_IDLE_MINUTES = ENV_SESSION_IDLE_MINUTES
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Invitation links are single use and expire after this many days.
INVITATION_DAYS = ENV_INVITATION_DAYS

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Liaison"
MFA_RECOVERY_CODE_COUNT = 10
# One step either side of the current 30-second code, for clocks that drift; each code still works once.
MFA_TOTP_TOLERANCE = 1
# GPT, administrators and signers must set up an authenticator app before they can use the service.
LIAISON_REQUIRE_MFA = True
DEMO_MFA = ENV_DEMO_MFA


# Single sign-on: only with every OIDC_* setting; SSO signs in invited people, it never creates access.
def sso_settings(server_url: str, client_id: str, client_secret: str, name: str) -> dict:
    """What single sign-on sets (the tests call this too, for their provider on a free port)."""
    enabled = bool(server_url and client_id and client_secret)
    provider = urlsplit(server_url)
    return {
        "OIDC_ENABLED": enabled,
        "OIDC_NAME": name,
        "SOCIALACCOUNT_PROVIDERS": {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": (
                    [
                        {
                            "provider_id": "organisation",
                            "name": f"Sign in with {name}",
                            "client_id": client_id,
                            "secret": client_secret,
                            "settings": {"server_url": server_url},
                        }
                    ]
                    if enabled
                    else []
                ),
            }
        },
        # The sign-in button posts a form that is answered by a redirect to the provider, and browsers hold such a
        # redirect to the page's form-action.
        "FORM_ACTION": [SELF, f"{provider.scheme}://{provider.netloc}"] if enabled else [SELF],
    }


_SSO = sso_settings(ENV_OIDC_SERVER_URL, ENV_OIDC_CLIENT_ID, ENV_OIDC_CLIENT_SECRET, ENV_OIDC_NAME)
OIDC_ENABLED = _SSO["OIDC_ENABLED"]
OIDC_NAME = _SSO["OIDC_NAME"]
SOCIALACCOUNT_PROVIDERS = _SSO["SOCIALACCOUNT_PROVIDERS"]
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "build" / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("autocomplete", BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# GOV.UK Frontend needs no inline script: the page starts it from a module file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": _SSO["FORM_ACTION"],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ENV_CACHE_URL}
        if ENV_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "liaison"}
    )
}

EMAIL_HOST = ENV_EMAIL_URL_HOST or "localhost"
EMAIL_PORT = ENV_EMAIL_PORT
EMAIL_HOST_USER = ENV_EMAIL_USER
EMAIL_HOST_PASSWORD = ENV_EMAIL_PASSWORD
EMAIL_USE_TLS = ENV_EMAIL_USE_TLS
DEFAULT_FROM_EMAIL = ENV_DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if ENV_EMAIL_URL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Notifications (liaison/notifications.py): every email goes through the outbox. Django's email backend above
# (SMTP, or files in the embedded default) unless a GOV.UK Notify API key is set.
NOTIFY_API_KEY = ENV_NOTIFY_API_KEY
NOTIFY_BASE_URL = ENV_NOTIFY_BASE_URL.rstrip("/")
# Template ids by notification kind; "default" serves every kind without its own.
NOTIFY_TEMPLATE_IDS = {"default": ENV_NOTIFY_TEMPLATE_ID}
NOTIFICATIONS_BACKEND = (
    "liaison.notifications.GovukNotifyBackend" if ENV_NOTIFY_API_KEY else "liaison.notifications.EmailBackend"
)
# A failed email is tried again after 1, 2, 4 ... minutes (doubling), this many times in all.
NOTIFICATIONS_MAX_ATTEMPTS = 8
NOTIFICATIONS_RETRY_BASE_SECONDS = 60
# The sweep sends rows the broker never received once they are this old.
NOTIFICATIONS_SWEEP_GRACE_SECONDS = 120

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = ENV_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not ENV_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "scan-deadlines-daily": {
        "task": "liaison.tasks.scan_deadlines",
        "schedule": 60 * 60 * 24,
        "options": {"expires": 60 * 60 * 12},
    },
    "send-daily-summaries": {
        "task": "liaison.tasks.send_daily_summaries",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 60 * 60 * 12},
    },
    "deliver-due-notifications": {
        "task": "liaison.tasks.deliver_due_notifications",
        "schedule": 60 * 5,
        "options": {"expires": 60 * 4},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison API",
    "DESCRIPTION": "Read-only JSON of the national index of Joint Boards, scoped to the signed-in user.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Reference values the rules depend on (DESIGN.md "Deadline breaches").
LIAISON_CONTACT_CONFIRMATION_MONTHS = 6
# The Appendix 3 index return is due each year on this (month, day): 15 June in the guidelines.
BOARDS_RETURN_DUE = (6, 15)
# Pre-breach warnings, each sent once to whoever must act (working days before the date, unless said otherwise):
# an issue before its level's target, an action before it is due, the index return before it is due, a Statement
# of Intent / End of Year Sign-off before it is due.
ESCALATION_WARNING_WORKING_DAYS = 2
BOARDS_ACTION_WARNING_WORKING_DAYS = 5
BOARDS_RETURN_WARNING_WORKING_DAYS = 10
AGREEMENTS_DUE_WARNING_WORKING_DAYS = 10
# Warn this many days before the date by which a board's next meeting must be held (2 in any 12 months).
BOARDS_MEETING_WARNING_DAYS = 60
# Agreements: the certificate and key sealing signed PDFs. Without them a self-signed pair is generated once in var/
# (fine for development, demo and tests; production must set AGREEMENTS_SEAL_CERT_FILE and AGREEMENTS_SEAL_KEY_FILE).
AGREEMENTS_SEAL_CERT_FILE = ENV_SEAL_CERT_FILE or str(BASE_DIR / "var" / "seal-cert.pem")
AGREEMENTS_SEAL_KEY_FILE = ENV_SEAL_KEY_FILE or str(BASE_DIR / "var" / "seal-key.pem")
AGREEMENTS_SEAL_GENERATE = not (ENV_SEAL_CERT_FILE and ENV_SEAL_KEY_FILE)
# A signer who has not signed this many working days after being asked is reminded (once per interval).
AGREEMENTS_REMINDER_WORKING_DAYS = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Demo users and data may be loaded everywhere except production.
LIAISON_ALLOW_DEMO_DATA = True
