"""Signing's evidence for the Joint Boards' management information: sealed, awaiting, late."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements import evidence
from agreements.models import DocumentKind, Side
from tests.boards.factories import board_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_sealed_awaiting_and_late_documents_are_counted(signing, world):
    sealed = signing.prepare()
    signing.sign(sealed, "la-manager", Side.LA)
    signing.sign(sealed, "district-manager", Side.JCP)
    # Awaiting both: the 2008 agreement's period has long begun, but it ended over a year ago, so it is history.
    signing.prepare(period_start=datetime.date(2009, 4, 1), period_end=datetime.date(2010, 3, 31))
    figures = evidence.figures([signing.board.pk], TODAY - datetime.timedelta(days=7), TODAY)[signing.board.pk]
    assert figures["agreements-sealed"] == 1
    assert figures["agreements-awaiting"] == 1
    assert figures["agreements-late"] == 0
    assert (
        evidence.figures([signing.board.pk], TODAY - datetime.timedelta(days=60), TODAY - datetime.timedelta(8))[
            signing.board.pk
        ]["agreements-sealed"]
        == 0
    )

    # A current agreement's Statement of Intent whose period has begun, unsigned: late.
    signing.agreement.period_end = TODAY + datetime.timedelta(days=400)
    signing.agreement.save()
    figures = evidence.figures([signing.board.pk], TODAY - datetime.timedelta(days=7), TODAY)[signing.board.pk]
    assert figures["agreements-late"] == 1

    section = evidence.section(signing.board, TODAY - datetime.timedelta(days=7), TODAY)
    states = [row[3] for row in section.tables[0].rows]
    assert f"Sealed {TODAY:%-d %B %Y}" in states
    assert "Awaiting signatures, late" in states


def test_an_end_of_year_sign_off_is_late_after_30_april(signing):
    signing.agreement.period_end = TODAY + datetime.timedelta(days=400)
    signing.agreement.save()
    year = TODAY.year - 1 if datetime.date(TODAY.year, 4, 30) < TODAY else TODAY.year - 2
    signing.prepare(
        kind=DocumentKind.END_OF_YEAR,
        period_start=datetime.date(year - 1, 4, 1),
        period_end=datetime.date(year, 3, 31),
    )
    late = evidence.figures([signing.board.pk], TODAY, TODAY)[signing.board.pk]["agreements-late"]
    assert late == 1


def test_figures_take_a_fixed_number_of_queries_for_any_number_of_boards(signing, world):
    signing.prepare()
    with CaptureQueriesContext(connection) as few:
        evidence.figures([signing.board.pk], TODAY, TODAY)
    others = [board_for(world) for _ in range(4)]
    with CaptureQueriesContext(connection) as many:
        evidence.figures([signing.board.pk, *[b.pk for b in others]], TODAY, TODAY)
    assert len(many) == len(few)
