"""The SQL of who sees which events is kept per user and scope (liaison/querysets.py, `EventQuerySet.visible_to`):
that is only right while each app's scope is built from the user and their scope alone."""

import datetime

import pytest
from django.utils import timezone

from liaison import event_scopes, querysets
from liaison.events import event_record
from liaison.models import District, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_scopes():
    querysets._event_scopes.clear()
    yield
    querysets._event_scopes.clear()


@pytest.fixture
def extra_subject():
    """Registers a subject for one test and takes it away after."""
    added = []

    def register(label, visible, **options):
        added.append(label)
        event_scopes.register_event_subject(label, visible, **options)

    yield register
    for label in added:
        event_scopes._subjects.pop(label, None)
        event_scopes._per_request.discard(label)


def _sql(user) -> tuple:
    return Event.objects.visible_to(user).values("pk").query.sql_with_params()


def test_a_scope_that_reads_the_database_while_built_is_refused(world, fresh_scopes, extra_subject):
    def reads(user):
        return District.objects.filter(pk__in=list(District.objects.values_list("pk", flat=True)))

    extra_subject("liaison.district", reads)
    with pytest.raises(RuntimeError, match="per_request=True"):
        list(Event.objects.visible_to(world.users["erm"]))


def test_one_registered_per_request_is_built_each_time_and_joined_on(world, fresh_scopes, extra_subject):
    def reads(user):
        return District.objects.filter(pk__in=list(District.objects.filter(code="d1").values_list("pk", flat=True)))

    extra_subject("liaison.district", reads, per_request=True)
    event_record(kind="district.noted", summary="About District One", subject=world.d1)
    event_record(kind="district.noted", summary="About District Three", subject=world.d3)
    seen = set(Event.objects.visible_to(world.users["la-manager"]).values_list("summary", flat=True))
    assert "About District One" in seen and "About District Three" not in seen


@pytest.mark.parametrize("role", ["erm", "district-manager", "monitor", "la-manager", "la-fraud", "regional-erm"])
def test_every_scope_is_the_same_sql_whatever_the_time(world, fresh_scopes, monkeypatch, role):
    user = world.users[role]
    now = _sql(user)
    querysets._event_scopes.clear()
    later = timezone.now() + datetime.timedelta(days=3, hours=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _sql(user) == now


def test_the_sql_is_kept_for_the_user_and_their_scope(world, fresh_scopes):
    erm, manager = world.users["erm"], world.users["district-manager"]
    first = _sql(erm)
    assert len(querysets._event_scopes) == 1
    assert _sql(erm) == first
    assert len(querysets._event_scopes) == 1
    _sql(manager)
    assert len(querysets._event_scopes) == 2
