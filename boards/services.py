"""Every write of the boards app: keyword-only, atomic, permission-checked, recorded as an event.

Other apps add to a board's work only through these functions (`agenda_item_add` in particular), never by
writing the models themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boards import notices, transitions
from boards.models import (
    STANDING_ITEMS,
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    AgendaProposal,
    Attendance,
    AttendanceStatus,
    Board,
    BoardStatus,
    DistrictConfirmation,
    GoodPractice,
    IndexReturn,
    Meeting,
    MeetingStatus,
    MinutesComment,
    MinutesStatus,
    NationalDevelopment,
    ProposalStatus,
    TransitionAction,
)
from boards.rights import board_rights
from boards.selectors import districts_waiting
from boards.signals import meeting_scheduled
from liaison.events import event_record
from liaison.models import Contact, District, LocalAuthority, Side
from liaison.scoping import scope_for

BOARD_FIELDS = (
    "title",
    "cross_district_reason",
    "scope",
    "jcp_chair",
    "la_chair",
    "erm",
    "jcp_secretariat",
    "la_secretariat",
    "meetings_per_year",
    "replaces",
    "established_on",
)


def _check_can_edit(actor, board: Board) -> None:
    if not Board.objects.editable_by(actor).filter(pk=board.pk).exists():
        raise PermissionDenied("Only the board's district ERM (or the Regional ERM) can change this board.")


# The contact roles that may chair a board (guidelines, "Roles and responsibilities").
JCP_CHAIR_ROLES = {"district-manager"}
LA_CHAIR_ROLES = {"housing-benefit-manager", "fraud-manager"}

SECRETARIAT_REFUSAL = (
    "Only the board's co-chairs and its JCP and LA secretariat (or its district ERM) do the secretariat work of "
    "this board."
)


def can_do_secretariat(actor, board: Board) -> bool:
    return board_rights(actor, board).secretariat


def _check_secretariat(actor, board: Board) -> None:
    """Meetings, agenda, attendance, minutes and actions: the joint chairs provide the secretariat (Appendix 1)."""
    if not can_do_secretariat(actor, board):
        raise PermissionDenied(SECRETARIAT_REFUSAL)


def _first_district(board: Board) -> District | None:
    return board.districts.order_by("name").first()


def _clean_board(actor, data: dict) -> None:
    """The board's people and LAs must belong to its districts; the actor must run one of the districts."""
    errors: dict[str, list[str]] = {}
    districts = list(data.get("districts") or [])
    authorities = list(data.get("local_authorities") or [])
    if not districts:
        errors["districts"] = ["Choose at least one district"]
    # A cross-district board is agreed between districts; the one setting it up must run at least one of them.
    if districts and not ({d.pk for d in districts} & scope_for(actor).editable_district_ids):
        errors["districts"] = ["Choose at least one district you are the External Relations Manager for"]
    if len(districts) > 1 and not (data.get("cross_district_reason") or "").strip():
        errors["cross_district_reason"] = [
            "Say why the board covers more than one district: one board per district is the norm"
        ]
    district_ids = {d.pk for d in districts}
    if not authorities:
        errors["local_authorities"] = ["Choose the Local Authorities on the board"]
    else:
        inside = set(
            LocalAuthority.districts.through.objects.filter(
                localauthority_id__in=[a.pk for a in authorities], district_id__in=district_ids
            ).values_list("localauthority_id", flat=True)
        )
        outside = [a.name for a in authorities if a.pk not in inside]
        if outside:
            errors["local_authorities"] = [
                f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not in the board's districts"
            ]
    authority_ids = {a.pk for a in authorities}

    def jcp(field: str, label: str) -> None:
        contact: Contact | None = data.get(field)
        if contact is not None and (contact.role.side != Side.JCP or contact.district_id not in district_ids):
            errors[field] = [f"Choose the {label} from the Jobcentre Plus network of the board's districts"]

    def la(field: str, label: str) -> None:
        contact: Contact | None = data.get(field)
        if contact is not None and (contact.role.side != Side.LA or contact.local_authority_id not in authority_ids):
            errors[field] = [f"Choose the {label} from the staff of the board's Local Authorities"]

    jcp("jcp_chair", "Jobcentre Plus co-chair")
    jcp("erm", "External Relations Manager")
    jcp("jcp_secretariat", "JCP secretariat")
    la("la_chair", "Local Authority co-chair")
    # Guidelines, "Roles and responsibilities": who may chair.
    chair = data.get("jcp_chair")
    if "jcp_chair" not in errors and chair is not None and chair.role.code not in JCP_CHAIR_ROLES:
        errors["jcp_chair"] = [
            f"{chair.name} is a {chair.role.name}: the Jobcentre Plus co-chair is a District Manager of one of "
            "the board's districts"
        ]
    chair = data.get("la_chair")
    if "la_chair" not in errors and chair is not None and chair.role.code not in LA_CHAIR_ROLES:
        errors["la_chair"] = [
            f"{chair.name} is a {chair.role.name}: the Local Authority co-chair is a senior manager (the Housing "
            "Benefit or Fraud Manager) of one of the board's Local Authorities"
        ]
    la("la_secretariat", "LA secretariat")
    strangers = [
        m.name
        for m in data.get("members") or []
        if m.district_id not in district_ids and m.local_authority_id not in authority_ids
    ]
    if strangers:
        errors["members"] = [f"{', '.join(strangers)} not in the network of the board's districts and LAs"]
    per_year = data.get("meetings_per_year")
    if per_year is not None and per_year < 2:
        errors["meetings_per_year"] = ["A board must meet at least twice a year: enter 2 or more"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def board_create(*, actor, data: dict) -> Board:
    _clean_board(actor, data)
    board = Board(**{f: data[f] for f in BOARD_FIELDS if f in data and data[f] is not None}, created_by=actor)
    board.full_clean()
    board.save()
    board.districts.set(data["districts"])
    board.local_authorities.set(data["local_authorities"])
    board.members.set(data.get("members") or [])
    _request_confirmations(actor, board)
    event_record(
        kind="board.created",
        summary=f"Joint Board set up: {board.title}",
        actor=actor,
        subject=board,
        district=_first_district(board),
        data={"districts": [d.code for d in data["districts"]], "scope": board.scope},
    )
    return board


@transaction.atomic
def board_update(*, actor, board: Board, data: dict) -> Board:
    board = Board.objects.select_for_update().get(pk=board.pk)
    _check_can_edit(actor, board)
    if board.status == BoardStatus.WOUND_UP:
        raise ValidationError("A wound-up board is kept as it was: it cannot be changed.")
    _clean_board(actor, data)
    for field in BOARD_FIELDS:
        if field in data:
            setattr(board, field, data[field])
    board.full_clean()
    board.save()
    board.districts.set(data["districts"])
    board.local_authorities.set(data["local_authorities"])
    board.members.set(data.get("members") or [])
    DistrictConfirmation.objects.filter(board=board, confirmed_at__isnull=True).exclude(
        district__in=board.districts.all()
    ).delete()
    _request_confirmations(actor, board)
    event_record(
        kind="board.updated", summary=f"Joint Board changed: {board.title}", actor=actor, subject=board,
        district=_first_district(board),
    )  # fmt: skip
    return board


def _request_confirmations(actor, board: Board) -> None:
    """Districts the actor does not run, newly named on the board, wait for their own ERM's agreement."""
    others = board.districts.exclude(pk__in=scope_for(actor).editable_district_ids).exclude(
        pk__in=board.district_confirmations.values("district_id")
    )
    DistrictConfirmation.objects.bulk_create(
        DistrictConfirmation(board=board, district=d, requested_by=actor) for d in others
    )


def unconfirmed_districts(board: Board) -> list[District]:
    """The board's further districts whose ERM (or Regional ERM) has not yet agreed to it."""
    return list(districts_waiting(board))


@transaction.atomic
def board_district_confirm(*, actor, board: Board, district: District) -> DistrictConfirmation:
    """The ERM of one of a cross-district board's other districts (or the Regional ERM) agrees to the board."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    if district.pk not in scope_for(actor).editable_district_ids:
        raise PermissionDenied(f"Only the External Relations Manager of {district.name} (or the Regional ERM) agrees.")
    confirmation = DistrictConfirmation.objects.select_for_update().filter(board=board, district=district).first()
    if confirmation is None:
        raise ValidationError(f"{district.name} is not waiting to agree to this board.")
    if confirmation.confirmed_at is not None:
        raise ValidationError(f"{district.name} has already agreed to this board.")
    confirmation.confirmed_by, confirmation.confirmed_at = actor, timezone.now()
    confirmation.save()
    event_record(
        kind="board.district-confirmed",
        summary=f"{board.title}: {district.name} agrees to the board",
        actor=actor,
        subject=board,
        district=district,
    )
    return confirmation


@transaction.atomic
def board_status_set(*, actor, board: Board, status: str, on: datetime.date | None = None) -> Board:
    """Make a proposed board active, or wind a board up (for good)."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    _check_can_edit(actor, board)
    transitions.check("board", board.status, status)
    if status == BoardStatus.ACTIVE and not (board.jcp_chair_id and board.la_chair_id):
        raise ValidationError({"status": "Name both co-chairs before the board becomes active."})
    if status == BoardStatus.ACTIVE and (waiting := unconfirmed_districts(board)):
        raise ValidationError(
            {
                "status": "The board becomes active once each of its districts has agreed to it: waiting for "
                f"the External Relations Manager of {', '.join(d.name for d in waiting)}."
            }
        )
    previous = board.status
    board.status = status
    if status == BoardStatus.WOUND_UP:
        board.wound_up_on = on or timezone.localdate()
    board.save()
    event_record(
        kind=f"board.{status}",
        summary=f"{board.title}: {BoardStatus(previous).label.lower()} → {BoardStatus(status).label.lower()}",
        actor=actor,
        subject=board,
        district=_first_district(board),
    )
    return board


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    board: Board,
    date: datetime.date,
    start_time: datetime.time | None = None,
    location: str = "",
) -> Meeting:
    """Put a meeting in the diary with the Appendix 1 standing items on its agenda."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    _check_secretariat(actor, board)
    if board.status == BoardStatus.WOUND_UP:
        raise ValidationError({"date": "This board has been wound up: it holds no more meetings."})
    meeting = Meeting(board=board, date=date, start_time=start_time, location=location)
    meeting.full_clean()
    meeting.save()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=i, title=title, body=body, kind=AgendaItemKind.STANDING, source="boards")
        for i, (title, body) in enumerate(STANDING_ITEMS, start=1)
    )
    meeting_scheduled.send(sender=Meeting, meeting=meeting)
    event_record(
        kind="meeting.scheduled",
        summary=f"{board.title}: meeting scheduled for {date:%-d %B %Y}",
        actor=actor,
        subject=meeting,
        district=_first_district(board),
    )
    notices.meeting_changed(meeting=meeting, what="scheduled")
    return meeting


@transaction.atomic
def meeting_move(
    *,
    actor,
    meeting: Meeting,
    date: datetime.date,
    start_time: datetime.time | None = None,
    location: str = "",
) -> Meeting:
    """Change the date, time or place of a meeting still to be held; everyone invited gets the updated invitation
    (same calendar UID, a higher SEQUENCE)."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    _check_can_edit(actor, meeting.board)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"date": "Only a meeting still to be held can be moved."})
    location = (location or "").strip()
    if (meeting.date, meeting.start_time, meeting.location) == (date, start_time, location):
        raise ValidationError({"date": "Change the date, the start time or the place"})
    before = f"{meeting.date:%-d %B %Y}"
    meeting.date, meeting.start_time, meeting.location = date, start_time, location
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    event_record(
        kind="meeting.moved",
        summary=f"{meeting.board.title}: meeting of {before} moved to {date:%-d %B %Y}",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    notices.meeting_changed(meeting=meeting, what="moved")
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, body: str = "", source: str, actor=None, kind: str = AgendaItemKind.CONTRIBUTED
) -> AgendaItem:
    """Add an item to a meeting's agenda, after the items already there.

    Other apps call this to put their work in front of a board (for example monitoring adds its results, escalation
    its open issues), passing `source` (their app label) and no `actor`. A person adding a free item passes
    `actor`, which must be able to edit the board. Only a meeting still to be held takes new items.
    """
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    if actor is not None:
        _check_secretariat(actor, meeting.board)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"title": "Items can only be added to the agenda of a meeting still to be held."})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the agenda item"})
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem(meeting=meeting, order=last + 1, title=title, body=body, kind=kind, source=source)
    item.full_clean()
    item.save()
    if actor is not None:
        event_record(
            kind="agenda.item-added",
            summary=f"{meeting.board.title}: “{title[:120]}” added to the agenda of {meeting.date:%-d %B %Y}",
            actor=actor,
            subject=meeting,
            district=_first_district(meeting.board),
        )
    return item


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item of a meeting still to be held one place up or down the agenda."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=item.meeting_id)
    _check_secretariat(actor, meeting.board)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("The agenda of a meeting that has been held or cancelled is kept as it was.")
    items = list(meeting.agenda_items.order_by("order", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        raise ValidationError("That item cannot move further.")
    items[index], items[other] = items[other], items[index]
    # Two passes so that the unique (meeting, order) constraint never sees a clash.
    for position, it in enumerate(items, start=1):
        it.order = 1000 + position
    AgendaItem.objects.bulk_update(items, ["order"])
    for position, it in enumerate(items, start=1):
        it.order = position
    AgendaItem.objects.bulk_update(items, ["order"])
    moved = items[other]
    event_record(
        kind="agenda.item-moved",
        summary=f"{meeting.board.title}: “{moved.title[:120]}” moved {direction} the agenda of "
        f"{meeting.date:%-d %B %Y}",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    return moved


def can_propose(actor, meeting: Meeting) -> bool:
    return (
        meeting.status == MeetingStatus.SCHEDULED
        and Board.objects.proposable_by(actor).filter(pk=meeting.board_id).exists()
    )


@transaction.atomic
def agenda_proposal_add(*, actor, meeting: Meeting, title: str, body: str = "") -> AgendaProposal:
    """An LA member of the board (a manager of one of its LAs) proposes an item for a meeting still to be held."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    if not Board.objects.proposable_by(actor).filter(pk=meeting.board_id).exists():
        raise PermissionDenied("Only the managers of the board's Local Authorities propose agenda items.")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"title": "Items can only be proposed for a meeting still to be held."})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the agenda item"})
    proposal = AgendaProposal(meeting=meeting, title=title, body=(body or "").strip(), proposed_by=actor)
    proposal.full_clean()
    proposal.save()
    event_record(
        kind="agenda.item-proposed",
        summary=f"{meeting.board.title}: “{title[:120]}” proposed for the meeting of {meeting.date:%-d %B %Y}",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    return proposal


@transaction.atomic
def agenda_proposal_decide(*, actor, proposal: AgendaProposal, accept: bool, reason: str = "") -> AgendaProposal:
    """The secretariat accepts a proposed item (it joins the agenda) or declines it, giving the reason."""
    proposal = AgendaProposal.objects.select_for_update().select_related("meeting__board").get(pk=proposal.pk)
    meeting = proposal.meeting
    _check_secretariat(actor, meeting.board)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(
            {"reason": f"This proposal was already {proposal.get_status_display().lower()}: it cannot change."}
        )
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": "Give the reason for declining the item"})
    if accept:
        proposal.agenda_item = agenda_item_add(
            actor=actor,
            meeting=meeting,
            title=proposal.title,
            body=proposal.body,
            source=proposal.proposed_by.get_full_name() or proposal.proposed_by.get_username(),
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.reason = reason
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    event_record(
        kind=f"agenda.proposal-{proposal.status}",
        summary=f"{meeting.board.title}: proposed item “{proposal.title[:120]}” {proposal.status}"
        + (f" ({reason[:200]})" if reason else ""),
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    return proposal


@transaction.atomic
def meeting_hold(
    *,
    actor,
    meeting: Meeting,
    attended: Iterable[Contact],
    apologies: Iterable[Contact] = (),
    other_attendees: str = "",
    today: datetime.date | None = None,
) -> Meeting:
    """Record that the meeting took place and who came or sent apologies."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    _check_secretariat(actor, meeting.board)
    transitions.check_meeting_held(meeting, today or timezone.localdate())
    attended, apologies = list(attended), list(apologies)
    both = {c.pk for c in attended} & {c.pk for c in apologies}
    if both:
        raise ValidationError({"apologies": "Someone cannot both attend and send apologies"})
    if not attended:
        raise ValidationError({"attended": "Select who attended the meeting"})
    meeting.status = MeetingStatus.HELD
    meeting.other_attendees = other_attendees
    meeting.save()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, contact=c, status=AttendanceStatus.ATTENDED) for c in attended]
        + [Attendance(meeting=meeting, contact=c, status=AttendanceStatus.APOLOGIES) for c in apologies]
    )
    event_record(
        kind="meeting.held",
        summary=f"{meeting.board.title}: meeting held on {meeting.date:%-d %B %Y} ({len(attended)} attended)",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    _check_secretariat(actor, meeting.board)
    transitions.check("meeting", meeting.status, MeetingStatus.CANCELLED)
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save()
    event_record(
        kind="meeting.cancelled",
        summary=f"{meeting.board.title}: meeting of {meeting.date:%-d %B %Y} cancelled",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    notices.meeting_changed(meeting=meeting, what="cancelled")
    return meeting


@transaction.atomic
def minutes_save(*, actor, meeting: Meeting, text: str) -> Meeting:
    """Write or revise the draft minutes of a held meeting; approved minutes are final."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    _check_secretariat(actor, meeting.board)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError({"minutes": "Minutes are written for a meeting that has been held."})
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError({"minutes": "These minutes were approved at the next meeting and cannot change."})
    if not text.strip():
        raise ValidationError({"minutes": "Enter the minutes"})
    if text == meeting.minutes:
        return meeting
    meeting.minutes = text
    if meeting.minutes_status == MinutesStatus.NONE:
        meeting.minutes_status = MinutesStatus.DRAFT
    meeting.save()
    event_record(
        kind="minutes.drafted",
        summary=f"{meeting.board.title}: minutes of {meeting.date:%-d %B %Y} "
        f"{'revised' if meeting.minutes_status == MinutesStatus.CIRCULATED else 'drafted'}",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    return meeting


@transaction.atomic
def minutes_circulate(*, actor, meeting: Meeting) -> Meeting:
    """Send the draft minutes to the board's members for comment, before the next meeting approves them."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    _check_secretariat(actor, meeting.board)
    transitions.check("minutes", meeting.minutes_status, MinutesStatus.CIRCULATED, field="minutes")
    meeting.minutes_status = MinutesStatus.CIRCULATED
    meeting.save()
    event_record(
        kind="minutes.circulated",
        summary=f"{meeting.board.title}: minutes of {meeting.date:%-d %B %Y} circulated for comment",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    # Members are told when the draft is theirs to comment on, not at every save of the secretariat's draft.
    notices.minutes_ready(meeting=meeting)
    return meeting


def can_comment_on_minutes(actor, meeting: Meeting) -> bool:
    return (
        meeting.minutes_status == MinutesStatus.CIRCULATED
        and Board.objects.member_of(actor).filter(pk=meeting.board_id).exists()
    )


@transaction.atomic
def minutes_comment_add(*, actor, meeting: Meeting, text: str) -> MinutesComment:
    """A member of the board comments on circulated minutes; the comment is kept with who made it and when."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    if not Board.objects.member_of(actor).filter(pk=meeting.board_id).exists():
        raise PermissionDenied("Only members of this board comment on its minutes.")
    if meeting.minutes_status != MinutesStatus.CIRCULATED:
        raise ValidationError({"text": "Comments are taken while the draft minutes are circulated to members."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your comment"})
    comment = MinutesComment(meeting=meeting, text=text, made_by=actor)
    comment.full_clean()
    comment.save()
    event_record(
        kind="minutes.commented",
        summary=f"{meeting.board.title}: comment on the minutes of {meeting.date:%-d %B %Y}",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    return comment


@transaction.atomic
def minutes_approve(*, actor, meeting: Meeting, at_meeting: Meeting) -> Meeting:
    """Approve a meeting's draft minutes at the board's next meeting (two people clicking: one approval)."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    _check_secretariat(actor, meeting.board)
    transitions.check_minutes_approval(meeting, at_meeting)
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_at = at_meeting
    meeting.save()
    event_record(
        kind="minutes.approved",
        summary=f"{meeting.board.title}: minutes of {meeting.date:%-d %B %Y} approved on {at_meeting.date:%-d %B %Y}",
        actor=actor,
        subject=meeting,
        district=_first_district(meeting.board),
    )
    return meeting


@transaction.atomic
def action_add(*, actor, meeting: Meeting, description: str, owner: Contact, due_date: datetime.date) -> Action:
    meeting = Meeting.objects.select_related("board").get(pk=meeting.pk)
    _check_secretariat(actor, meeting.board)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"description": "A cancelled meeting agrees no actions."})
    board = meeting.board
    in_network = (
        Contact.objects.filter(pk=owner.pk).filter(district__in=board.districts.all()).exists()
        or Contact.objects.filter(pk=owner.pk, local_authority__in=board.local_authorities.all()).exists()
    )
    if not in_network:
        raise ValidationError({"owner": "Choose an owner from the board's districts or Local Authorities"})
    if due_date < meeting.date:
        raise ValidationError({"due_date": "The due date must be on or after the meeting date"})
    action = Action(board=board, meeting=meeting, description=description, owner=owner, due_date=due_date)
    action.full_clean()
    action.save()
    event_record(
        kind="action.added",
        summary=f"{board.title}: action for {owner.name} due {due_date:%-d %B %Y}",
        actor=actor,
        subject=action,
        district=_first_district(board),
    )
    notices.action_assigned(action=action)
    return action


def action_can_update(actor, action: Action) -> bool:
    """The board's secretariat may update any action; the person owning it, while still in post, reports on their
    own."""
    if Contact.objects.active().filter(pk=action.owner_id, user_id=actor.pk).exists():
        return Board.objects.visible_to(actor).filter(pk=action.board_id).exists()
    return Board.objects.secretariat_of(actor).filter(pk=action.board_id).exists()


@transaction.atomic
def action_raise(*, actor=None, board: Board, description: str, due_date: datetime.date, source: str) -> Action | None:
    """Raise an action on a board from another app's rule (as for agenda items, the app decides, not a board editor).

    `actor` is the person whose act raised it (a signature, say), recorded on the event; None for a scan. It hangs
    on the board's latest meeting up to today, so it is carried forward to the next agenda (or, where the board has
    only meetings to come, on the next one). The board's ERM owns it, or its JCP co-chair where no ERM is in post.
    Returns None, changing nothing, when the board is wound up, has no meeting or has nobody in post to own it.
    """
    board = Board.objects.select_related("erm", "jcp_chair").get(pk=board.pk)
    today = timezone.localdate()
    in_post = set(
        Contact.objects.active(today)
        .filter(pk__in=[c.pk for c in (board.erm, board.jcp_chair) if c])
        .values_list("pk", flat=True)
    )
    owner = next((c for c in (board.erm, board.jcp_chair) if c and c.pk in in_post), None)
    meetings = Meeting.objects.filter(board=board).exclude(status=MeetingStatus.CANCELLED)
    meeting = meetings.filter(date__lte=today).order_by("-date", "-pk").first() or (
        meetings.filter(status=MeetingStatus.SCHEDULED).order_by("date", "pk").first()
    )
    if board.status == BoardStatus.WOUND_UP or meeting is None or owner is None:
        return None
    action = Action(
        board=board, meeting=meeting, description=description, owner=owner, due_date=max(due_date, meeting.date)
    )
    action.full_clean()
    action.save()
    event_record(
        kind="action.added",
        summary=f"{board.title}: action for {owner.name} due {action.due_date:%-d %B %Y} (raised by {source})",
        actor=actor,
        subject=action,
        district=_first_district(board),
        data={"source": source},
    )
    notices.action_assigned(action=action)
    return action


@transaction.atomic
def action_update(
    *, actor, action: Action, status: str, update: str = "", today: datetime.date | None = None
) -> Action:
    action = Action.objects.select_for_update().select_related("board").get(pk=action.pk)
    if not action_can_update(actor, action):
        raise PermissionDenied("Only the action's owner or the board's secretariat can update this action.")
    if status != action.status:
        transitions.check("action", action.status, status)
    elif not update or update == action.update:
        return action
    action.status = status
    action.update = update
    action.completed_on = (today or timezone.localdate()) if status == ActionStatus.DONE else None
    action.save()
    if status == ActionStatus.DONE:
        event_record(
            kind="action.done",
            summary=f"{action.board.title}: action done ({action})",
            actor=actor,
            subject=action,
            district=_first_district(action.board),
        )
    return action


@transaction.atomic
def good_practice_add(
    *, actor, board: Board, title: str, description: str, meeting: Meeting | None = None
) -> GoodPractice:
    """Any member of the board, JCP or LA side, shares good practice with every board."""
    if not Board.objects.member_of(actor).filter(pk=board.pk).exists():
        raise PermissionDenied("Only members of this board share good practice for it.")
    item = GoodPractice(board=board, meeting=meeting, title=title, description=description, recorded_by=actor)
    item.full_clean()
    item.save()
    event_record(
        kind="good-practice.added",
        summary=f"{board.title}: good practice shared: {title[:150]}",
        actor=actor,
        subject=board,
        district=_first_district(board),
    )
    return item


def can_publish_developments(actor) -> bool:
    scope = scope_for(actor)
    return scope.admin or scope.has_role("gpt")


@transaction.atomic
def development_publish(*, actor, title: str, description: str) -> NationalDevelopment:
    """GPT publishes a national development in policy or process for every board's next agenda."""
    if not can_publish_developments(actor):
        raise PermissionDenied("Only the Governmental Partnerships Team publishes national developments.")
    item = NationalDevelopment(title=(title or "").strip(), description=(description or "").strip(), published_by=actor)
    item.full_clean()
    item.save()
    event_record(
        kind="development.published", summary=f"National development published: {item.title[:150]}", actor=actor
    )
    return item


# The guidelines' "Moving on" table: (code, action, by whom, by when as written, months after the start, day).
# The guidelines date it 2007; a district seeded today gets the same spacing counted from its start date.
MOVING_ON = [
    ("network", "Establish network of contacts in Jobcentre Plus and LAs", "District ERMs", "February 2007", 1),
    ("final-meetings", "Final JRB and JOB meetings to be held", "District ERMs", "March 2007", 2),
    (
        "agree-arrangements",
        "Hold discussions with Jobcentre Plus and LA stakeholders to agree the detail of the new joint board "
        "arrangements",
        "District ERMs",
        "March 2007",
        2,
    ),
    (
        "jrb-issues",
        "Outstanding issues from final JRB meetings to be forwarded to the Governmental Partnerships Team",
        "District ERMs",
        "March 2007",
        2,
    ),
    (
        "job-issues",
        "Outstanding issues from final JOB meetings to be resolved/raised through agreed escalation route for "
        "resolution",
        "District ERMs",
        "April/May 2007",
        4,
    ),
    (
        "steering-group",
        "Any outstanding issues from final JRB meetings to be raised with the DWP/LAA Housing Benefit Steering Group",
        "Governmental Partnerships Team",
        "April 2007",
        3,
    ),
    (
        "steering-decisions",
        "DWP/LAA Housing Benefit Steering Group decisions on outstanding issues from JRB meetings to be shared with "
        "relevant District ERMs",
        "Governmental Partnerships Team",
        "April/May 2007",
        4,
    ),
    (
        "first-meetings",
        "New Jobcentre Plus/LA Joint Board meetings to take place",
        "District ERMs",
        "From April 2007",
        3,
    ),
    (
        "index",
        "Compile index of new Joint Board arrangements",
        "District ERM and Governmental Partnerships Team",
        "15 June 2007",
        5,
    ),
]


def _end_of_month(day: datetime.date) -> datetime.date:
    return day + relativedelta(day=31)


@transaction.atomic
def transition_seed(*, actor, district: District, start: datetime.date | None = None) -> int:
    """Give a district its "Moving on" checklist (idempotent); due dates keep the guidelines' spacing.

    `actor` must be able to edit the district.
    """
    if not District.objects.editable_by(actor).filter(pk=district.pk).exists():
        raise PermissionDenied("Only the district's ERM can start its moving-on checklist.")
    start = start or timezone.localdate()
    existing = set(TransitionAction.objects.filter(district=district).values_list("code", flat=True))
    rows = []
    for order, (code, action, by_whom, label, months) in enumerate(MOVING_ON, start=1):
        if code in existing:
            continue
        due = (
            start + relativedelta(months=months, day=15)
            if code == "index"
            else _end_of_month(start + relativedelta(months=months))
        )
        rows.append(
            TransitionAction(
                district=district,
                code=code,
                order=order,
                action=action,
                by_whom=by_whom,
                by_when_label=label,
                due_date=due,
                for_gpt=by_whom == "Governmental Partnerships Team",
            )
        )
    TransitionAction.objects.bulk_create(rows)
    TransitionAction.history.bulk_history_create(rows, default_change_reason="Checklist seeded", default_user=actor)
    if rows:
        event_record(
            kind="transition.started",
            summary=f"{district.name}: moving-on checklist started ({len(rows)} actions)",
            actor=actor,
            district=district,
        )
    return len(rows)


def transition_can_complete(actor, item: TransitionAction) -> bool:
    scope = scope_for(actor)
    if scope.admin:
        return True
    if item.for_gpt:
        return scope.has_role("gpt")
    return item.district_id in scope.editable_district_ids or (
        scope.has_role("gpt") and "Governmental Partnerships Team" in item.by_whom
    )


@transaction.atomic
def transition_complete(
    *, actor, item: TransitionAction, completed_on: datetime.date, note: str = ""
) -> TransitionAction:
    item = TransitionAction.objects.select_for_update().get(pk=item.pk)
    if not transition_can_complete(actor, item):
        raise PermissionDenied(f"This action is for {item.by_whom} to tick off.")
    if item.completed_on is not None:
        raise ValidationError({"completed_on": f"Already ticked off on {item.completed_on:%-d %B %Y}."})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date it was done cannot be in the future"})
    item.completed_on = completed_on
    item.completed_by = actor
    item.note = note
    item.save()
    event_record(
        kind="transition.done",
        summary=f"{item.district}: {item.action[:200]} done",
        actor=actor,
        subject=item,
        district=item.district,
    )
    return item


RETURN_FIELDS = (
    "board_title",
    "district_office",
    "la_members",
    "jcp_chair",
    "la_chair",
    "erm_name",
    "erm_phone",
    "erm_email",
    "first_meeting_date",
    "scope",
    "jcp_secretariat_name",
    "jcp_secretariat_email",
    "la_secretariat_name",
    "la_secretariat_email",
    "comments",
)


@transaction.atomic
def return_submit(
    *, actor, board: Board, data: dict, previous_id: int | None = None, now: datetime.datetime | None = None
) -> IndexReturn:
    """Submit the board's Appendix 3 return as a dated snapshot.

    `previous_id` is the latest return the submitter saw: if someone submitted another meanwhile, this one is
    refused, so that nobody overwrites a colleague's return without having read it.
    """
    board = Board.objects.select_for_update().get(pk=board.pk)
    _check_can_edit(actor, board)
    if board.status == BoardStatus.WOUND_UP:
        raise ValidationError("A wound-up board makes no more returns.")
    latest = board.returns.order_by("-submitted_at", "-pk").values_list("pk", flat=True).first()
    if latest != previous_id:
        raise ValidationError(
            "Another return for this board was submitted while you were completing this one. "
            "Read it, then submit yours again if something still needs to change."
        )
    now = now or timezone.now()
    fields = {field: data.get(field) or ("" if field != "first_meeting_date" else None) for field in RETURN_FIELDS}
    snapshot = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in fields.items()}
    snapshot.update(
        board_id=board.pk,
        status=board.status,
        district_codes=list(board.districts.order_by("name").values_list("code", flat=True)),
        authority_codes=list(board.local_authorities.order_by("name").values_list("gss_code", flat=True)),
        submitted_by=actor.get_username(),
        submitted_at=now.isoformat(),
    )
    item = IndexReturn(
        board=board,
        year=timezone.localtime(now).year,
        submitted_at=now,
        submitted_by=actor,
        snapshot=snapshot,
        **fields,
    )
    item.full_clean()
    item.save()
    event_record(
        kind="return.submitted",
        summary=f"{board.title}: index return submitted",
        actor=actor,
        subject=item,
        district=_first_district(board),
        data={"board_id": board.pk, "year": item.year},
    )
    return item
