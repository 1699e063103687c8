"""Settings for the test suite: fast hashing, in-memory email; the database comes from DATABASE_URL."""

from liaison.settings.base import *  # noqa: F403
from liaison.settings.base import BASE_DIR, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# An SQLite test database lives in a file, so that a real Celery worker process can share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}

# Most tests sign in roles that need MFA with force_login; the MFA tests switch the requirement back on.
LIAISON_REQUIRE_MFA = False
