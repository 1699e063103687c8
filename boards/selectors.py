"""Reads of the boards app: querysets scoped by `visible_to(user)`, annotated so that lists never query per row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from boards.models import (
    Action,
    ActionStatus,
    Board,
    BoardStatus,
    DistrictConfirmation,
    GoodPractice,
    IndexReturn,
    Meeting,
    MeetingStatus,
    NationalDevelopment,
)
from boards.transitions import check_meeting_held
from liaison.models import Contact, District, LocalAuthority
from liaison.querysets import kept_query, read_beside, scope_key, set_prefetched
from liaison.scoping import scope_for


def return_due_date(year: int) -> datetime.date:
    """The Appendix 3 return of a year is due on this day (15 June unless configured otherwise)."""
    month, day = settings.BOARDS_RETURN_DUE
    return datetime.date(year, month, day)


def twelve_months_before(today: datetime.date) -> datetime.date:
    return today - relativedelta(months=12)


def board_index(*, user, today: datetime.date) -> QuerySet[Board]:
    """Every board the user may see, with the national index's figures as annotations (a fixed query count)."""
    return annotate_boards(Board.objects.visible_to(user), today)


def national_index(*, user, today: datetime.date) -> QuerySet[Board]:
    """Every board, for every signed-in user: the index exists "to support Joint Boards in sharing information and
    good practice" (guidelines, "Index of new Joint Boards"). Pages show names only, never phones or emails."""
    if not getattr(user, "is_authenticated", False):
        return Board.objects.none()
    return annotate_boards(Board.objects.all(), today)


def index_boards(*, user, today: datetime.date, national: bool, figures: bool = True) -> QuerySet[Board]:
    """The national index's rows (every board, `national`) or the user's own boards (exports), with only what the
    index shows: its two chairs' names and four figures (`index_places` adds the districts and LAs of the rows
    shown). Fewer joins and subqueries than `annotate_boards`, so a page of 50 is planned and read quickly.
    Without `figures`, the rows alone: `national_figures_set` gives them their figures from the cache."""
    if not getattr(user, "is_authenticated", False):
        return Board.objects.none()
    boards = Board.objects.all() if national else Board.objects.visible_to(user)
    boards = (
        boards.select_related("jcp_chair", "la_chair")
        # Only the columns the index and its downloads show.
        .only("pk", "title", "scope", "status", "established_on", "jcp_chair__name", "la_chair__name")
        .order_by("title", "pk")
    )
    return boards.annotate(**_index_figures(today)) if figures else boards


def openable_board_ids(*, user, boards: list[Board]) -> set[int]:
    """Which of these index rows the user may open (the index lists every board; only those in scope link to their
    page): all of them for national roles, without a query; otherwise the user's boards, by SQL kept per scope."""
    if scope_for(user).national:
        return {board.pk for board in boards}
    visible = kept_query(
        ("boards.visible", scope_key(scope_for(user))),
        lambda: Board.objects.visible_to(user).values_list("pk", flat=True),
    ).rows()
    return {board.pk for board in boards} & set(visible)


# The four figures of an index row, as `_index_figures` names them.
INDEX_FIGURES = ("meetings_last_12_months", "first_meeting", "latest_return", "returned_this_year")


def _national_figures_key(today: datetime.date) -> str:
    return f"boards:national-figures:{today.isoformat()}"


def national_figures_set(boards: list[Board], today: datetime.date) -> None:
    """Give each of the national index's rows its four figures, from every board's figures kept in the cache (one
    query over every board when they are not): the same for everyone on a day, they are counted from meetings and
    returns, and `national_progress_forget` drops them with the national figures whenever one of those changes."""
    key = _national_figures_key(today)
    figures = cache.get(key)
    if figures is None or any(board.pk not in figures for board in boards):
        rows = Board.objects.annotate(**_index_figures(today)).order_by().values_list("pk", *INDEX_FIGURES)
        figures = {pk: tuple(values) for pk, *values in rows}
        cache.set(key, figures, NATIONAL_PROGRESS_SECONDS)
    for board in boards:
        for name, value in zip(INDEX_FIGURES, figures[board.pk], strict=True):
            setattr(board, name, value)


@dataclass(frozen=True)
class Place:
    """A district (with its region) or an LA as the index's rows name it."""

    name: str
    region: Place | None = None


def index_places(boards: list[Board]) -> None:
    """Set each board's `district_list` (each with its region) and `authority_list`, by name, for the index's rows
    and downloads: two queries of names, where prefetching built a model for each of a page's few hundred places."""
    ids = [board.pk for board in boards]
    districts: dict[int, list[Place]] = {pk: [] for pk in ids}
    authorities: dict[int, list[Place]] = {pk: [] for pk in ids}
    regions: dict[str, Place] = {}
    # A page's boards are the same on every visit until the index changes: their two queries are kept compiled.
    links = kept_query(
        ("index.districts", tuple(ids)),
        lambda: (
            Board.districts.through.objects.filter(board_id__in=ids)
            .order_by("district__name", "district_id")
            .values_list("board_id", "district__name", "district__region__name")
        ),
    ).rows()
    for board_id, name, region in links:
        districts[board_id].append(Place(name, regions.setdefault(region, Place(region))))
    links = kept_query(
        ("index.authorities", tuple(ids)),
        lambda: (
            Board.local_authorities.through.objects.filter(board_id__in=ids)
            .order_by("localauthority__name", "localauthority_id")
            .values_list("board_id", "localauthority__name")
        ),
    ).rows()
    for board_id, name in links:
        authorities[board_id].append(Place(name))
    for board in boards:
        board.district_list, board.authority_list = districts[board.pk], authorities[board.pk]


def _index_figures(today: datetime.date) -> dict:
    held = Meeting.objects.filter(board=OuterRef("pk"), status=MeetingStatus.HELD)
    window = held.filter(date__gt=twelve_months_before(today), date__lte=today)
    returns = IndexReturn.objects.filter(board=OuterRef("pk"))
    return {
        "meetings_last_12_months": Coalesce(
            Subquery(window.order_by().values("board").annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        "first_meeting": Subquery(held.order_by("date").values("date")[:1], output_field=DateField()),
        "latest_return": Subquery(
            returns.order_by("-submitted_at").values("submitted_at")[:1], output_field=DateTimeField()
        ),
        "returned_this_year": Exists(returns.filter(year=today.year)),
    }


def annotate_boards(boards: QuerySet[Board], today: datetime.date) -> QuerySet[Board]:
    held = Meeting.objects.filter(board=OuterRef("pk"), status=MeetingStatus.HELD)
    return (
        boards.select_related(
            "jcp_chair", "la_chair", "erm", "jcp_secretariat", "la_secretariat", "jcp_chair__role", "la_chair__role"
        )
        .prefetch_related(
            Prefetch("districts", queryset=District.objects.select_related("region").order_by("name")),
            Prefetch("local_authorities", queryset=LocalAuthority.objects.order_by("name")),
        )
        .annotate(
            **_index_figures(today),
            last_meeting=Subquery(held.order_by("-date").values("date")[:1], output_field=DateField()),
            next_meeting=Subquery(
                Meeting.objects.filter(board=OuterRef("pk"), status=MeetingStatus.SCHEDULED, date__gte=today)
                .order_by("date")
                .values("date")[:1],
                output_field=DateField(),
            ),
            open_actions=Coalesce(
                Subquery(
                    Action.objects.filter(board=OuterRef("pk"))
                    .exclude(status=ActionStatus.DONE)
                    .order_by()
                    .values("board")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("title", "pk")
    )


def return_outstanding_q(today: datetime.date) -> Q:
    """Active boards with no return yet this year."""
    return Q(status=BoardStatus.ACTIVE, returned_this_year=False)


def return_overdue_q(today: datetime.date) -> Q:
    """Outstanding after the due date; a board set up after this year's due date owes its first return next year."""
    due = return_due_date(today.year)
    if today <= due:
        return Q(pk__in=[])
    return return_outstanding_q(today) & Q(established_on__lte=due)


def below_minimum_q() -> Q:
    return Q(meetings_last_12_months__lt=2) & ~Q(status=BoardStatus.WOUND_UP)


@dataclass(frozen=True)
class Progress:
    districts: int
    districts_with_active_board: int
    boards: int
    active_boards: int
    returns_submitted: int
    returns_due: int
    returns_overdue: int
    below_minimum: int
    due_date: datetime.date


# The national figures are the same for everyone on a day; kept this long at most (`national_progress_forget` drops
# them as soon as a board, meeting, return or district changes).
NATIONAL_PROGRESS_SECONDS = 10 * 60


def _national_progress_key(today: datetime.date) -> str:
    return f"boards:national-progress:{today.isoformat()}"


def national_progress_forget(**kwargs) -> None:
    """Drop the kept national figures (the index's progress and its rows' figures): called on every change to what
    they count (boards/apps.py), at once and again when the change commits, so a page read during the transaction
    cannot keep the figures from before it."""
    today = timezone.localdate()
    keys = [_national_progress_key(today), _national_figures_key(today)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def index_progress(*, user, today: datetime.date, national: bool = False) -> Progress:
    """The figures at the top of the national index, each from one aggregate query. The national figures are the
    same for every user, and building their two aggregates costs more than the rest of the index page's queries:
    they are kept in the cache, for every worker, until something they count changes."""
    if not getattr(user, "is_authenticated", False):
        return _progress(Board.objects.none(), District.objects.none(), today)
    if not national:
        return _progress(Board.objects.visible_to(user), District.objects.visible_to(user), today)
    key = _national_progress_key(today)
    progress = cache.get(key)
    if progress is None:
        progress = _progress(Board.objects.all(), District.objects.all(), today)
        cache.set(key, progress, NATIONAL_PROGRESS_SECONDS)
    return progress


def _progress(boards: QuerySet[Board], districts: QuerySet[District], today: datetime.date) -> Progress:
    # Only the two figures the counts need: no joins, no other subqueries.
    figures = _index_figures(today)
    boards = boards.annotate(
        meetings_last_12_months=figures["meetings_last_12_months"], returned_this_year=figures["returned_this_year"]
    )
    overdue = return_overdue_q(today)
    figures = boards.order_by().aggregate(
        boards=Count("pk"),
        active=Count("pk", filter=Q(status=BoardStatus.ACTIVE)),
        submitted=Count("pk", filter=Q(status=BoardStatus.ACTIVE, returned_this_year=True)),
        outstanding=Count("pk", filter=return_outstanding_q(today)),
        overdue=Count("pk", filter=overdue),
        below=Count("pk", filter=below_minimum_q()),
    )
    active_through = Board.districts.through.objects.filter(board__status=BoardStatus.ACTIVE)
    district_figures = districts.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(pk__in=active_through.values("district_id"))),
    )
    return Progress(
        districts=district_figures["total"],
        districts_with_active_board=district_figures["active"],
        boards=figures["boards"],
        active_boards=figures["active"],
        returns_submitted=figures["submitted"],
        returns_due=figures["outstanding"] - figures["overdue"],
        returns_overdue=figures["overdue"],
        below_minimum=figures["below"],
        due_date=return_due_date(today.year),
    )


def return_state(board: Board, today: datetime.date) -> str:
    """ "submitted", "overdue", "due" or "" (not required) for a board annotated by `board_index`."""
    if board.status != BoardStatus.ACTIVE:
        return ""
    if board.returned_this_year:
        return "submitted"
    due = return_due_date(today.year)
    if today > due and board.established_on <= due:
        return "overdue"
    return "due"


# The people a board names, read with their roles in one query by `board_detail`.
BOARD_PEOPLE = ("jcp_chair", "la_chair", "erm", "jcp_secretariat", "la_secretariat")


def board_detail(*, user, pk: int, today: datetime.date) -> Board:
    """One board the user may see, with the index's figures and the people it names. The people are read in a
    second, plain query: joined into the board's row (five contacts and two roles) they made PostgreSQL spend
    longer planning the query than reading it."""
    # Asked on every visit to a board's page, with SQL that depends on the user's scope, the board and the day
    # alone: kept compiled, the board's row and its districts and LAs each in a query of its own (what
    # `annotate_boards` would prefetch), handed to the board as if prefetched.
    found = kept_query(
        ("board.detail", scope_key(scope_for(user)), pk, today),
        lambda: board_index(user=user, today=today).select_related(None).prefetch_related(None).filter(pk=pk),
    ).rows()
    if not found:
        raise Board.DoesNotExist(f"No board {pk} in this user's scope")
    board = found[0]
    districts = kept_query(
        ("board.districts", pk),
        lambda: District.objects.filter(boards__pk=pk).select_related("region").order_by("name"),
    ).rows()
    authorities = kept_query(
        ("board.authorities", pk), lambda: LocalAuthority.objects.filter(boards__pk=pk).order_by("name")
    ).rows()
    set_prefetched(board, "districts", districts)
    set_prefetched(board, "local_authorities", authorities)
    read_beside(board, BOARD_PEOPLE, Contact.objects.select_related("role"), kept_as="board.people")
    return board


def districts_waiting(board: Board) -> QuerySet[District]:
    """The board's further districts whose ERM (or Regional ERM) has not yet agreed to it."""
    waiting = DistrictConfirmation.objects.filter(board_id=board.pk, confirmed_at__isnull=True).values("district_id")
    return District.objects.filter(pk__in=waiting).order_by("name")


def same_scope_boards(board: Board) -> QuerySet[Board]:
    """Other active boards of the same scope in any of this board's districts: the norm is one per district."""
    districts = Board.districts.through.objects.filter(board_id=board.pk).values("district_id")
    shared = Board.districts.through.objects.filter(district_id__in=districts).values("board_id")
    return Board.objects.filter(pk__in=shared, status=BoardStatus.ACTIVE, scope=board.scope).exclude(pk=board.pk)


BOARD_PAGE_ROWS = 10


def board_page_lists(*, user, board: Board) -> dict:
    """What a board's page lists beside the board: its districts still to agree, the other active boards of its
    scope in its districts that the user sees, its meetings, actions, standing members, newest good practice and
    changes. Asked on every visit, with SQL that depends on the board (and, for the namesakes, the user's scope)
    alone: kept compiled, as Django built and compiled these for longer than PostgreSQL took to run them."""
    key = ("board.page", board.pk)
    namesakes = []
    if board.status != BoardStatus.WOUND_UP:
        namesakes = kept_query(
            (*key, "same-scope", board.scope, scope_key(scope_for(user))),
            lambda: same_scope_boards(board).filter(pk__in=Board.objects.visible_to(user).values("pk")),
        ).rows()
    return {
        "waiting_districts": kept_query((*key, "waiting"), lambda: districts_waiting(board)).rows(),
        "same_scope": namesakes,
        "meetings": kept_query((*key, "meetings"), lambda: board_meetings(board)).rows(),
        "actions": kept_query((*key, "actions"), lambda: board_actions(board)).rows(),
        "members": kept_query((*key, "members"), lambda: board_members(board)).rows(),
        "good_practice": kept_query(
            (*key, "good-practice", BOARD_PAGE_ROWS), lambda: board_good_practice(board)[:BOARD_PAGE_ROWS]
        ).rows(),
        "history": kept_query(
            (*key, "history", BOARD_PAGE_ROWS), lambda: board_history(board)[:BOARD_PAGE_ROWS]
        ).rows(),
    }


# The board's lists below are built from each model's own manager, not the board's related managers: those carry
# the board instance into their rows, and the board page keeps these queries' SQL (a kept query must not keep a
# request's objects).
def board_meetings(board: Board) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(board_id=board.pk)
        .annotate(action_count=Count("actions", distinct=True), attended=Count("attendance", distinct=True))
        .order_by("-date", "-pk")
    )


def board_actions(board: Board) -> QuerySet[Action]:
    return (
        Action.objects.filter(board_id=board.pk).select_related("owner", "meeting").order_by("status", "due_date", "pk")
    )


def board_members(board: Board) -> QuerySet[Contact]:
    """The board's standing members, with what its page says of each."""
    through = Board.members.through.objects.filter(board_id=board.pk).values("contact_id")
    return Contact.objects.filter(pk__in=through).select_related("role", "district", "local_authority", "office")


def board_good_practice(board: Board) -> QuerySet[GoodPractice]:
    return GoodPractice.objects.filter(board_id=board.pk)


def board_history(board: Board) -> QuerySet:
    return Board.history.filter(id=board.pk).select_related("history_user").order_by("-history_date")


def board_contacts(board: Board, on: datetime.date | None = None) -> QuerySet[Contact]:
    """People who can attend, own actions: the board districts' JCP network and the board LAs' staff."""
    return (
        Contact.objects.active(on)
        .filter(
            Q(district__in=board.districts.values("pk")) | Q(local_authority__in=board.local_authorities.values("pk"))
        )
        .select_related("role", "district", "local_authority", "office")
        .order_by("role__side", "role__order", "name")
    )


def meeting_for(*, user, board_pk: int, pk: int) -> Meeting:
    return Meeting.objects.visible_to(user).select_related("board", "minutes_approved_at").get(board_id=board_pk, pk=pk)


def carried_forward_actions(meeting: Meeting) -> QuerySet[Action]:
    """Actions from the board's earlier meetings that were not done before this meeting: they come back."""
    return (
        Action.objects.filter(board_id=meeting.board_id, meeting__date__lt=meeting.date)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=meeting.date))
        .select_related("owner", "meeting")
        .order_by("due_date", "pk")
    )


def previous_meeting_awaiting_approval(meeting: Meeting) -> Meeting | None:
    """The previous held meeting whose draft minutes this meeting can approve."""
    previous = (
        Meeting.objects.filter(board_id=meeting.board_id, status=MeetingStatus.HELD, date__lte=meeting.date)
        .exclude(pk=meeting.pk)
        .order_by("-date", "-pk")
        .first()
    )
    if previous is not None and previous.minutes_status in ("draft", "circulated"):
        return previous
    return None


def hold_refusal(meeting: Meeting, today: datetime.date) -> str | None:
    """Why a scheduled meeting cannot be recorded as held yet (None when it can), so the page offers the button
    only when it would succeed and says why not otherwise."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return None
    try:
        check_meeting_held(meeting, today)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def return_prefill(board: Board) -> dict:
    """The Appendix 3 stencil filled from the board's data, for the ERM to check and complete."""
    districts = list(board.districts.order_by("name"))
    offices = [
        office.name
        for district in districts
        for office in district.offices.filter(kind="district-office").order_by("name")
    ]
    first = board.meetings.filter(status=MeetingStatus.HELD).order_by("date").values_list("date", flat=True).first()
    latest = board.returns.order_by("-submitted_at", "-pk").first()

    def name(contact):
        return contact.name if contact else ""

    def email(contact):
        return contact.email if contact else ""

    return {
        "board_title": board.title,
        "district_office": ", ".join(offices) or ", ".join(f"Jobcentre Plus {d.name}" for d in districts),
        "la_members": "\n".join(la.name for la in board.local_authorities.order_by("name")),
        "jcp_chair": name(board.jcp_chair),
        "la_chair": f"{board.la_chair.name}, {board.la_chair.local_authority}" if board.la_chair else "",
        "erm_name": name(board.erm),
        "erm_phone": board.erm.phone if board.erm else "",
        "erm_email": email(board.erm),
        "first_meeting_date": first,
        "scope": board.scope,
        "jcp_secretariat_name": name(board.jcp_secretariat),
        "jcp_secretariat_email": email(board.jcp_secretariat),
        "la_secretariat_name": name(board.la_secretariat),
        "la_secretariat_email": email(board.la_secretariat),
        "comments": latest.comments if latest else "",
    }


# One filter per word; the cap keeps the query bounded whatever reaches here (the form also limits the length).
SEARCH_MAX_WORDS = 8


def good_practice_search(*, user, q: str = "") -> QuerySet[GoodPractice]:
    items = GoodPractice.objects.visible_to(user).select_related("board")
    for term in q.split()[:SEARCH_MAX_WORDS]:
        items = items.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(board__title__icontains=term)
        )
    return items


def chairs(*, user) -> QuerySet[Board]:
    return (
        Board.objects.visible_to(user)
        .exclude(status=BoardStatus.WOUND_UP)
        .select_related("jcp_chair", "la_chair", "la_chair__local_authority", "jcp_chair__district")
        .prefetch_related(Prefetch("districts", queryset=District.objects.select_related("region").order_by("name")))
        .order_by("title", "pk")
    )


def actions_owned(*, user) -> QuerySet[Action]:
    """Open actions the user owns, through a contact record linked to them that is still in post."""
    owner_ids = Contact.objects.active().filter(user=user).values("pk")
    return Action.objects.visible_to(user).open().filter(owner__in=owner_ids).select_related("board")


def current_boards(*, user) -> QuerySet[Board]:
    return Board.objects.visible_to(user).exclude(status=BoardStatus.WOUND_UP).order_by("title")


def developments_for(meeting: Meeting) -> QuerySet[NationalDevelopment]:
    """The national developments a meeting's agenda lists: those published since the board's previous held meeting
    (or since it was set up) up to the meeting's date."""
    previous = (
        Meeting.objects.filter(board_id=meeting.board_id, status=MeetingStatus.HELD, date__lt=meeting.date)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    since = previous or meeting.board.established_on
    return NationalDevelopment.objects.filter(published_on__gt=since, published_on__lte=meeting.date)
