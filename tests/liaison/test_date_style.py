"""Dates in running text are written in full, "2 December 2026" (GOV.UK style); tables may use "2 Dec 2026"."""

import re

import pytest
from django.core.management import call_command

from agreements.models import SigningDocument
from boards.models import Board, Meeting
from escalation.models import Issue
from monitoring.models import Exercise

pytestmark = pytest.mark.django_db

# "May" is the same written in full, so it is never a short month.
SHORT_DATE = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
TABLES = re.compile(r"<table\b.*?</table>", re.DOTALL)


def test_no_page_writes_a_short_month_outside_a_table(client):
    call_command("load_demo", "--no-scan", verbosity=0)
    board = Board.objects.get(title="Greater Manchester Joint Board")
    pages = {
        "erm": [
            "/",
            "/districts/greater-manchester-central/",
            board.get_absolute_url(),
            Meeting.objects.filter(board=board, status="held").order_by("-date").first().get_absolute_url(),
            f"/boards/{board.pk}/monitoring/",
            Exercise.objects.filter(area__plan__board=board).first().get_absolute_url(),
            "/issues/",
            Issue.objects.filter(district__code="greater-manchester-central").first().get_absolute_url(),
            SigningDocument.objects.filter(status="sealed").first().get_absolute_url(),
            "/activity/",
            "/contacts/",
        ],
        "la-manager": ["/", "/authorities/E08000003/", "/agreements/"],
    }
    for username, paths in pages.items():
        client.login(username=username, password="liaison")
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            outside_tables = TABLES.sub("", response.content.decode())
            found = SHORT_DATE.findall(outside_tables)
            assert not found, f"{path} writes {found[:3]} outside a table"


def test_the_govuk_filters_write_dates_and_times_as_govuk_does():
    import datetime

    from liaison.templatetags.govuk import govuk_date, govuk_datetime, govuk_time

    moment = datetime.datetime(2026, 12, 2, 17, 49)
    assert govuk_date(moment) == "2 December 2026" and govuk_date(moment, "short") == "2 Dec 2026"
    assert govuk_time(moment) == "5:49pm" and govuk_time(datetime.time(12, 0)) == "midday"
    assert govuk_time(datetime.time(0, 0)) == "midnight" and govuk_time(datetime.time(9, 5)) == "9:05am"
    assert govuk_datetime(moment) == "2 December 2026 at 5:49pm"
    assert govuk_date(None) == ""
