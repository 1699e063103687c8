"""A deadline scan run by a real Celery worker through the real Redis broker."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from liaison.celery import app as celery_app
from liaison.models import Alert, Notification
from liaison.notifications import notify
from liaison.tasks import deliver_due_notifications, scan_deadlines
from tests.factories import ContactFactory

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"


def _broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER


def _database_url() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    return f"postgres://{auth}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def redis_broker():
    url = _broker_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"Redis is required (REQUIRE_SERVICES=1) but {url} is unreachable: {error}")
        pytest.skip(f"no Redis at {url}; CI runs this with REQUIRE_SERVICES=1")
    return url


def _reset_connections():
    """Drop pooled connections, which eager tests opened on the in-memory transport, so the broker URL applies."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(redis_broker, tmp_path):
    queue = f"liaison-test-{uuid.uuid4().hex[:8]}"
    pidfile = tmp_path / "worker.pid"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": redis_broker,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "liaison", "worker", "--pool=solo", "--concurrency=1",
             "-Q", queue, f"--pidfile={pidfile}", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
        celery_app.conf.broker_url = redis_broker
        celery_app.conf.task_always_eager = False
        _reset_connections()
        try:
            yield queue, process, log_path
        finally:
            celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
            _reset_connections()
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_scan_task_runs_in_a_real_worker(world, worker):
    queue, process, log_path = worker
    ContactFactory(district=world.d1, last_confirmed=datetime.date(2020, 1, 1))

    scan_deadlines.apply_async(queue=queue)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not Alert.objects.filter(check_code="contacts-unconfirmed").exists():
        assert process.poll() is None, log_path.read_text()
        time.sleep(0.5)
    alert = Alert.objects.filter(check_code="contacts-unconfirmed").first()
    assert alert is not None, "the worker never ran the task:\n" + log_path.read_text()
    assert alert.district == world.d1
    assert list(alert.recipients.all()) == [world.users["erm"]]
    assert "Task liaison.tasks.scan_deadlines[" in log_path.read_text()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_email_waits_in_the_outbox_while_the_broker_is_down_and_goes_when_it_is_back(world, worker):
    queue, process, log_path = worker
    erm = world.users["erm"]
    # The broker is down when the change commits: the change stands and the notification waits in the outbox.
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    _reset_connections()
    try:
        with transaction.atomic():
            notify(
                kind="alert",
                dedupe_key="broker-down",
                title="While the broker was down",
                body="Body",
                reason="you must act.",
                user=erm,
            )
    finally:
        celery_app.conf.broker_url = worker_broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
        _reset_connections()
    row = Notification.objects.get(dedupe_key="broker-down")
    assert row.sent_at is None and row.attempts == 0
    # Some minutes later the broker is back, and the sweep beat schedules finds the row and the worker sends it.
    Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert worker_broker
    deliver_due_notifications.apply_async(queue=queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and Notification.objects.get(pk=row.pk).sent_at is None:
        assert process.poll() is None, log_path.read_text()
        time.sleep(0.5)
    row.refresh_from_db()
    assert row.sent_at is not None, "the worker never sent it:\n" + log_path.read_text()
    assert row.attempts == 1
    assert "Task liaison.tasks.deliver_due_notifications[" in log_path.read_text()
