"""Scan checks of monitoring raise once and clear when the condition clears."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from liaison.alerts import scan_deadlines
from liaison.models import Alert
from monitoring import services
from monitoring.models import Exercise

D = datetime.date


def scan(code):
    return scan_deadlines(codes=[code])


def test_fewer_than_three_areas_raises_and_clears(setup):
    first = scan("monitoring-too-few-areas")
    assert first.raised == 1
    alert = Alert.objects.open().get(check_code="monitoring-too-few-areas")
    assert setup.board.title in alert.title
    recipients = {d.user for d in alert.deliveries.all()}
    assert {setup.users["erm"], setup.monitor} <= recipients
    assert scan("monitoring-too-few-areas").raised == 0
    for code in ("ADM-1", "ADM-2", "ADM-8"):
        setup.area(code)
    assert scan("monitoring-too-few-areas").cleared == 1
    assert not Alert.objects.open().filter(check_code="monitoring-too-few-areas").exists()


def test_no_monitoring_in_six_months_raises_and_clears(setup):
    assert scan("monitoring-none-in-6-months").raised == 1
    exercise = setup.exercise("ADM-1", throughput=10)
    services.sample_add(
        actor=setup.monitor, exercise=exercise, case_reference="A-1", started_on=D(2024, 1, 8), ended_on=D(2024, 1, 9)
    )
    services.exercise_complete(actor=setup.monitor, exercise=exercise)
    assert scan("monitoring-none-in-6-months").cleared == 1


def test_standard_not_met_goes_to_the_chairs_and_erm_and_clears_when_met(setup):
    chair_user = setup.users["district-manager"]
    setup.board.jcp_chair.user = chair_user
    setup.board.jcp_chair.save()
    exercise = setup.exercise("ADM-3", throughput=10)
    late = services.sample_add(
        actor=setup.monitor, exercise=exercise, case_reference="LATE-1", started_on=D(2024, 1, 8)
    )
    services.sample_close(actor=setup.monitor, sample=late, ended_on=D(2024, 1, 16))  # 6 working days
    assert scan("monitoring-standard-not-met").raised == 0  # not completed yet
    services.exercise_complete(actor=setup.monitor, exercise=exercise)
    assert scan("monitoring-standard-not-met").raised == 1
    alert = Alert.objects.open().get(check_code="monitoring-standard-not-met")
    assert "ADM-3 not met" in alert.title
    assert {chair_user, setup.users["erm"]} <= {d.user for d in alert.deliveries.all()}
    assert scan("monitoring-standard-not-met").raised == 0
    services.sample_close(actor=setup.monitor, sample=late, ended_on=D(2024, 1, 15))  # corrected: 5 working days
    assert scan("monitoring-standard-not-met").cleared == 1


def test_short_sample_raises_and_clears(setup):
    exercise = setup.exercise("ADM-1", throughput=80)  # 2 cases required
    services.sample_add(actor=setup.monitor, exercise=exercise, case_reference="A-1", started_on=D(2024, 1, 8))
    services.exercise_complete(actor=setup.monitor, exercise=exercise)
    assert scan("monitoring-sample-short").raised == 1
    alert = Alert.objects.open().get(check_code="monitoring-sample-short")
    assert "sampled 1 of 2" in alert.title
    services.sample_add(actor=setup.monitor, exercise=exercise, case_reference="B-1", started_on=D(2024, 1, 8))
    assert Exercise.objects.get(pk=exercise.pk).samples.count() == 2
    assert scan("monitoring-sample-short").cleared == 1


def test_a_short_sample_more_than_12_months_old_is_history_not_an_alert(setup):
    exercise = setup.exercise("ADM-1", throughput=80)  # 2 cases required
    services.sample_add(actor=setup.monitor, exercise=exercise, case_reference="A-1", started_on=D(2024, 1, 8))
    services.exercise_complete(actor=setup.monitor, exercise=exercise)
    Exercise.objects.filter(pk=exercise.pk).update(completed_at=timezone.now() - relativedelta(months=13))
    assert scan("monitoring-sample-short").raised == 0
