"""The embedded default for a first look: SQLite and in-process tasks unless the environment says otherwise."""

from liaison.settings.base import *  # noqa: F403
from liaison.settings.base import BASE_DIR, ENV_EMAIL_URL_HOST

if not ENV_EMAIL_URL_HOST:
    # Alert emails land as files to read, instead of flooding the terminal of `make run`.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "sent-mail"

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
