"""Who monitoring tells: the monitor of an area, and the chairs when results go to a meeting."""

from __future__ import annotations

from boards.models import Board, Meeting
from liaison.notifications import Message, contact_recipient, notify_many, register_kind
from monitoring.models import Area, Plan

AREA = register_kind("monitoring-area", "Monitoring areas given to you", mandatory=True)
RESULTS = register_kind("monitoring-results", "Monitoring results sent to a board meeting")


def area_assigned(*, area: Area, actor) -> None:
    """The monitor named for an area, unless they chose it themselves."""
    if getattr(actor, "pk", None) == area.monitor_id:
        return
    board = area.plan.board
    by = (actor.get_full_name() or actor.username) if getattr(actor, "is_authenticated", False) else "Liaison"
    notify_many(
        [
            Message(
                kind=AREA.code,
                dedupe_key=f"monitoring-area:{area.pk}:{area.monitor_id}",
                title=f"You monitor {area.standard.code} for {board.title}, {area.plan.period_label}",
                body=(
                    f"{by} chose {area.standard.code} ({area.standard.title}) as a monitoring area of {board.title} "
                    f"for {area.plan.period_label}, aligned with this local risk:\n{area.local_risk}\n\n"
                    "You are named as its monitor: sample the cases and record the results in Liaison."
                ),
                reason=f"you are the monitor of this area of {board.title}.",
                url=board.get_absolute_url(),
                user=area.monitor,
                about=area,
            )
        ]
    )


def results_sent(*, plan: Plan, meeting: Meeting) -> None:
    board = Board.objects.select_related("jcp_chair", "la_chair").get(pk=plan.board_id)
    notify_many(
        [
            Message(
                kind=RESULTS.code,
                dedupe_key=f"monitoring-results:{plan.pk}:{meeting.pk}:{chair.pk}",
                title=f"Monitoring results for {plan.period_label} on the agenda of {meeting.date:%-d %B %Y}",
                body=(
                    f"The monitoring results of {board.title} for {plan.period_label} are on the agenda of the "
                    f"meeting of {meeting.date:%-d %B %Y}. Read them before the meeting."
                ),
                reason=f"you co-chair {board.title}.",
                url=meeting.get_absolute_url(),
                about=plan,
                **contact_recipient(chair),
            )
            for chair in (board.jcp_chair, board.la_chair)
            if chair is not None
        ]
    )
