"""iCalendar (RFC 5545) files: meeting invitations Outlook adds to the calendar, and personal calendar feeds.

Times are written in Europe/London with its VTIMEZONE; an event without a start time is an all-day event. The UID of
an event never changes and its SEQUENCE goes up on every change, so a calendar replaces the event it already has.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Department for Work and Pensions//Liaison//EN"


@dataclass
class CalendarEvent:
    uid: str
    summary: str
    day: datetime.date
    start_time: datetime.time | None = None
    duration: datetime.timedelta = datetime.timedelta(hours=2)
    sequence: int = 0
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    # (name, email) of each person invited
    attendees: list[tuple[str, str]] = field(default_factory=list)


def uid_for(kind: str, pk: int) -> str:
    """A stable, globally unique UID for one of our objects."""
    host = urlsplit(settings.SITE_URL).hostname or "liaison"
    return f"{kind}-{pk}@{host}"


def _event(item: CalendarEvent, *, organizer: str | None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("summary", item.summary)
    if item.start_time is None:
        event.add("dtstart", item.day)
        event.add("dtend", item.day + datetime.timedelta(days=1))
    else:
        start = datetime.datetime.combine(item.day, item.start_time, tzinfo=LONDON)
        event.add("dtstart", start)
        event.add("dtend", start + item.duration)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if organizer:
        event.add("organizer", icalendar.vCalAddress(f"mailto:{organizer}"), encode=0)
    for name, email in item.attendees:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = name
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee, encode=0)
    return event


def _calendar(items: list[CalendarEvent], *, method: str | None, organizer: str | None, name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for item in items:
        calendar.add_component(_event(item, organizer=organizer))
    if any(item.start_time is not None for item in items):
        days = [item.day for item in items]
        calendar.add_missing_timezones(
            first_date=min(days) - datetime.timedelta(days=366), last_date=max(days) + datetime.timedelta(days=366)
        )
    return calendar.to_ical()


def invitation(item: CalendarEvent) -> bytes:
    """An invitation (METHOD:REQUEST) or, for a cancelled event, a cancellation (METHOD:CANCEL)."""
    return _calendar([item], method="CANCEL" if item.cancelled else "REQUEST", organizer=settings.DEFAULT_FROM_EMAIL)


def feed(items: list[CalendarEvent], *, name: str) -> bytes:
    """A subscribable calendar (no METHOD): the events as they stand now."""
    return _calendar(items, method=None, organizer=None, name=name)


# ---- the personal calendar feed: apps register what they put in it ------------------------------------------------

CalendarSource = Callable[..., list[CalendarEvent]]
_sources: dict[str, CalendarSource] = {}


def register_calendar_source(name: str, source: CalendarSource) -> None:
    """`source(user) -> list[CalendarEvent]`: the meetings and due dates this user owns, in a fixed number of
    queries. Apps register from their AppConfig.ready(), as they register alert checks."""
    _sources[name] = source


def personal_events(user) -> list[CalendarEvent]:
    events = []
    for name in sorted(_sources):
        events.extend(_sources[name](user))
    return sorted(events, key=lambda event: (event.day, event.uid))
