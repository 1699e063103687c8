"""The demo holds, for each active demo board, areas and exercises over three periods, with a miss and a short one."""

import pytest
from django.core.management import call_command

from boards.models import Board, BoardStatus
from monitoring.models import Exercise, Plan, Sample, Standard
from monitoring.selectors import exercise_results

pytestmark = pytest.mark.django_db


def test_demo_monitoring_covers_three_periods_with_a_miss_and_a_short_sample():
    call_command("load_demo", "--no-scan", verbosity=0)
    counts = (Plan.objects.count(), Exercise.objects.count(), Sample.objects.count())
    call_command("load_demo", "--no-scan", verbosity=0)
    assert (Plan.objects.count(), Exercise.objects.count(), Sample.objects.count()) == counts

    active = Board.objects.filter(status=BoardStatus.ACTIVE)
    assert active.exists()
    for board in active:
        plans = Plan.objects.filter(board=board)
        assert plans.count() == 3
        assert all(plan.areas.count() >= 3 for plan in plans)
    results = exercise_results(Exercise.objects.filter(completed_at__isnull=False))
    assert any(result.met is False for result in results)
    assert any(result.short for result in results)
    adm2 = [r for r in results if r.met is False and r.exercise.area.standard.code == "ADM-2"]
    assert adm2 and [row.met for row in adm2[0].rows] == [False, True]
    assert not Sample.objects.filter(case_reference__regex=r"^[A-Za-z]{2}\d{6}").exists()
    local = Standard.objects.get(board__isnull=False)
    assert local.board.status == BoardStatus.ACTIVE and local.target_label.startswith("95% within 3 working days")
