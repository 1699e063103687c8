"""Demo Joint Boards for every demo district, added after the core's demo network (`manage.py load_demo`).

Idempotent: each demo row is keyed on its original title (or district), read from the history tables, so a board
or good practice a user has since renamed, changed or deleted is left as they left it and never created again.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db.models import Q

from boards.models import (
    STANDING_ITEMS,
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Board,
    GoodPractice,
    IndexReturn,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    TransitionAction,
)
from boards.selectors import return_prefill
from boards.services import transition_seed
from liaison.demo import register_demo_loader
from liaison.models import Contact, District, LocalAuthority

# (title, district codes, GSS codes, scope, status, meetings held (days ago), next meeting (days ahead), return,
#  years set up ago)
BOARDS = [
    (
        "Greater Manchester Joint Board",
        ["greater-manchester-central", "greater-manchester-east-and-west"],
        ["E08000003", "E08000006", "E08000009", "E08000001", "E08000010", "E08000008"],
        "joint",
        "active",
        [330, 200, 60],
        45,
        True,
        2,
    ),
    (
        "West Yorkshire Fraud Joint Board",
        ["west-yorkshire"],
        ["E08000035", "E08000032", "E08000036"],
        "fraud",
        "active",
        [280, 100],
        80,
        True,
        2,
    ),
    (
        "West Yorkshire Admin Joint Board",
        ["west-yorkshire"],
        ["E08000035", "E08000032", "E08000036"],
        "admin",
        "active",
        [250, 70],
        None,
        False,
        2,
    ),
    (
        "South London Joint Board",
        ["south-london"],
        ["E09000022", "E09000028", "E09000023"],
        "joint",
        "active",
        [420, 150],
        None,
        False,
        2,
    ),
    (
        "South East Wales Joint Board",
        ["south-east-wales"],
        ["W06000015", "W06000022", "W06000014"],
        "joint",
        "active",
        [300, 120],
        30,
        False,
        2,
    ),
    (
        "North and Mid Wales Joint Board",
        ["north-and-mid-wales"],
        ["W06000003", "W06000002", "W06000006"],
        "joint",
        "proposed",
        [],
        None,
        False,
        0,
    ),
    (
        "Lanarkshire and East Dunbartonshire Joint Board",
        ["lanarkshire-and-east-dunbartonshire"],
        ["S12000050", "S12000029", "S12000045"],
        "joint",
        "active",
        [310, 190, 40],
        120,
        True,
        2,
    ),
    (
        "Edinburgh, Lothian and Borders Joint Board",
        ["edinburgh-lothian-and-borders"],
        ["S12000036", "S12000040", "S12000026"],
        "joint",
        "active",
        [260, 90],
        60,
        True,
        2,
    ),
]

GOOD_PRACTICE = [
    (
        "Greater Manchester Joint Board",
        "One shared inbox for changes of circumstances",
        "The BDC and the LAs agreed a single secure inbox for change-of-circumstances notifications, checked twice "
        "a day; missing notifications fell within two months.",
    ),
    (
        "West Yorkshire Fraud Joint Board",
        "Joint visits booked through one diary",
        "FIS and LA fraud teams book joint visits through one shared diary, so a customer is never contacted twice.",
    ),
    (
        "South East Wales Joint Board",
        "Monthly NINO trace clinic",
        "The Nominated Officer runs a monthly clinic with the LAs to clear outstanding DC11LA trace requests.",
    ),
]


def _contact(district_codes, role_code, *, la_codes=None):
    query = Q(role__code=role_code)
    query &= Q(local_authority__gss_code__in=la_codes) if la_codes else Q(district__code__in=district_codes)
    return Contact.objects.filter(query).order_by("pk").first()


@register_demo_loader(100, "boards")
def load_boards_demo(today: datetime.date) -> dict[str, int]:
    created = {"boards": 0, "meetings": 0, "board actions": 0, "index returns": 0, "transition actions": 0}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["erm", "admin"])}
    for district in District.objects.all():
        # History, not the live table: a checklist a user seeded, ticked off or cleared is theirs, not re-seeded.
        if not TransitionAction.history.filter(district_id=district.pk).exists():
            created["transition actions"] += transition_seed(
                actor=users["admin"], district=district, start=today - relativedelta(months=7)
            )
            # The early rows are done, the later ones overdue or to do; the demo ERM's own district is up to date
            # so that their dashboard shows only what they are asked to fix.
            done = TransitionAction.objects.filter(district=district)
            done = (
                done.filter(for_gpt=False, due_date__lt=today)
                if district.code == "greater-manchester-central"
                else done.filter(order__lte=4)
            )
            for item in done:
                item.completed_on = item.due_date - datetime.timedelta(days=3)
                item.note = "Done (demo)"
                item.save()

    # Every title a board has ever had: a renamed or deleted demo board is still the demo's board.
    known_boards = set(Board.history.values_list("title", flat=True))
    for title, district_codes, la_codes, scope, status, held_days, next_days, returned, years in BOARDS:
        if title in known_boards:
            continue
        districts = list(District.objects.filter(code__in=district_codes))
        authorities = list(LocalAuthority.objects.filter(gss_code__in=la_codes))
        board = Board.objects.create(
            title=title,
            scope=scope,
            status=status,
            jcp_chair=_contact(district_codes, "district-manager"),
            la_chair=_contact(district_codes, "housing-benefit-manager", la_codes=la_codes),
            erm=_contact(district_codes, "district-erm"),
            jcp_secretariat=_contact(district_codes, "benefit-processing-manager"),
            la_secretariat=_contact(district_codes, "nominated-contact", la_codes=la_codes),
            meetings_per_year=4 if len(held_days) > 2 else 2,
            replaces="The former Joint Operational Board and the regional JRB's local sub-group.",
            established_on=today - relativedelta(years=years, days=30) if years else today,
        )
        board.districts.set(districts)
        board.local_authorities.set(authorities)
        members = [
            c
            for c in (
                _contact(district_codes, "contact-centre-manager"),
                _contact(district_codes, "fraud-investigation-service"),
                _contact(district_codes, "fraud-manager", la_codes=la_codes),
            )
            if c
        ]
        board.members.set(members)
        created["boards"] += 1
        meetings = []
        for days in sorted(held_days, reverse=True):
            meeting = Meeting.objects.create(
                board=board,
                date=today - datetime.timedelta(days=days),
                location="District office",
                status=MeetingStatus.HELD,
                minutes="Reviewed the SLA and Partnership Agreement arrangements; discussed the MI pack.",
                minutes_status=MinutesStatus.DRAFT,
            )
            meetings.append(meeting)
        if next_days is not None:
            meetings.append(
                Meeting.objects.create(board=board, date=today + datetime.timedelta(days=next_days), location="Online")
            )
        for meeting in meetings:
            AgendaItem.objects.bulk_create(
                AgendaItem(meeting=meeting, order=i, title=t, body=b, kind=AgendaItemKind.STANDING, source="boards")
                for i, (t, b) in enumerate(STANDING_ITEMS, start=1)
            )
            for contact in (board.jcp_chair, board.la_chair, board.erm):
                if contact and meeting.status == MeetingStatus.HELD:
                    Attendance.objects.create(meeting=meeting, contact=contact, status=AttendanceStatus.ATTENDED)
            if meeting.status == MeetingStatus.HELD and members:
                Attendance.objects.create(meeting=meeting, contact=members[0], status=AttendanceStatus.APOLOGIES)
        held = [m for m in meetings if m.status == MeetingStatus.HELD]
        # Each meeting's minutes were approved at the next one; the latest are still in draft.
        for earlier, later in zip(held, held[1:], strict=False):
            earlier.minutes_status = MinutesStatus.APPROVED
            earlier.minutes_approved_at = later
            earlier.save()
        created["meetings"] += len(meetings)
        for i, meeting in enumerate(held):
            done = i < len(held) - 1
            Action.objects.create(
                board=board,
                meeting=meeting,
                description="Circulate the performance MI pack two weeks before the next meeting"
                if i % 2 == 0
                else "Agree a named contact for clerical change-of-circumstances cases",
                owner=board.la_chair if i % 2 else board.erm,
                due_date=meeting.date + datetime.timedelta(days=30 if done else 90),
                status=ActionStatus.DONE if done else ActionStatus.OPEN,
                completed_on=meeting.date + datetime.timedelta(days=20) if done else None,
            )
            created["board actions"] += 1
        if returned and board.erm:
            submitter = users.get("erm") if "greater-manchester-central" in district_codes else users.get("admin")
            data = return_prefill(board)
            IndexReturn.objects.create(
                board=board,
                year=today.year,
                submitted_by=submitter,
                snapshot={**{k: str(v) if v else v for k, v in data.items()}, "board_id": board.pk},
                **data,
            )
            created["index returns"] += 1
    known_practice = set(GoodPractice.history.values_list("title", flat=True))
    for board_title, title, description in GOOD_PRACTICE:
        board = Board.objects.filter(pk__in=Board.history.filter(title=board_title).values("id")).first()
        if board and title not in known_practice:
            GoodPractice.objects.create(board=board, title=title, description=description, recorded_on=today)
    return created
