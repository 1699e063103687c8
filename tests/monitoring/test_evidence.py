"""Monitoring's evidence for the Joint Boards' management information: the exercises completed in the period."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring import evidence, services
from tests.boards.factories import board_for

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()


def _completed(setup, code, cases, board=None):
    """An exercise of `code` with `cases` as (start, end) pairs, completed today."""
    area = setup.area(code, board=board) if board else None
    exercise = setup.exercise(code, throughput=10, area=area)
    for n, (start, end) in enumerate(cases):
        services.sample_add(
            actor=setup.monitor, exercise=exercise, case_reference=f"{code}-{n}", started_on=start, ended_on=end
        )
    return services.exercise_complete(actor=setup.monitor, exercise=exercise)


def test_exercises_completed_in_the_period_are_counted_and_judged(setup):
    # ADM-3 (100% within 5 working days): one case of 6 working days misses it.
    _completed(setup, "ADM-3", [(D(2024, 1, 8), D(2024, 1, 16)), (D(2024, 1, 8), D(2024, 1, 10))])
    # ADM-1 (100% within 2 working days): met.
    _completed(setup, "ADM-1", [(D(2024, 1, 8), D(2024, 1, 9))])
    figures = evidence.figures([setup.board.pk], TODAY - datetime.timedelta(days=5), TODAY)[setup.board.pk]
    assert figures["monitoring-exercises"] == 2
    assert figures["monitoring-samples"] == 3
    assert figures["monitoring-standards"] == 2
    assert figures["monitoring-not-met"] == 1
    assert figures["monitoring-met"] == 50.0  # one threshold of each, one met
    # Before the period they were completed in, nothing counts.
    earlier = evidence.figures([setup.board.pk], TODAY - datetime.timedelta(days=60), TODAY - datetime.timedelta(1))
    assert earlier[setup.board.pk]["monitoring-exercises"] == 0

    section = evidence.section(setup.board, TODAY - datetime.timedelta(days=5), TODAY)
    results = {row[0]: row for row in section.tables[0].rows}
    assert results["ADM-3"][3:7] == ["1 of 2", "50.0%", "100%", "Not met"]
    assert results["ADM-1"][3:7] == ["1 of 1", "100.0%", "100%", "Met"]
    trend = section.tables[1]
    assert {row[0] for row in trend.rows} == {"ADM-3 100% within 5 working days", "ADM-1 100% within 2 working days"}


def test_figures_take_a_fixed_number_of_queries_for_any_number_of_boards(setup, world):
    _completed(setup, "ADM-1", [(D(2024, 1, 8), D(2024, 1, 9))])
    with CaptureQueriesContext(connection) as few:
        evidence.figures([setup.board.pk], TODAY - datetime.timedelta(days=5), TODAY)
    others = [board_for(world) for _ in range(3)]
    for board in others:
        _completed(setup, "ADM-1", [(D(2024, 1, 8), D(2024, 1, 9))], board=board)
    with CaptureQueriesContext(connection) as many:
        result = evidence.figures([setup.board.pk, *[b.pk for b in others]], TODAY - datetime.timedelta(days=5), TODAY)
    assert len(many) == len(few)
    assert all(result[b.pk]["monitoring-exercises"] == 1 for b in others)
