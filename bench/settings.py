"""Settings for `make bench-national`: the test settings (real PostgreSQL from DATABASE_URL, fast password hashing
for signing the bench users in) with the bare yardstick views mounted beside Liaison's own (bench/urls.py)."""

from liaison.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
