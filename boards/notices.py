"""Who a board's work tells: meeting invitations with an iCalendar file, draft minutes, actions assigned."""

from __future__ import annotations

from boards.models import Action, Board, Meeting, MeetingStatus
from liaison import ical
from liaison.models import Contact
from liaison.notifications import Attachment, Message, contact_recipient, notify_many, register_kind

MEETINGS = register_kind("board-meeting", "Board meeting invitations, changes and cancellations")
MINUTES = register_kind("board-minutes", "Draft minutes ready to read")
ACTIONS = register_kind("board-action", "Board actions given to you", mandatory=True)


def invited(board: Board) -> list[tuple[Contact, str]]:
    """The standing members and standing attendees (co-chairs, ERM, secretariats), current, each once."""
    board = Board.objects.select_related("jcp_chair", "la_chair", "erm", "jcp_secretariat", "la_secretariat").get(
        pk=board.pk
    )
    people: dict[int, tuple[Contact, str]] = {}
    for contact, why in (
        (board.jcp_chair, "Jobcentre Plus co-chair"),
        (board.la_chair, "Local Authority co-chair"),
        (board.erm, "External Relations Manager"),
        (board.jcp_secretariat, "Jobcentre Plus secretariat"),
        (board.la_secretariat, "Local Authority secretariat"),
    ):
        if contact is not None:
            people.setdefault(contact.pk, (contact, why))
    for contact in board.members.select_related("user").order_by("name"):
        people.setdefault(contact.pk, (contact, "standing member"))
    active = set(Contact.objects.active().filter(pk__in=people).values_list("pk", flat=True))
    return [people[pk] for pk in people if pk in active]


def _calendar_event(meeting: Meeting, people) -> ical.CalendarEvent:
    from django.conf import settings

    return ical.CalendarEvent(
        uid=ical.uid_for("meeting", meeting.pk),
        summary=f"{meeting.board.title} meeting",
        day=meeting.date,
        start_time=meeting.start_time,
        sequence=meeting.sequence,
        location=meeting.location,
        description=f"The agenda and papers: {settings.SITE_URL}{meeting.get_absolute_url()}",
        url=f"{settings.SITE_URL}{meeting.get_absolute_url()}",
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        attendees=[(contact.name, contact.email) for contact, _why in people if contact.email],
    )


def meeting_changed(*, meeting: Meeting, what: str) -> None:
    """Members and standing attendees get the invitation (or cancellation) as an .ics their calendar takes in."""
    people = invited(meeting.board)
    event = _calendar_event(meeting, people)
    cancelled = event.cancelled
    method = "CANCEL" if cancelled else "REQUEST"
    attachment = Attachment("meeting.ics", ical.invitation(event), f"text/calendar; method={method}")
    when = f"{meeting.date:%-d %B %Y}" + (f" at {meeting.start_time:%H:%M}" if meeting.start_time else "")
    title = {
        "scheduled": f"Invitation: {meeting.board.title} meeting, {when}",
        "moved": f"Moved: {meeting.board.title} meeting, now {when}",
        "cancelled": f"Cancelled: {meeting.board.title} meeting, {when}",
    }[what]
    body = (
        f"The {meeting.board.title} meeting on {when}{f', {meeting.location}' if meeting.location else ''} "
        + {
            "scheduled": "has been scheduled.",
            "moved": "has been moved to this date, time or place.",
            "cancelled": "has been cancelled.",
        }[what]
        + "\n\nThe attached calendar file updates your calendar (Outlook: open it and accept)."
    )
    notify_many(
        [
            Message(
                kind=MEETINGS.code,
                dedupe_key=f"meeting:{meeting.pk}:{meeting.sequence}:{contact.pk}",
                title=title,
                body=body,
                reason=f"you are the {why} of {meeting.board.title}.",
                url=meeting.get_absolute_url(),
                about=meeting,
                attachments=[attachment],
                **contact_recipient(contact),
            )
            for contact, why in people
        ]
    )


def minutes_ready(*, meeting: Meeting) -> None:
    notify_many(
        [
            Message(
                kind=MINUTES.code,
                dedupe_key=f"minutes-draft:{meeting.pk}:{contact.pk}",
                title=f"Draft minutes: {meeting.board.title} meeting of {meeting.date:%-d %B %Y}",
                body=(
                    f"The draft minutes of the {meeting.board.title} meeting of {meeting.date:%-d %B %Y} are "
                    "circulated for comment. They are approved at the board's next meeting: comment on the "
                    "meeting's page before then."
                ),
                reason=f"you are the {why} of {meeting.board.title}.",
                url=meeting.get_absolute_url(),
                about=meeting,
                **contact_recipient(contact),
            )
            for contact, why in invited(meeting.board)
        ]
    )


def action_assigned(*, action: Action) -> None:
    owner = action.owner
    notify_many(
        [
            Message(
                kind=ACTIONS.code,
                dedupe_key=f"board-action:{action.pk}:{owner.pk}",
                title=f"Action for you, due {action.due_date:%-d %B %Y}: {action.board.title}",
                body=(
                    f"{action.board.title} gave you this action, due {action.due_date:%-d %B %Y}:\n\n"
                    f"{action.description}\n\nRecord your progress, and mark it done, in Liaison."
                ),
                reason=f"you own this action of {action.board.title}.",
                url=action.get_absolute_url(),
                about=action,
                **contact_recipient(owner),
            )
        ]
    )
