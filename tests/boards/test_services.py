"""Board services: set-up rules, the state machines' guards, minutes approval and immutable returns."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from boards import services
from boards.models import (
    STANDING_ITEMS,
    ActionStatus,
    Board,
    BoardStatus,
    ImmutableReturnError,
    IndexReturn,
    MeetingStatus,
    MinutesStatus,
    TransitionAction,
)
from boards.selectors import carried_forward_actions, return_prefill
from liaison.models import Event
from tests.boards.factories import ActionFactory, MeetingFactory, board_for
from tests.factories import ContactFactory, LAContactFactory, role

TODAY = timezone.localdate()


def board_data(world, **overrides):
    data = {
        "title": "Central Joint Board",
        "districts": [world.d1],
        "local_authorities": [world.la1, world.la12],
        "scope": "joint",
        "jcp_chair": ContactFactory(district=world.d1, role=role("district-manager")),
        "la_chair": LAContactFactory(local_authority=world.la1),
        "erm": ContactFactory(district=world.d1, role=role("district-erm")),
        "jcp_secretariat": ContactFactory(district=world.d1),
        "la_secretariat": LAContactFactory(local_authority=world.la12),
        "meetings_per_year": 4,
        "replaces": "Central JOB",
        "established_on": TODAY,
        "members": [],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_erm_sets_up_a_board_and_an_event_is_recorded(world):
    board = services.board_create(actor=world.users["erm"], data=board_data(world))
    assert board.status == BoardStatus.PROPOSED
    assert set(board.local_authorities.values_list("name", flat=True)) == {"Authority One", "Authority Straddle"}
    assert Event.objects.filter(kind="board.created", subject_id=board.pk).count() == 1
    assert board.history.filter(history_type="+").count() == 1


@pytest.mark.django_db
def test_las_outside_the_boards_districts_are_refused(world):
    with pytest.raises(ValidationError) as error:
        services.board_create(actor=world.users["erm"], data=board_data(world, local_authorities=[world.la3]))
    assert "not in the board's districts" in str(error.value.message_dict["local_authorities"])
    assert not Board.objects.exists()


@pytest.mark.django_db
def test_an_erm_cannot_set_up_a_board_for_another_district(world):
    data = board_data(world, districts=[world.d3], local_authorities=[world.la3])
    data.update(jcp_chair=None, la_chair=None, erm=None, jcp_secretariat=None, la_secretariat=None)
    with pytest.raises(ValidationError) as error:
        services.board_create(actor=world.users["erm"], data=data)
    assert "districts" in error.value.message_dict


@pytest.mark.django_db
def test_fewer_than_two_meetings_a_year_is_refused_by_service_and_database(world):
    with pytest.raises(ValidationError) as error:
        services.board_create(actor=world.users["erm"], data=board_data(world, meetings_per_year=1))
    assert "at least twice" in str(error.value.message_dict["meetings_per_year"])
    board = board_for(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.filter(pk=board.pk).update(meetings_per_year=1)


@pytest.mark.django_db
def test_a_chair_from_outside_the_board_is_refused(world):
    stranger = LAContactFactory(local_authority=world.la3)
    with pytest.raises(ValidationError) as error:
        services.board_create(actor=world.users["erm"], data=board_data(world, la_chair=stranger))
    assert "la_chair" in error.value.message_dict


@pytest.mark.django_db
def test_board_status_moves_forward_only(world):
    erm = world.users["erm"]
    board = services.board_create(actor=erm, data=board_data(world))
    services.board_status_set(actor=erm, board=board, status=BoardStatus.ACTIVE)
    services.board_status_set(actor=erm, board=board, status=BoardStatus.WOUND_UP)
    board.refresh_from_db()
    assert board.wound_up_on == TODAY
    with pytest.raises(ValidationError, match="cannot become active"):
        services.board_status_set(actor=erm, board=board, status=BoardStatus.ACTIVE)
    with pytest.raises(ValidationError):
        services.meeting_schedule(actor=erm, board=board, date=TODAY)


@pytest.mark.django_db
def test_only_the_boards_erm_may_change_it(world):
    board = board_for(world)
    for name in ("district-manager", "la-manager", "gpt", "odn", "monitor"):
        with pytest.raises(PermissionDenied):
            services.meeting_schedule(actor=world.users[name], board=board, date=TODAY)
    assert services.meeting_schedule(actor=world.users["regional-erm"], board=board, date=TODAY).pk


@pytest.mark.django_db
def test_a_meeting_has_the_standing_items_and_free_items_follow(world):
    board = board_for(world)
    meeting = services.meeting_schedule(actor=world.users["erm"], board=board, date=TODAY + datetime.timedelta(7))
    titles = [i.title for i in meeting.agenda_items.all()]
    assert titles[: len(STANDING_ITEMS)] == [title for title, _ in STANDING_ITEMS]
    # Apps contribute theirs when a meeting is scheduled (escalation: the unresolved issues), after the standing ones.
    assert titles[len(STANDING_ITEMS) :] == ["Unresolved issues from the escalation route"]
    item = services.agenda_item_add(meeting=meeting, title="Monitoring results", body="ADM-1 met", source="monitoring")
    assert item.order == len(titles) + 1
    assert item.kind == "contributed"
    with pytest.raises(ValidationError):
        services.meeting_hold(actor=world.users["erm"], meeting=meeting, attended=[board.erm])


@pytest.mark.django_db
def test_holding_a_meeting_records_attendance_and_refuses_doubles(world):
    board = board_for(world)
    erm = world.users["erm"]
    meeting = services.meeting_schedule(actor=erm, board=board, date=TODAY)
    with pytest.raises(ValidationError):
        services.meeting_hold(actor=erm, meeting=meeting, attended=[board.erm], apologies=[board.erm])
    services.meeting_hold(actor=erm, meeting=meeting, attended=[board.erm, board.jcp_chair], apologies=[board.la_chair])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.attendance.filter(status="attended").count() == 2
    assert Event.objects.filter(kind="meeting.held").count() == 1
    with pytest.raises(ValidationError):
        services.meeting_hold(actor=erm, meeting=meeting, attended=[board.erm])
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, title="Late", source="monitoring")


@pytest.mark.django_db
def test_minutes_are_approved_at_the_next_meeting_only(world):
    board = board_for(world)
    erm = world.users["erm"]
    first = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=200))
    second = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=100))
    third = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=10))
    with pytest.raises(ValidationError):  # nothing drafted yet
        services.minutes_approve(actor=erm, meeting=first, at_meeting=second)
    services.minutes_save(actor=erm, meeting=first, text="We met.")
    with pytest.raises(ValidationError, match="cannot become approved"):  # not circulated yet
        services.minutes_approve(actor=erm, meeting=first, at_meeting=second)
    services.minutes_circulate(actor=erm, meeting=first)
    with pytest.raises(ValidationError, match="next meeting"):
        services.minutes_approve(actor=erm, meeting=first, at_meeting=third)
    services.minutes_approve(actor=erm, meeting=first, at_meeting=second)
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.APPROVED
    assert first.minutes_approved_at == second
    with pytest.raises(ValidationError, match="cannot change"):
        services.minutes_save(actor=erm, meeting=first, text="Rewritten")
    assert Event.objects.filter(kind="minutes.approved").count() == 1


@pytest.mark.django_db
def test_actions_carry_forward_until_done(world):
    board = board_for(world)
    erm = world.users["erm"]
    first = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=100))
    action = services.action_add(
        actor=erm, meeting=first, description="Share the MI pack", owner=board.la_chair, due_date=TODAY
    )
    second = services.meeting_schedule(actor=erm, board=board, date=TODAY + datetime.timedelta(days=5))
    assert list(carried_forward_actions(second)) == [action]
    services.action_update(actor=erm, action=action, status=ActionStatus.DONE)
    third = services.meeting_schedule(actor=erm, board=board, date=TODAY + datetime.timedelta(days=50))
    assert list(carried_forward_actions(third)) == []
    with pytest.raises(ValidationError):
        services.action_update(actor=erm, action=action, status=ActionStatus.OPEN)


@pytest.mark.django_db
def test_action_owner_must_be_in_the_boards_network(world):
    board = board_for(world)
    meeting = MeetingFactory(board=board)
    with pytest.raises(ValidationError):
        services.action_add(
            actor=world.users["erm"],
            meeting=meeting,
            description="x",
            owner=LAContactFactory(local_authority=world.la3),
            due_date=TODAY,
        )
    assert not board.actions.exists()


@pytest.mark.django_db
def test_a_submitted_return_is_an_immutable_snapshot(world):
    board = board_for(world)
    MeetingFactory(board=board, date=datetime.date(2026, 4, 20))
    erm = world.users["erm"]
    data = return_prefill(board)
    assert data["first_meeting_date"] == datetime.date(2026, 4, 20)
    assert data["la_members"] == "Authority One"
    submitted = services.return_submit(actor=erm, board=board, data=data)
    assert submitted.snapshot["board_title"] == board.title
    assert submitted.snapshot["district_codes"] == ["d1"]
    submitted.comments = "changed"
    with pytest.raises(ImmutableReturnError):
        submitted.save()
    with pytest.raises(TypeError):
        IndexReturn.objects.filter(pk=submitted.pk).update(comments="changed")
    with pytest.raises(ImmutableReturnError):
        submitted.delete()
    # A later change is a new return; one based on an out-of-date view is refused.
    with pytest.raises(ValidationError, match="while you were completing"):
        services.return_submit(actor=erm, board=board, data={**data, "comments": "stale"}, previous_id=None)
    services.return_submit(actor=erm, board=board, data={**data, "comments": "new"}, previous_id=submitted.pk)
    assert list(board.returns.values_list("comments", flat=True)) == ["new", ""]
    assert Event.objects.filter(kind="return.submitted").count() == 2


@pytest.mark.django_db
def test_transition_checklist_is_seeded_once_and_ticked_off_with_a_date(world):
    assert (
        services.transition_seed(actor=world.users["admin"], district=world.d1, start=datetime.date(2026, 1, 10)) == 9
    )
    assert services.transition_seed(actor=world.users["admin"], district=world.d1) == 0
    network = TransitionAction.objects.get(district=world.d1, code="network")
    assert network.due_date == datetime.date(2026, 2, 28)
    assert TransitionAction.objects.get(district=world.d1, code="index").due_date == datetime.date(2026, 6, 15)
    services.transition_complete(actor=world.users["erm"], item=network, completed_on=TODAY)
    network.refresh_from_db()
    assert network.completed_on == TODAY
    steering = TransitionAction.objects.get(district=world.d1, code="steering-group")
    with pytest.raises(PermissionDenied):
        services.transition_complete(actor=world.users["erm"], item=steering, completed_on=TODAY)
    services.transition_complete(actor=world.users["gpt"], item=steering, completed_on=TODAY)


@pytest.mark.django_db
def test_wound_up_board_needs_a_date_in_the_database(world):
    board = board_for(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.filter(pk=board.pk).update(status=BoardStatus.WOUND_UP)
    action = ActionFactory(meeting=MeetingFactory(board=board))
    with pytest.raises(IntegrityError), transaction.atomic():
        type(action).objects.filter(pk=action.pk).update(status=ActionStatus.DONE)


@pytest.mark.django_db
def test_starting_a_districts_checklist_is_recorded_against_its_erm(world):
    assert services.transition_seed(actor=world.users["erm"], district=world.d1) == 9
    event = Event.objects.get(kind="transition.started")
    assert (event.actor, event.district) == (world.users["erm"], world.d1)
    assert services.transition_seed(actor=world.users["erm"], district=world.d1) == 0
    assert Event.objects.filter(kind="transition.started").count() == 1


@pytest.mark.django_db
def test_a_raised_action_goes_to_an_owner_in_post_and_never_to_a_wound_up_board(world):
    board = board_for(world)
    MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=10))
    signer = world.users["la-manager"]
    action = services.action_raise(
        actor=signer, board=board, description="Review the arrangements", due_date=TODAY, source="agreements"
    )
    assert action.owner == board.erm
    assert Event.objects.get(kind="action.added", subject_id=action.pk).actor == signer
    # The ERM has left: the JCP co-chair owns the next one.
    board.erm.active_to = TODAY - datetime.timedelta(days=1)
    board.erm.save()
    action = services.action_raise(board=board, description="Another", due_date=TODAY, source="agreements")
    assert action.owner == board.jcp_chair
    board.status = "wound-up"
    board.wound_up_on = TODAY
    board.save()
    assert services.action_raise(board=board, description="Late", due_date=TODAY, source="agreements") is None
    assert board.actions.count() == 2


@pytest.mark.django_db
def test_an_owner_who_has_left_no_longer_updates_their_action(world):
    board = board_for(world)
    owner = world.users["la-manager"]
    board.la_chair.user = owner
    board.la_chair.save()
    meeting = MeetingFactory(board=board)
    action = services.action_add(
        actor=world.users["erm"], meeting=meeting, description="Share", owner=board.la_chair, due_date=TODAY
    )
    assert services.action_can_update(owner, action)
    board.la_chair.active_to = TODAY - datetime.timedelta(days=1)
    board.la_chair.save()
    assert not services.action_can_update(owner, action)
    with pytest.raises(PermissionDenied):
        services.action_update(actor=owner, action=action, status="done", update="Shared")
