"""The LA side and the JCP chair as partners in a board's work: secretariat, proposals, minutes for comment, chairs'
roles, cross-district boards agreed by each district, and the one-board-per-district norm."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from boards import services
from boards.models import AgendaProposal, Board, BoardStatus, MinutesComment, MinutesStatus
from liaison.models import Event
from tests.boards.factories import MeetingFactory, board_for
from tests.factories import ContactFactory, LAContactFactory, role

TODAY = timezone.localdate()


def _data(world, **overrides):
    data = {
        "title": "Shared board",
        "districts": [world.d1],
        "local_authorities": [world.la1],
        "scope": "joint",
        "meetings_per_year": 2,
        "established_on": TODAY,
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_chairs_must_hold_a_chairs_role(world):
    erm = world.users["erm"]
    performance = ContactFactory(district=world.d1, name="Pat Performance")
    nominated = LAContactFactory(local_authority=world.la1, role=role("nominated-contact"), name="Nia Nominated")
    with pytest.raises(ValidationError) as refusal:
        services.board_create(actor=erm, data=_data(world, jcp_chair=performance, la_chair=nominated))
    assert "Jobcentre Plus co-chair is a District Manager" in str(refusal.value)
    assert "Local Authority co-chair is a senior manager" in str(refusal.value)
    assert not Board.objects.exists()
    manager = ContactFactory(district=world.d1, role=role("district-manager"))
    hb = LAContactFactory(local_authority=world.la1)
    board = services.board_create(actor=erm, data=_data(world, jcp_chair=manager, la_chair=hb))
    assert (board.jcp_chair, board.la_chair) == (manager, hb)


@pytest.mark.django_db
def test_a_cross_district_board_is_active_only_once_each_district_agrees(world, client):
    erm = world.users["erm"]
    with pytest.raises(ValidationError, match="more than one district"):
        services.board_create(actor=erm, data=_data(world, districts=[world.d1, world.d2]))
    board = services.board_create(
        actor=erm,
        data=_data(
            world,
            districts=[world.d1, world.d2],
            local_authorities=[world.la1, world.la2],
            cross_district_reason="The two districts share one BDC",
            jcp_chair=ContactFactory(district=world.d1, role=role("district-manager")),
            la_chair=LAContactFactory(local_authority=world.la2),
        ),
    )
    assert services.unconfirmed_districts(board) == [world.d2]
    with pytest.raises(ValidationError, match="District Two"):
        services.board_status_set(actor=erm, board=board, status=BoardStatus.ACTIVE)
    # The district ERM of d1 cannot agree for d2.
    with pytest.raises(PermissionDenied):
        services.board_district_confirm(actor=erm, board=board, district=world.d2)
    client.force_login(world.users["regional-erm"])
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Agree to this board for District Two" in page and "share one BDC" in page
    response = client.post(reverse("boards:board-district-confirm", args=[board.pk]), {"district": "d2"})
    assert response.status_code == 302
    assert services.unconfirmed_districts(board) == []
    assert Event.objects.filter(kind="board.district-confirmed").count() == 1
    services.board_status_set(actor=erm, board=board, status=BoardStatus.ACTIVE)
    assert Board.objects.get(pk=board.pk).status == BoardStatus.ACTIVE


@pytest.mark.django_db
def test_a_second_active_board_of_the_same_scope_in_a_district_is_warned(world, client):
    first = board_for(world, title="First board")
    second = board_for(world, title="Second board")
    other_scope = board_for(world, title="Fraud board", scope="fraud")
    client.force_login(world.users["erm"])
    page = client.get(second.get_absolute_url()).content.decode()
    assert "One board per district is the norm" in page and first.title in page
    assert other_scope.title not in page
    assert "One board per district" not in client.get(other_scope.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_la_member_proposes_and_the_la_chair_accepts_or_declines_with_a_reason(world, client):
    board = board_for(world)
    board.la_chair.user = world.users["la-manager"]
    board.la_chair.save()
    meeting = MeetingFactory(board=board, date=TODAY + datetime.timedelta(days=20), status="scheduled")
    fraud = world.users["la-fraud"]
    first = services.agenda_proposal_add(actor=fraud, meeting=meeting, title="Clerical cases backlog")
    second = services.agenda_proposal_add(actor=fraud, meeting=meeting, title="Room bookings")
    chair = world.users["la-manager"]
    before = AgendaProposal.objects.get(pk=second.pk).status
    with pytest.raises(ValidationError, match="reason"):
        services.agenda_proposal_decide(actor=chair, proposal=second, accept=False)
    assert AgendaProposal.objects.get(pk=second.pk).status == before
    with pytest.raises(PermissionDenied):
        services.agenda_proposal_decide(actor=fraud, proposal=first, accept=True)
    services.agenda_proposal_decide(actor=chair, proposal=first, accept=True)
    services.agenda_proposal_decide(actor=chair, proposal=second, accept=False, reason="Not a board matter")
    assert meeting.agenda_items.filter(title="Clerical cases backlog").exists()
    assert not meeting.agenda_items.filter(title="Room bookings").exists()
    with pytest.raises(ValidationError, match="already"):
        services.agenda_proposal_decide(actor=chair, proposal=second, accept=True)
    client.force_login(fraud)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Declined by" in page and "Not a board matter" in page
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"agenda.item-proposed", "agenda.proposal-accepted", "agenda.proposal-declined"} <= kinds


@pytest.mark.django_db
def test_minutes_are_circulated_for_comment_and_never_change_once_approved(world):
    board = board_for(world)
    board.jcp_chair.user = world.users["district-manager"]
    board.jcp_chair.save()
    chair = world.users["district-manager"]
    first = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=100))
    second = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=5))
    services.minutes_save(actor=chair, meeting=first, text="We met.")
    with pytest.raises(ValidationError, match="circulated"):
        services.minutes_comment_add(actor=world.users["la-fraud"], meeting=first, text="Too early")
    services.minutes_circulate(actor=chair, meeting=first)
    services.minutes_comment_add(actor=world.users["la-fraud"], meeting=first, text="Add the LA's figures")
    with pytest.raises(PermissionDenied):
        services.minutes_comment_add(actor=world.users["gpt"], meeting=first, text="Not a member")
    comment = MinutesComment.objects.get()
    assert (comment.made_by, comment.text) == (world.users["la-fraud"], "Add the LA's figures")
    services.minutes_save(actor=chair, meeting=first, text="We met. The LA's figures are attached.")
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.CIRCULATED
    services.minutes_approve(actor=chair, meeting=first, at_meeting=second)
    with pytest.raises(ValidationError, match="cannot change"):
        services.minutes_save(actor=chair, meeting=first, text="Rewritten")
    with pytest.raises(ValidationError):
        services.minutes_comment_add(actor=world.users["la-fraud"], meeting=first, text="Late")
    first.refresh_from_db()
    assert first.minutes == "We met. The LA's figures are attached."
    kinds = list(Event.objects.values_list("kind", flat=True))
    assert {"minutes.drafted", "minutes.circulated", "minutes.commented", "minutes.approved"} <= set(kinds)


@pytest.mark.django_db
def test_the_secretariat_orders_the_agenda(world, client):
    board = board_for(world)
    meeting = services.meeting_schedule(actor=world.users["erm"], board=board, date=TODAY + datetime.timedelta(days=10))
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    client.force_login(world.users["erm"])
    item = meeting.agenda_items.get(order=2)
    response = client.post(
        reverse("boards:agenda-item-move", args=[board.pk, meeting.pk, item.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == [
        titles[1],
        titles[0],
        *titles[2:],
    ]
    top = meeting.agenda_items.get(order=1)
    with pytest.raises(ValidationError, match="cannot move"):
        services.agenda_item_move(actor=world.users["erm"], item=top, direction="up")


@pytest.mark.django_db
def test_record_as_held_is_offered_only_when_it_can_succeed(world, client):
    board = board_for(world, status=BoardStatus.PROPOSED)
    meeting = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=1), status="scheduled")
    client.force_login(world.users["erm"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Record as held" not in page and "Only an active board holds meetings" in page
    Board.objects.filter(pk=board.pk).update(status=BoardStatus.ACTIVE)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Record as held" in page


@pytest.mark.django_db
def test_gpt_publishes_national_developments_every_boards_next_agenda_lists(world, client):
    board = board_for(world)
    MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=30))
    coming = services.meeting_schedule(actor=world.users["erm"], board=board, date=TODAY + datetime.timedelta(days=30))
    client.force_login(world.users["erm"])
    assert client.get(reverse("boards:developments")).status_code == 200
    response = client.post(reverse("boards:developments"), {"title": "Mine", "description": "Mine"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.development_publish(actor=world.users["la-manager"], title="Mine", description="x")
    client.force_login(world.users["gpt"])
    page = client.get(reverse("boards:developments")).content.decode()
    assert "Publish to every board" in page
    response = client.post(reverse("boards:developments"), {"title": "", "description": ""})
    assert "Error:" in response.content.decode() and "Enter a short title" in response.content.decode()
    response = client.post(
        reverse("boards:developments"), {"title": "Universal Credit pilots", "description": "What changes"}
    )
    assert response.status_code == 302
    assert Event.objects.filter(kind="development.published").count() == 1
    client.force_login(world.users["la-fraud"])
    page = client.get(coming.get_absolute_url()).content.decode()
    assert "Universal Credit pilots" in page
