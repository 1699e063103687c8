"""Monitoring tells the monitor of an area, and the chairs when results go to a meeting."""

import datetime

import pytest

from boards.models import MeetingStatus
from monitoring import services
from tests.boards.factories import MeetingFactory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


def test_an_area_tells_its_monitor_and_results_tell_the_chairs(setup):
    area = services.area_select(
        actor=setup.users["erm"],
        board=setup.board,
        standard=setup.standard("ADM-1"),
        local_risk="Backlog of new claims",
        monitor=setup.monitor,
    )
    [told] = [m for m in sent_mail() if m.to == [setup.monitor.email]]
    assert told.subject.startswith("You monitor ADM-1") and "Backlog of new claims" in told.body
    assert "Why you got this email: you are the monitor" in told.body

    meeting = MeetingFactory(
        board=setup.board, status=MeetingStatus.SCHEDULED, date=datetime.date.today() + datetime.timedelta(days=20)
    )
    services.results_send_to_meeting(actor=setup.monitor, plan=area.plan)
    for chair in (setup.board.jcp_chair, setup.board.la_chair):
        [results] = [m for m in sent_mail() if m.to == [chair.email]]
        assert "Monitoring results" in results.subject and meeting.get_absolute_url() in results.body


def test_a_monitor_choosing_their_own_area_is_not_emailed(setup):
    setup.area("ADM-1")
    assert not [m for m in sent_mail() if m.to == [setup.monitor.email]]
