"""Each user chooses per kind: straight away, a daily summary, or (where allowed) off; one summary a day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import Delivery, Notification, NotificationPreference
from liaison.notifications import daily_summaries, notify, registered_kinds
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


def _tell(user, key, kind="alert", title="Something"):
    notify(kind=kind, dedupe_key=key, title=title, body="Body", reason="you act.", url="/issues/", user=user)


def test_the_page_saves_choices_and_refuses_to_turn_off_what_cannot_be(world, client):
    erm = world.users["erm"]
    client.force_login(erm)
    url = reverse("notification-preferences")
    page = client.get(url).content.decode()
    assert "Deadline alerts and warnings" in page and "Documents waiting for your signature" in page
    assert "cannot be turned off" in page
    every = {kind.code: "now" for kind in registered_kinds() if kind.for_users}
    response = client.post(url, {**every, "alert": "daily", "agreement-to-sign": "off"})
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    response = client.post(url, {**every, "alert": "off", "agreement-to-sign": "daily"})
    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=erm).values_list("kind", "delivery")) == {
        "alert": Delivery.OFF,
        "agreement-to-sign": Delivery.DAILY,
    }
    _tell(erm, "off-one")
    row = Notification.objects.get(dedupe_key="off-one")
    assert row.skipped_at and "turned this kind of email off" in row.skip_reason


def test_the_daily_summary_is_one_email_per_person_per_day_and_none_when_empty(world):
    erm, dm = world.users["erm"], world.users["district-manager"]
    NotificationPreference.objects.create(user=erm, kind="alert", delivery=Delivery.DAILY)
    NotificationPreference.objects.create(user=erm, kind="issue-at-your-level", delivery=Delivery.DAILY)
    _tell(erm, "a", title="First thing")
    _tell(erm, "b", kind="issue-at-your-level", title="Second thing")
    _tell(dm, "c", title="Straight away for the district manager")
    assert [m.to for m in sent_mail()] == [[dm.email]]

    assert daily_summaries() == 1
    [summary] = [m for m in sent_mail() if m.to == [erm.email]]
    assert summary.subject == "Liaison: your daily summary, 2 new items"
    assert "First thing" in summary.body and "Second thing" in summary.body and "/issues/" in summary.body
    assert "Why you got this email: you chose to get these kinds of email in a daily summary" in summary.body
    assert daily_summaries() == 0  # nothing new: no email
    _tell(erm, "d", title="Later the same day")
    assert daily_summaries() == 0  # one a day: it waits for tomorrow's
    assert daily_summaries(now=timezone.now() + datetime.timedelta(days=1)) == 1
    assert len([m for m in sent_mail() if m.to == [erm.email]]) == 2
