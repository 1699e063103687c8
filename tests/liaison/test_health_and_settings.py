"""Health endpoint, production settings and the demo data command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from liaison.celery import app as celery_app
from liaison.models import Contact, District, LocalAuthority, Role, RoleAssignment

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_in_process_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": connection.vendor}
    assert body["broker"] == {"status": "ok", "mode": "in-process"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, settings):
    celery_app.conf.task_always_eager = False
    # The write URL, because Celery lets a CELERY_BROKER_URL in the environment win over broker_url.
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_write_url = None  # back to following the broker URL
    assert response.status_code == 503
    assert response.json()["broker"] == {"status": "error"}  # the reason goes to the log, not the public
    assert response.json()["database"]["status"] == "ok"


def _run_manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789-abcdefghij",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/liaison",
    "ALLOWED_HOSTS": "liaison.example.gov.uk",
    "EMAIL_HOST": "smtp.example.gov.uk",
    "AGREEMENTS_SEAL_CERT_FILE": "/run/secrets/seal-cert.pem",
    "AGREEMENTS_SEAL_KEY_FILE": "/run/secrets/seal-key.pem",
}


def test_production_settings_pass_the_deployment_check():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    result = _run_manage("check", env_overrides={**PRODUCTION_ENV, "EMAIL_HOST": ""})
    assert result.returncode != 0
    assert "EMAIL_HOST or NOTIFY_API_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_the_seal_certificate():
    result = _run_manage("check", env_overrides={**PRODUCTION_ENV, "AGREEMENTS_SEAL_KEY_FILE": ""})
    assert result.returncode != 0
    assert "AGREEMENTS_SEAL_CERT_FILE and AGREEMENTS_SEAL_KEY_FILE must be set" in result.stderr


def test_production_is_chosen_by_the_settings_module_too():
    env = {**PRODUCTION_ENV, "DEBUG": "", "SECRET_KEY": "", "DJANGO_SETTINGS_MODULE": "liaison.settings.production"}
    result = _run_manage("check", env_overrides=env)
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_demo_data_is_complete_and_idempotent():
    call_command("load_demo", "--no-scan")
    counts = (District.objects.count(), LocalAuthority.objects.count(), Contact.objects.count())
    call_command("load_demo")
    assert (District.objects.count(), LocalAuthority.objects.count(), Contact.objects.count()) == counts
    nations = set(LocalAuthority.objects.values_list("nation", flat=True))
    assert nations == {"ENG", "WLS", "SCT"}
    assert LocalAuthority.objects.filter(districts__isnull=False).count() > LocalAuthority.objects.count()
    for username, role in [
        ("erm", Role.ERM),
        ("district-manager", Role.DISTRICT_MANAGER),
        ("la-manager", Role.LA_BENEFITS_MANAGER),
        ("monitor", Role.MONITORING_OFFICER),
        ("regional-erm", Role.REGIONAL_ERM),
        ("odn", Role.ODN),
        ("gpt", Role.GPT),
        ("admin", Role.ADMIN),
    ]:
        assignment = RoleAssignment.objects.get(user__username=username, role=role)
        assert assignment.user.check_password(settings.DEMO_PASSWORD)
    assert RoleAssignment.objects.filter(user__username="erm").count() == 1


@pytest.mark.django_db
def test_demo_data_is_refused_in_production(settings):
    settings.LIAISON_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")
    assert not District.objects.exists()


@pytest.mark.django_db
def test_ci_runs_on_the_real_services():
    """In CI (REQUIRE_SERVICES=1) the suite must really be on PostgreSQL with a Redis broker configured."""
    if not settings.REQUIRE_SERVICES:
        assert connection.vendor in {"sqlite", "postgresql"}
        return
    assert connection.vendor == "postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


@pytest.mark.django_db
def test_healthz_answers_a_probe_that_names_the_container_ip_as_host(client, settings):
    settings.ALLOWED_HOSTS = ["liaison.example.gov.uk"]
    settings.SECURE_SSL_REDIRECT = True
    probe = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert probe.status_code == 200
    assert probe.json()["status"] == "ok"
    # Every other page still refuses a Host it does not serve.
    assert client.get("/accounts/login/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_connections_are_kept_only_by_production_workers():
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])",
    ]
    local = _run_manage(*show, env_overrides={"DJANGO_SETTINGS_MODULE": "liaison.settings.local"})
    assert local.returncode == 0, local.stderr
    assert local.stdout.strip() == "0"
    production = _run_manage(
        *show, env_overrides={**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "liaison.settings.production"}
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "60"
    chosen = _run_manage(
        *show,
        env_overrides={**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "liaison.settings.production", "CONN_MAX_AGE": "5"},
    )
    assert chosen.stdout.strip() == "5"
