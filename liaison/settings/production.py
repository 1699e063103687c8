"""Production: every secret from the environment, HTTPS only; refuses to start without SECRET_KEY."""

from django.core.exceptions import ImproperlyConfigured

from liaison.settings.base import *  # noqa: F403
from liaison.settings.base import (
    DATABASES,
    ENV_ALLOWED_HOSTS,
    ENV_BROKER_URL,
    ENV_CACHE_URL,
    ENV_CONN_MAX_AGE,
    ENV_DATABASE_URL,
    ENV_EMAIL_URL_HOST,
    ENV_NOTIFY_API_KEY,
    ENV_SEAL_CERT_FILE,
    ENV_SEAL_KEY_FILE,
    ENV_SECRET_KEY,
)

if not ENV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not ENV_DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment for production.")
if not (ENV_EMAIL_URL_HOST or ENV_NOTIFY_API_KEY):
    # Notifications tell people what they must act on; without a mail server they would only reach a log.
    raise ImproperlyConfigured("EMAIL_HOST or NOTIFY_API_KEY must be set in the environment for production.")
if not (ENV_SEAL_CERT_FILE and ENV_SEAL_KEY_FILE):
    # A generated certificate would be lost with the container, and every PDF sealed with it would stop verifying.
    raise ImproperlyConfigured(
        "AGREEMENTS_SEAL_CERT_FILE and AGREEMENTS_SEAL_KEY_FILE must be set in the environment for production."
    )
AGREEMENTS_SEAL_GENERATE = False

DEBUG = False
SECRET_KEY = ENV_SECRET_KEY
# gunicorn's sync workers serve one request at a time each, so one kept connection per worker is all they hold.
DATABASES["default"]["CONN_MAX_AGE"] = int(ENV_CONN_MAX_AGE or 60)
CELERY_BROKER_URL = ENV_BROKER_URL or "redis://127.0.0.1:6379/0"
CELERY_TASK_ALWAYS_EAGER = False
# Rate limits and used one-time codes must be seen by every web process: the shared Redis cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": ENV_CACHE_URL or "redis://127.0.0.1:6379/1",
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
LIAISON_ALLOW_DEMO_DATA = False
# Load balancers and the container health check probe /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
ALLOWED_HOSTS = [*ENV_ALLOWED_HOSTS, *(host for host in ("127.0.0.1", "localhost") if host not in ENV_ALLOWED_HOSTS)]
