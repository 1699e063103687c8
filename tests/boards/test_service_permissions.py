"""Each boards service that checks its actor refuses one out of scope directly, and changes nothing when it does.

The views check too, so without these tests a service's own check could be removed unnoticed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from boards import services
from boards.models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    GoodPractice,
    IndexReturn,
    Meeting,
    MeetingStatus,
    TransitionAction,
)
from boards.selectors import return_prefill
from liaison.models import Event, Role
from tests.boards.factories import ActionFactory, MeetingFactory, board_for
from tests.factories import user_with_role

TODAY = timezone.localdate()


def state():
    """Everything a boards service writes, so that a refusal can be shown to have changed nothing."""
    return (
        list(Board.objects.order_by("pk").values_list("pk", "title", "status", "meetings_per_year")),
        list(Meeting.objects.order_by("pk").values_list("pk", "status", "minutes", "minutes_status")),
        list(Action.objects.order_by("pk").values_list("pk", "status", "update")),
        list(TransitionAction.objects.order_by("pk").values_list("pk", "completed_on")),
        AgendaItem.objects.count(),
        Attendance.objects.count(),
        GoodPractice.objects.count(),
        IndexReturn.objects.count(),
        Event.objects.count(),
    )


@pytest.fixture
def setting(world):
    board = board_for(world, title="Board One")
    held = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=60))
    services.minutes_save(actor=world.users["erm"], meeting=held, text="Draft minutes")
    later = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=1), status=MeetingStatus.SCHEDULED)
    action = ActionFactory(meeting=held)
    services.transition_seed(actor=world.users["admin"], district=world.d1)
    item = TransitionAction.objects.get(district=world.d1, code="network")
    return board, held, later, action, item


def calls(world, board, held, later, action, item):
    return {
        "board_update": lambda a: services.board_update(
            actor=a,
            board=board,
            data={"title": "Taken over", "districts": [world.d1], "local_authorities": [world.la1]},
        ),
        "board_status_set": lambda a: services.board_status_set(actor=a, board=board, status="wound-up"),
        "meeting_schedule": lambda a: services.meeting_schedule(actor=a, board=board, date=TODAY),
        "agenda_item_add": lambda a: services.agenda_item_add(actor=a, meeting=later, title="Mine", source="boards"),
        "meeting_hold": lambda a: services.meeting_hold(actor=a, meeting=later, attended=[board.erm]),
        "meeting_cancel": lambda a: services.meeting_cancel(actor=a, meeting=later),
        "minutes_save": lambda a: services.minutes_save(actor=a, meeting=held, text="Rewritten"),
        "minutes_approve": lambda a: services.minutes_approve(actor=a, meeting=held, at_meeting=later),
        "action_add": lambda a: services.action_add(
            actor=a, meeting=held, description="Mine", owner=board.erm, due_date=TODAY
        ),
        "action_update": lambda a: services.action_update(actor=a, action=action, status="done", update="Done"),
        "good_practice_add": lambda a: services.good_practice_add(actor=a, board=board, title="Mine", description="x"),
        "transition_seed": lambda a: services.transition_seed(actor=a, district=world.d1),
        "transition_complete": lambda a: services.transition_complete(actor=a, item=item, completed_on=TODAY),
        "return_submit": lambda a: services.return_submit(actor=a, board=board, data=return_prefill(board)),
    }


SERVICES = [
    "board_update",
    "board_status_set",
    "meeting_schedule",
    "agenda_item_add",
    "meeting_hold",
    "meeting_cancel",
    "minutes_save",
    "minutes_approve",
    "action_add",
    "action_update",
    "good_practice_add",
    "transition_seed",
    "transition_complete",
    "return_submit",
]


# Members of the board (JCP or LA side) share good practice: tests/boards/test_permission_matrix.py covers them.
MEMBER_WRITES = {"good_practice_add"}
PROBES = [
    (name, who)
    for name in SERVICES
    for who in ("erm-elsewhere", "district-manager", "gpt", "la-manager")
    if not (name in MEMBER_WRITES and who in ("district-manager", "la-manager"))
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who"), PROBES)
def test_an_actor_out_of_scope_is_refused_and_nothing_changes(name, who, world, setting):
    actor = (
        user_with_role(Role.ERM, district=world.d3, username="erm-d3") if who == "erm-elsewhere" else world.users[who]
    )
    before = state()
    with pytest.raises(PermissionDenied):
        calls(world, *setting)[name](actor)
    assert state() == before


def test_every_service_listed_is_probed(world):
    assert sorted(calls(world, *[None] * 5)) == sorted(SERVICES)


@pytest.mark.django_db
def test_setting_up_a_board_for_another_district_is_refused_and_saves_nothing(world):
    board = board_for(world, title="Board One")
    before = state()
    with pytest.raises(ValidationError, match="External Relations Manager for"):
        services.board_create(
            actor=user_with_role(Role.ERM, district=world.d3, username="erm-d3"),
            data={
                "title": "Not mine",
                "districts": [world.d1],
                "local_authorities": [world.la1],
                "scope": "joint",
                "meetings_per_year": 2,
                "established_on": TODAY,
                "jcp_chair": board.jcp_chair,
            },
        )
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", SERVICES)
def test_the_boards_erm_passes_the_permission_check(name, world, setting):
    """The refusals above are about scope: the board's own ERM is not refused (a state rule may still apply)."""
    try:
        result = calls(world, *setting)[name](world.users["erm"])
    except ValidationError as refusal:
        result = refusal
    assert result is not None
