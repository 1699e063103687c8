"""Deadline scans: each condition raises one alert and one email per person, and clears when it clears."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from liaison import services
from liaison.alerts import scan_deadlines
from liaison.models import Alert, AppendOnlyError, ContactRole, Event, Role
from liaison.tasks import scan_deadlines as scan_task
from tests.factories import ContactFactory, LAContactFactory, user_with_role
from tests.helpers import sent_mail

TODAY = datetime.date(2026, 11, 22)
REQUIRED = [
    "district-performance-manager",
    "contact-centre-manager",
    "benefit-processing-manager",
    "fraud-investigation-service",
    "customer-compliance-manager",
    "nominated-officer",
]


def complete_network(district, confirmed=TODAY):
    for code in REQUIRED:
        ContactFactory(district=district, role=ContactRole.objects.get(code=code), last_confirmed=confirmed)


@pytest.fixture
def quiet_world(world):
    """Every district of the world complete and freshly confirmed, and every organisation's figures for the last
    quarter in, so a test adds only what it studies."""
    from mi.models import Figure, Measure
    from mi.periods import Quarter

    for district in (world.d1, world.d2, world.d3):
        complete_network(district)
    quarter = Quarter.last_complete(TODAY)
    Figure.objects.bulk_create(
        Figure(measure=m, quarter_start=quarter.start, value=50, entered_by=world.users["admin"], **{field: org})
        for m in Measure.objects.all()
        for field, org in (
            [("local_authority", la) for la in (world.la1, world.la12, world.la2, world.la3)]
            if m.side == "la"
            else [("district", d) for d in (world.d1, world.d2, world.d3)]
        )
    )
    return world


@pytest.mark.django_db
def test_a_clean_network_raises_nothing(quiet_world):
    result = scan_deadlines(today=TODAY)
    assert result.raised == 0
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_unconfirmed_contacts_raise_one_alert_and_one_email_however_often_scanned(quiet_world):
    stale = ContactFactory(district=quiet_world.d1, last_confirmed=TODAY - datetime.timedelta(days=200))
    LAContactFactory(local_authority=quiet_world.la1, last_confirmed=None)

    first = scan_deadlines(today=TODAY)
    second = scan_deadlines(today=TODAY)
    call_command("scan_deadlines", "--date", TODAY.isoformat())

    alerts = Alert.objects.filter(check_code="contacts-unconfirmed")
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.title.startswith("2 contacts in District One not confirmed")
    assert set(alert.recipients.all()) == {quiet_world.users["erm"]}
    assert (first.raised, second.raised, second.still_open) == (1, 0, 1)
    assert len(sent_mail()) == 1
    assert sent_mail()[0].to == [quiet_world.users["erm"].email]
    assert "District One" in sent_mail()[0].subject
    assert Event.objects.filter(kind="alert.raised").count() == 1

    # Confirming the contacts clears the alert there and then; the next scan finds nothing left to clear.
    services.contacts_confirm(
        actor=quiet_world.users["erm"],
        contacts=list(alerts.get().district.contacts.all()) + list(quiet_world.la1.contacts.all()),
        today=TODAY,
    )
    # the stale JCP contact is confirmed; the LA one too
    stale.refresh_from_db()
    assert stale.last_confirmed == TODAY
    alert.refresh_from_db()
    assert alert.cleared_at is not None
    assert scan_deadlines(today=TODAY).cleared == 0
    assert Alert.objects.open().count() == 0
    assert len(sent_mail()) == 1

    # The condition coming back is a new breach: a new alert and a new email.
    ContactFactory(district=quiet_world.d1, last_confirmed=None)
    assert scan_deadlines(today=TODAY).raised == 1
    assert Alert.objects.filter(check_code="contacts-unconfirmed").count() == 2
    assert len(sent_mail()) == 2


@pytest.mark.django_db
def test_an_la_straddling_two_districts_alerts_both_districts(quiet_world):
    erm2 = user_with_role(Role.ERM, district=quiet_world.d2, username="erm-two")
    LAContactFactory(local_authority=quiet_world.la12, last_confirmed=None)
    scan_deadlines(today=TODAY)
    keys = set(Alert.objects.open().values_list("key", flat=True))
    assert keys == {"district:d1", "district:d2"}
    assert set(Alert.objects.get(key="district:d2").recipients.all()) == {erm2}


@pytest.mark.django_db
def test_a_missing_required_role_is_flagged_per_role_and_clears_when_filled(quiet_world):
    nominated = quiet_world.d3.contacts.get(role__code="nominated-officer")
    services.contact_end(
        actor=quiet_world.users["admin"], contact=nominated, last_day=TODAY - datetime.timedelta(days=1)
    )

    scan_deadlines(today=TODAY)
    alert = Alert.objects.open().get(check_code="required-role-missing")
    assert alert.key == "district:d3:role:nominated-officer"
    assert alert.title == "District Three has no Nominated Officer (NINOs)"
    assert alert.url == reverse("district-detail", args=["d3"])
    # Nobody holds the ERM role for District Three or its region: the Governmental Partnerships Team must act.
    assert list(alert.recipients.all()) == [quiet_world.users["gpt"]]

    ContactFactory(district=quiet_world.d3, role=ContactRole.objects.get(code="nominated-officer"))
    assert scan_deadlines(today=TODAY).cleared == 1


@pytest.mark.django_db
def test_the_region_acts_for_districts_it_manages(quiet_world):
    quiet_world.d1.managed_by_region = True
    quiet_world.d1.save()
    ContactFactory(district=quiet_world.d1, last_confirmed=None)
    scan_deadlines(today=TODAY)
    alert = Alert.objects.open().get(check_code="contacts-unconfirmed")
    assert set(alert.recipients.all()) == {quiet_world.users["regional-erm"]}


@pytest.mark.django_db
def test_someone_newly_responsible_is_added_and_emailed_once(quiet_world):
    ContactFactory(district=quiet_world.d1, last_confirmed=None)
    scan_deadlines(today=TODAY)
    newcomer = user_with_role(Role.ERM, district=quiet_world.d1, username="second-erm")
    scan_deadlines(today=TODAY)
    scan_deadlines(today=TODAY)
    alert = Alert.objects.open().get()
    assert set(alert.recipients.all()) == {quiet_world.users["erm"], newcomer}
    assert sorted(m.to[0] for m in sent_mail()) == sorted([quiet_world.users["erm"].email, newcomer.email])


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_alert_for_one_condition(quiet_world):
    Alert.objects.create(check_code="x", key="k", title="t")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(check_code="x", key="k", title="t")


@pytest.mark.django_db
def test_the_daily_task_runs_the_scan(quiet_world):
    ContactFactory(district=quiet_world.d2, last_confirmed=None)
    result = scan_task.delay().get()
    assert result["raised"] == 1
    assert Alert.objects.open().get().district == quiet_world.d2


@pytest.mark.django_db
def test_the_dashboard_lists_my_open_alerts_only(quiet_world, client):
    ContactFactory(district=quiet_world.d1, last_confirmed=None)
    ContactFactory(district=quiet_world.d3, last_confirmed=None)
    scan_deadlines(today=TODAY)
    client.force_login(quiet_world.users["erm"])
    page = client.get("/").content.decode()
    assert "1 contact in District One not confirmed" in page
    assert "District Three" not in page
    # District Three has no ERM and no Regional ERM: the national team is told instead.
    client.force_login(quiet_world.users["gpt"])
    page = client.get("/").content.decode()
    assert "1 contact in District Three not confirmed" in page
    assert "in District One not confirmed" not in page
    client.force_login(quiet_world.users["odn"])
    assert "Nothing needs your attention" in client.get("/").content.decode()


@pytest.mark.django_db
def test_events_are_append_only(quiet_world):
    ContactFactory(district=quiet_world.d1, last_confirmed=None)
    scan_deadlines(today=TODAY)
    event = Event.objects.first()
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.all().delete()
    with pytest.raises(TypeError):
        Event.objects.update(summary="x")


@pytest.mark.django_db
def test_scan_command_rejects_unknown_checks_and_bad_dates(quiet_world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown check"):
        call_command("scan_deadlines", "--check", "no-such-check")
    with pytest.raises(CommandError, match="--date"):
        call_command("scan_deadlines", "--date", "22/11/2026")


@pytest.fixture
def many_findings(world):
    """A check of the test's own whose findings the test sets: what the scan does with 3 or 60 of them."""
    from liaison import alerts

    found: dict[str, list] = {"now": []}
    user = world.users["erm"]

    def findings(today, subject=None):
        return found["now"]

    alerts.register_check("test-many", "Many findings")(findings)

    def set_findings(count: int, *, title: str = "Thing", recipients=None):
        found["now"] = [
            alerts.Finding(
                key=f"thing:{n}",
                title=f"{title} {n}",
                recipient_ids=frozenset(recipients if recipients is not None else {user.pk}),
                district_id=world.d1.pk,
            )
            for n in range(count)
        ]

    yield set_findings
    alerts._checks.pop("test-many")


def test_a_scan_raises_refreshes_and_clears_in_queries_that_do_not_grow_with_the_alerts(
    many_findings, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count: int, **kwargs) -> tuple[int, object]:
        many_findings(count, **kwargs)
        with CaptureQueriesContext(connection) as captured:
            result = scan_deadlines(today=TODAY, codes=["test-many"])
        return len(captured), result

    few, result = queries(3)
    assert (result.raised, result.emails) == (3, 3)
    Alert.objects.filter(check_code="test-many").delete()
    many, result = queries(60)
    assert (result.raised, result.emails) == (60, 60)
    # The same statements; SQLite alone splits a bulk insert of wide rows into a few batches.
    assert many <= few + 3
    # Seen again with a new title: refreshed, no one emailed twice; with nobody named, the national team is told.
    again, result = queries(60, title="Renamed")
    assert (result.raised, result.still_open, result.emails) == (0, 60, 0)
    again, result = queries(60, title="Renamed", recipients=set())
    assert (result.raised, result.still_open, result.emails) == (0, 60, 60)
    assert Alert.objects.open().filter(check_code="test-many", title__startswith="Renamed").count() == 60
    gone, result = queries(0)
    assert result.cleared == 60 and not Alert.objects.open().filter(check_code="test-many").exists()
    assert Event.objects.filter(kind="alert.cleared", data__check="test-many").count() == 60
    with django_assert_max_num_queries(few + 3):
        many_findings(60)
        assert scan_deadlines(today=TODAY, codes=["test-many"]).raised == 60


def test_home_shows_the_newest_20_alerts_and_links_to_all_of_them(many_findings, world, client):
    many_findings(45)
    scan_deadlines(today=TODAY, codes=["test-many"])
    client.force_login(world.users["erm"])
    home = client.get("/").content.decode()
    assert "45 things for you to act on; the newest 20 are below." in home
    assert home.count("Raised ") == 20
    assert 'href="/alerts/">See all 45 things that need your attention</a>' in home

    every = client.get("/alerts/").content.decode()
    assert "45 things for you to act on, newest first." in every
    assert {int(n) for n in re.findall(r"Thing (\d+)\b", every)} == set(range(45))


def test_home_counts_a_users_alerts_up_to_a_limit_and_says_more_than(many_findings, world, client, monkeypatch):
    from liaison import views

    monkeypatch.setattr(views, "HOME_ALERTS_COUNTED", 40)
    many_findings(45)
    scan_deadlines(today=TODAY, codes=["test-many"])
    client.force_login(world.users["erm"])
    home = client.get("/").content.decode()
    assert "More than 40 things for you to act on; the newest 20 are below." in home
    assert 'href="/alerts/">See all the things that need your attention</a>' in home
    assert "45 things for you to act on, newest first." in client.get("/alerts/").content.decode()


def test_the_count_of_a_users_alerts_leaves_out_cleared_alerts_and_people_who_moved_on(many_findings, world, client):
    from liaison.models import AlertRecipient
    from liaison.selectors import alerts_for, open_alert_count

    erm, manager = world.users["erm"], world.users["district-manager"]
    many_findings(30, recipients={erm.pk, manager.pk})
    scan_deadlines(today=TODAY, codes=["test-many"])
    many_findings(27, recipients={erm.pk, manager.pk})
    assert scan_deadlines(today=TODAY, codes=["test-many"]).cleared == 3
    moved_on = AlertRecipient.objects.filter(user=erm, alert__cleared_at__isnull=True).order_by("pk")[:2]
    AlertRecipient.objects.filter(pk__in=[d.pk for d in moved_on]).update(current=False)
    for user, expected in ((erm, 25), (manager, 27), (world.users["gpt"], 0)):
        assert open_alert_count(user=user) == alerts_for(user=user).count() == len(list(alerts_for(user=user)))
        assert open_alert_count(user=user) == expected
    client.force_login(erm)
    assert "25 things for you to act on; the newest 20 are below." in client.get("/").content.decode()
    assert "25 things for you to act on, newest first." in client.get("/alerts/").content.decode()


def test_the_alert_page_is_a_page_at_a_time_in_a_constant_number_of_queries(
    many_findings, world, client, django_assert_max_num_queries
):
    from tests.helpers import count

    client.force_login(world.users["erm"])
    many_findings(3)
    scan_deadlines(today=TODAY, codes=["test-many"])
    few = count(client, "/alerts/")
    many_findings(120)
    scan_deadlines(today=TODAY, codes=["test-many"])
    with django_assert_max_num_queries(few):
        first = client.get("/alerts/")
    assert first.content.decode().count("Raised ") == 50
    assert client.get("/alerts/?page=3").content.decode().count("Raised ") == 20


def test_someone_with_nothing_to_act_on_is_told_so(world, client):
    client.force_login(world.users["erm"])
    assert "Nothing needs your attention." in client.get("/alerts/").content.decode()


def test_a_scan_raising_many_alerts_queues_their_emails_in_batches_and_every_one_is_sent(
    many_findings, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    from liaison import notifications
    from liaison.models import Notification

    many_findings(notifications.ENQUEUE_BATCH + 25)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = scan_deadlines(today=TODAY, codes=["test-many"])
    assert result.emails == notifications.ENQUEUE_BATCH + 25
    # Two batches handed to the broker (run in-process here), not one message per email.
    assert len(callbacks) == 1
    rows = Notification.objects.filter(user=world.users["erm"], subject_type="liaison.alert")
    assert rows.count() == notifications.ENQUEUE_BATCH + 25
    assert not rows.filter(sent_at__isnull=True).exists()
    assert len([m for m in mail.outbox if m.to == [world.users["erm"].email]]) == notifications.ENQUEUE_BATCH + 25
