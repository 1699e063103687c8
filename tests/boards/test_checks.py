"""Boards' deadline checks: raised once (one alert, one email) however often the scan runs, cleared when fixed."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from boards import services
from boards.models import ActionStatus
from boards.selectors import return_prefill
from liaison.alerts import scan_deadlines
from liaison.models import Alert
from tests.boards.factories import ActionFactory, MeetingFactory, board_for
from tests.helpers import sent_mail

TODAY = timezone.localdate()


def scan(code, today=TODAY):
    return scan_deadlines(today=today, codes=[code])


@pytest.mark.django_db
def test_board_below_two_meetings_is_raised_once_and_cleared(world):
    board = board_for(world)
    MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=100))
    first = scan("board-meetings-below-minimum")
    again = scan("board-meetings-below-minimum")
    assert (first.raised, again.raised, again.still_open) == (1, 0, 1)
    alert = Alert.objects.get(check_code="board-meetings-below-minimum")
    assert "1 meeting in the last 12 months" in alert.title
    assert list(alert.recipients.all()) == [world.users["erm"]]
    assert len(sent_mail()) == 1 and sent_mail()[0].to == [world.users["erm"].email]
    MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=10))
    assert scan("board-meetings-below-minimum").cleared == 1


@pytest.mark.django_db
def test_a_board_short_of_its_own_agreed_number_is_alerted(world):
    board = board_for(world, meetings_per_year=4)
    for days in (300, 200):
        MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=days))
    assert scan("board-meetings-below-minimum").raised == 0
    assert scan("board-meetings-below-agreed").raised == 1
    alert = Alert.objects.get(check_code="board-meetings-below-agreed")
    assert "2 of the 4 meetings" in alert.title
    assert list(alert.recipients.all()) == [world.users["erm"]]
    for days in (100, 10):
        MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=days))
    assert scan("board-meetings-below-agreed").cleared == 1


@pytest.mark.django_db
def test_a_new_board_is_not_in_breach_but_is_warned_to_schedule(world):
    board = board_for(world, established_on=TODAY - relativedelta(months=11))
    assert scan("board-meetings-below-minimum").raised == 0
    result = scan("board-next-meeting-not-scheduled")
    assert result.raised == 1
    assert "no meeting is scheduled" in Alert.objects.get(check_code="board-next-meeting-not-scheduled").title
    services.meeting_schedule(actor=world.users["erm"], board=board, date=TODAY + datetime.timedelta(days=7))
    assert scan("board-next-meeting-not-scheduled").cleared == 1


@pytest.mark.django_db
def test_return_overdue_after_the_due_date_and_cleared_by_submitting(world):
    board = board_for(world, established_on=datetime.date(TODAY.year - 1, 1, 1))
    before = datetime.date(TODAY.year, 6, 1)
    after = datetime.date(TODAY.year, 7, 1)
    assert scan("board-return-overdue", before).raised == 0
    assert scan("board-return-overdue", after).raised == 1
    assert scan("board-return-overdue", after).raised == 0
    assert len(sent_mail()) == 1
    services.return_submit(actor=world.users["erm"], board=board, data=return_prefill(board))
    assert scan("board-return-overdue", after).cleared == 1


@pytest.mark.django_db
def test_action_past_due_alerts_the_owner_and_the_erm(world):
    board = board_for(world)
    board.la_chair.user = world.users["la-manager"]
    board.la_chair.save()
    action = ActionFactory(
        meeting=MeetingFactory(board=board), owner=board.la_chair, due_date=TODAY - datetime.timedelta(days=1)
    )
    assert scan("board-actions-overdue").raised == 1
    scan("board-actions-overdue")
    alert = Alert.objects.get(check_code="board-actions-overdue")
    assert set(alert.recipients.all()) == {world.users["erm"], world.users["la-manager"]}
    assert len(sent_mail()) == 2
    services.action_update(actor=world.users["erm"], action=action, status=ActionStatus.DONE)
    assert scan("board-actions-overdue").cleared == 1


@pytest.mark.django_db
def test_transition_actions_past_due_go_to_the_erm_and_to_gpt(world):
    services.transition_seed(actor=world.users["admin"], district=world.d1, start=TODAY - relativedelta(months=6))
    result = scan("transition-actions-overdue")
    assert result.raised == 2
    erm_alert = Alert.objects.get(key="district:d1:erm")
    gpt_alert = Alert.objects.get(key="district:d1:gpt")
    assert list(erm_alert.recipients.all()) == [world.users["erm"]]
    assert list(gpt_alert.recipients.all()) == [world.users["gpt"]]
    assert scan("transition-actions-overdue").raised == 0
    for item in world.d1.transition_actions.filter(for_gpt=True):
        services.transition_complete(actor=world.users["gpt"], item=item, completed_on=TODAY)
    assert scan("transition-actions-overdue").cleared == 1
