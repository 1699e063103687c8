"""What management information adds to the Joint Boards' pages and agendas, through the extension points of boards:
a link to the board's pack on its page, and the pack itself under the agenda's standing item "Performance management
information" (in full in the agenda pack PDF)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards.models import STANDING_ITEMS, Meeting, MeetingStatus
from boards.panels import register_agenda_item_content, register_board_panel
from mi import selectors

ITEM_TITLE = STANDING_ITEMS[1][0]  # "Performance management information"


def board_panel(request, board) -> str:
    return render_to_string("mi/_board_panel.html", {"board": board}, request=request)


def meeting_pack(meeting):
    """The pack a meeting's agenda carries: from the day after the board's previous held meeting up to the meeting
    (or today, while it is still to come), with the figures of the last quarter complete by then."""
    until = min(meeting.date, timezone.localdate())
    previous = (
        Meeting.objects.filter(board_id=meeting.board_id, status=MeetingStatus.HELD, date__lt=meeting.date)
        .only("id", "date")
        .order_by("-date")
        .first()
    )
    period = selectors.meeting_period(meeting.board, until, last_meeting=previous, choice=selectors.SINCE_LAST_MEETING)
    return selectors.board_pack(meeting.board, period)


def agenda_item(request, meeting, pdf: bool) -> str:
    pack = meeting_pack(meeting)
    if pdf:
        return render_to_string("mi/pdf/agenda_item.html", {"pack": pack, "board": meeting.board})
    url = reverse("mi:board-pack", args=[meeting.board_id])
    choice = selectors.SINCE_LAST_MEETING if pack.period.choice == selectors.SINCE_LAST_MEETING else ""
    return render_to_string(
        "mi/_agenda_item.html", {"pack": pack, "url": f"{url}?period={choice}" if choice else url}, request=request
    )


def register() -> None:
    register_board_panel(25, board_panel, name="mi")
    register_agenda_item_content(ITEM_TITLE, agenda_item, name="mi")
