"""The outbox: written with the change, delivered after the commit, retried with back-off, never sent twice."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from liaison import notifications
from liaison.models import Event, Notification, NotificationPreference
from liaison.notifications import Attachment, notify
from tests.factories import ContactFactory

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"liaison_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def _tell(user, key="k1", **extra):
    return notify(
        kind="alert",
        dedupe_key=key,
        title="Something needs you",
        body="The thing that happened.",
        reason="you must act on it.",
        url="/issues/",
        user=user,
        **extra,
    )


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_email_is_written_with_the_change_and_sent_through_smtp_after_the_commit(
    world, smtp_mail, django_capture_on_commit_callbacks
):
    erm = world.users["erm"]
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell(erm, attachments=[Attachment("note.txt", b"hello", "text/plain")])
        assert smtp_mail.messages == []  # nothing leaves before the commit
    row.refresh_from_db()
    assert row.sent_at and row.attempts == 1 and row.failed_at is None
    [message] = smtp_mail.to(erm.email)
    assert message["Subject"] == "Something needs you"
    text = message.get_body(("plain",)).get_content()
    assert "Why you got this email: you must act on it." in text
    assert "Act on it in Liaison: http://testserver/issues/" in text or "/issues/" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "note.txt" and attachment.get_content() == "hello"


def test_the_dedupe_key_writes_and_sends_once(world, smtp_mail, django_capture_on_commit_callbacks):
    erm = world.users["erm"]
    with django_capture_on_commit_callbacks(execute=True):
        _tell(erm)
        assert _tell(erm) == []
    assert Notification.objects.count() == 1
    assert notifications.deliver(Notification.objects.get().pk) == notifications.NOTHING
    assert len(smtp_mail.to(erm.email)) == 1


def test_a_mail_server_that_is_down_fails_the_row_with_its_reason_and_a_later_retry_sends_it(
    world, smtp_mail, settings, django_capture_on_commit_callbacks
):
    erm = world.users["erm"]
    server_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell(erm)
    row.refresh_from_db()
    assert row.sent_at is None and row.failed_at and row.attempts == 1
    assert "ConnectionRefusedError" in row.failure_reason
    assert row.next_attempt_at == row.failed_at + datetime.timedelta(seconds=60)
    # Before the back-off has passed the sweep leaves it; a second failure doubles the wait.
    assert notifications.deliver_due(now=row.failed_at)[notifications.SENT] == 0
    assert notifications.deliver_due(now=row.next_attempt_at)[notifications.FAILED] == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at - row.failed_at == datetime.timedelta(seconds=120)

    settings.EMAIL_PORT = server_port
    assert notifications.deliver_due(now=row.next_attempt_at)[notifications.SENT] == 1
    row.refresh_from_db()
    assert row.sent_at and row.attempts == 3
    assert notifications.deliver_due(now=timezone.now() + datetime.timedelta(days=1)) == {
        "sent": 0,
        "failed": 0,
        "skipped": 0,
        "nothing": 0,
    }
    assert len(smtp_mail.to(erm.email)) == 1


def test_a_recipient_who_left_is_skipped_with_the_reason(world, smtp_mail, django_capture_on_commit_callbacks):
    gone = world.users["monitor"]
    gone.is_active = False
    gone.save()
    ended = ContactFactory(district=world.d1, email="ended@example.gov.uk", active_to=datetime.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        _tell(gone, key="gone")
        notify(
            kind="alert",
            dedupe_key="ended",
            title="For a contact",
            body="Body",
            reason="you are the contact.",
            contact=ended,
        )
    rows = {row.dedupe_key: row for row in Notification.objects.all()}
    assert rows["gone"].skipped_at and rows["gone"].skip_reason == "The recipient's account is deactivated."
    assert rows["ended"].skipped_at and "left the role on 1 January 2020" in rows["ended"].skip_reason
    assert smtp_mail.messages == []


def test_a_user_who_chose_the_daily_summary_is_not_emailed_straight_away(
    world, smtp_mail, django_capture_on_commit_callbacks
):
    erm = world.users["erm"]
    NotificationPreference.objects.create(user=erm, kind="alert", delivery="daily")
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell(erm)
    assert row.digest and row.status == "In daily summary"
    assert smtp_mail.messages == []


def test_a_broker_that_refuses_leaves_the_row_waiting_for_the_sweep(world, smtp_mail, settings):
    from liaison.celery import app as celery_app

    erm = world.users["erm"]
    _tell(erm)
    row = Notification.objects.get()
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_connection_retry = False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        notifications.enqueue([row.pk])  # what the commit hook runs: it must not raise
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 0
    later = row.created_at + datetime.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    assert notifications.deliver_due(now=later)[notifications.SENT] == 1
    assert len(smtp_mail.to(erm.email)) == 1


class _NotifyContract(BaseHTTPRequestHandler):
    """GOV.UK Notify's API as its documentation describes it: POST /v2/notifications/email, a JWT (HS256, iss the
    service id, iat within 30 seconds) as a Bearer token, a JSON body with email_address and template_id."""

    received: list = []
    fail_with: int | None = None

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        errors = []
        scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iss", "iat"]})
            if claims["iss"] != SERVICE_ID or abs(time.time() - claims["iat"]) > 30:
                errors.append({"error": "AuthError", "message": "Invalid token: iss or iat"})
        except jwt.PyJWTError as error:
            errors.append({"error": "AuthError", "message": f"Invalid token: {error}"})
        if scheme != "Bearer":
            errors.append({"error": "AuthError", "message": "Unauthorized: authentication bearer scheme must be used"})
        if self.path != "/v2/notifications/email":
            return self._answer(404, {"status_code": 404, "errors": [{"error": "NotFound", "message": self.path}]})
        if self.headers.get("Content-Type") != "application/json":
            errors.append({"error": "BadRequestError", "message": "Content-Type must be application/json"})
        for required in ("email_address", "template_id"):
            if not body.get(required):
                errors.append({"error": "ValidationError", "message": f"{required} is a required property"})
        if not isinstance(body.get("personalisation", {}), dict):
            errors.append({"error": "ValidationError", "message": "personalisation must be an object"})
        if errors:
            status = 403 if errors[0]["error"] == "AuthError" else 400
            return self._answer(status, {"status_code": status, "errors": errors})
        if type(self).fail_with:
            status = type(self).fail_with
            return self._answer(
                status, {"status_code": status, "errors": [{"error": "BadRequestError", "message": "Can't send"}]}
            )
        type(self).received.append(body)
        self._answer(
            201,
            {
                "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
                "reference": body.get("reference"),
                "content": {"subject": "s", "body": "b", "from_email": "liaison@notifications.service.gov.uk"},
                "uri": "https://api.notifications.service.gov.uk/v2/notifications/740e5834",
                "template": {"id": body["template_id"], "version": 1, "uri": "https://example"},
            },
        )


@pytest.fixture
def notify_server(settings):
    _NotifyContract.received = []
    _NotifyContract.fail_with = None
    server = HTTPServer(("127.0.0.1", 0), _NotifyContract)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFICATIONS_BACKEND = "liaison.notifications.GovukNotifyBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFY_TEMPLATE_IDS = {"default": TEMPLATE_ID}
    yield _NotifyContract
    server.shutdown()
    server.server_close()


def test_notify_is_called_as_its_api_documents(world, notify_server, django_capture_on_commit_callbacks):
    erm = world.users["erm"]
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell(erm, attachments=[Attachment("sealed.pdf", b"%PDF-1.7 test", "application/pdf")])
    row.refresh_from_db()
    assert row.sent_at and not row.failure_reason
    [request] = notify_server.received
    assert request["email_address"] == erm.email and request["template_id"] == TEMPLATE_ID
    assert request["reference"] == "k1"
    personalisation = request["personalisation"]
    assert personalisation["subject"] == "Something needs you"
    assert "Why you got this email: you must act on it." in personalisation["body"]
    assert personalisation["link"].endswith("/issues/")
    assert personalisation["link_to_file"]["filename"] == "sealed.pdf" and personalisation["link_to_file"]["file"]


def test_an_error_from_notify_fails_the_row_with_notifys_reason(
    world, notify_server, django_capture_on_commit_callbacks
):
    notify_server.fail_with = 400
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell(world.users["erm"])
    row.refresh_from_db()
    assert row.sent_at is None and row.failed_at and "Can't send" in row.failure_reason


def test_administrators_see_failed_notifications_and_can_try_them_again(
    world, client, smtp_mail, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for n in range(3):
        Notification.objects.create(
            kind="alert",
            email=f"person{n}@example.gov.uk",
            dedupe_key=f"f{n}",
            title=f"Failed {n}",
            body="b",
            reason="r",
            failed_at=timezone.now(),
            attempts=8,
            failure_reason="SMTPRecipientsRefused: 550 no such user",
        )
    url = reverse("notifications-failed")
    client.force_login(world.users["erm"])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(world.users["admin"])
    with django_assert_max_num_queries(10):
        page = client.get(url)
    html = page.content.decode()
    assert "3 failed notifications" in html and "550 no such user" in html and "person2@example.gov.uk" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert Notification.objects.filter(sent_at__isnull=False).count() == 3
    assert len(smtp_mail.messages) == 3
    assert Event.objects.filter(kind="notification.retried").count() == 1


def test_notifications_need_a_registered_kind(world):
    with pytest.raises(ValueError, match="Unknown notification kind"), transaction.atomic():
        notify(kind="nope", dedupe_key="x", title="t", body="b", reason="r", user=world.users["erm"])
