import email
import email.policy
import os
import socket

import pytest
from django.conf import settings

from liaison.celery import app as celery_app
from liaison.models import Role
from liaison.reference import seed_reference_data
from tests.factories import (
    DistrictFactory,
    LocalAuthorityFactory,
    RegionFactory,
    user_with_role,
)

# pytest-playwright runs an event loop on the main thread; Django's ORM calls from tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in-process in tests, unless a test starts a real worker (see test_celery_worker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def postgres_only():
    """Row locks and prepared statements need PostgreSQL: skip on SQLite, but fail where CI promised the real
    services."""
    from django.db import connection

    if connection.vendor != "postgresql":
        if settings.REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES is set but the database is not PostgreSQL")
        pytest.skip("This test needs PostgreSQL (row locks, prepared statements); set DATABASE_URL to run it")


@pytest.fixture
def require_services():
    """Whether a missing PostgreSQL/Redis must fail the test (CI) rather than skip it (a bare laptop)."""
    return settings.REQUIRE_SERVICES


class World:
    """Two regions, three districts, LAs (one straddling two districts) and a user per role."""

    def __init__(self):
        self.north = RegionFactory(code="north", name="North")
        self.south = RegionFactory(code="south", name="South")
        self.d1 = DistrictFactory(code="d1", name="District One", region=self.north)
        self.d2 = DistrictFactory(code="d2", name="District Two", region=self.north)
        self.d3 = DistrictFactory(code="d3", name="District Three", region=self.south)
        self.la1 = LocalAuthorityFactory(gss_code="E08000101", name="Authority One", districts=[self.d1])
        self.la12 = LocalAuthorityFactory(gss_code="E08000112", name="Authority Straddle", districts=[self.d1, self.d2])
        self.la2 = LocalAuthorityFactory(gss_code="E08000102", name="Authority Two", districts=[self.d2])
        self.la3 = LocalAuthorityFactory(gss_code="E08000103", name="Authority Three", districts=[self.d3])
        self.users = {
            "erm": user_with_role(Role.ERM, district=self.d1, username="w-erm"),
            "district-manager": user_with_role(Role.DISTRICT_MANAGER, district=self.d1, username="w-dm"),
            "monitor": user_with_role(Role.MONITORING_OFFICER, district=self.d1, username="w-monitor"),
            "la-manager": user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=self.la1, username="w-la"),
            "la-fraud": user_with_role(Role.LA_FRAUD_MANAGER, local_authority=self.la1, username="w-la-fraud"),
            "regional-erm": user_with_role(Role.REGIONAL_ERM, region=self.north, username="w-rerm"),
            "odn": user_with_role(Role.ODN, username="w-odn"),
            "gpt": user_with_role(Role.GPT, username="w-gpt"),
            "admin": user_with_role(Role.ADMIN, username="w-admin"),
        }


@pytest.fixture
def reference_data(db):
    """Transactional tests flush the rows the migrations seeded; put them back."""
    seed_reference_data()


@pytest.fixture
def world(reference_data):
    return World()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and used one-time codes live in the cache: each test starts with none. Filter choosers' digests
    are kept for a while in the process; a test's rows are rolled back without a signal, so each test starts anew."""
    from django.core.cache import cache

    from liaison.templatetags import filter_forms

    cache.clear()
    filter_forms._digests.clear()
    yield
    cache.clear()
    filter_forms._digests.clear()


class _Mailbox:
    """What the loopback SMTP server received, as parsed email messages, newest last."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, host: str, port: int, mailbox: _Mailbox):
        self.host, self.port, self._mailbox = host, port, mailbox

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return list(self._mailbox.messages)

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """Messages whose envelope included `address`."""
        return [m for m in self._mailbox.messages if address in m["X-Envelope-To"].split(", ")]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain", "html")).get_content()

    def clear(self) -> None:
        self._mailbox.messages.clear()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_session():
    """A real SMTP server on loopback (aiosmtpd), started once for the whole session."""
    from aiosmtpd.controller import Controller

    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield SMTPServer(controller.hostname, controller.port, mailbox)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(_smtp_session, settings):
    """Django sends this test's email through the loopback SMTP server; its mailbox starts empty and
    `smtp_server.messages` / `.to(address)` read back what arrived."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = _smtp_session.host
    settings.EMAIL_PORT = _smtp_session.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    _smtp_session.clear()
    return _smtp_session


@pytest.fixture
def smtp_mail(smtp_server):
    return smtp_server
