"""Working days on each nation's calendar, and every threshold edge: exactly N days is within, N+1 is not."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from liaison.calendar import working_days_between
from monitoring import services
from monitoring.models import Exercise, Sample
from monitoring.selectors import exercise_results, open_past_cutoff
from tests.factories import LocalAuthorityFactory

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "nation", "expected"),
    [
        (D(2024, 1, 5), D(2024, 1, 8), "ENG", 1),  # Friday to Monday
        (D(2024, 12, 24), D(2024, 12, 27), "ENG", 1),  # Christmas and Boxing Day
        (D(2024, 12, 31), D(2025, 1, 3), "ENG", 2),  # New Year's Day
        (D(2024, 12, 31), D(2025, 1, 3), "SCT", 1),  # and 2 January in Scotland
        (D(2023, 11, 29), D(2023, 12, 1), "SCT", 1),  # St Andrew's Day, Thursday 30 November 2023
        (D(2023, 11, 29), D(2023, 12, 1), "ENG", 2),
        (D(2024, 7, 11), D(2024, 7, 15), "NIR", 1),  # 12 July (Friday) in Northern Ireland
        (D(2024, 7, 11), D(2024, 7, 15), "ENG", 2),
        (D(2024, 3, 15), D(2024, 3, 19), "NIR", 1),  # St Patrick's Day, observed Monday 18 March 2024
    ],
)
def test_working_days_by_nation(start, end, nation, expected):
    assert working_days_between(start, end, nation) == expected


def _add(setup, exercise, reference, start, end=None, compliant=None):
    return services.sample_add(
        actor=setup.monitor, exercise=exercise, case_reference=reference, started_on=start, ended_on=end,
        compliant=compliant,
    )  # fmt: skip


def test_working_days_are_stored_on_the_las_nation_calendar(setup):
    scottish = LocalAuthorityFactory(nation="SCT", districts=[setup.world.d1])
    setup.board.local_authorities.add(scottish)
    exercise = setup.exercise(authority=scottish)
    sample = _add(setup, exercise, "CASE-1", D(2024, 12, 31), D(2025, 1, 3))
    assert Sample.objects.get(pk=sample.pk).working_days == 1
    english = setup.exercise(area=exercise.area)
    assert _add(setup, english, "CASE-1", D(2024, 12, 31), D(2025, 1, 3)).working_days == 2


@pytest.mark.django_db
def test_exactly_n_is_within_and_n_plus_one_is_not(setup):
    exercise = setup.exercise("ADM-3")  # 100% within 5 working days
    # Monday 8 January 2024: 5 working days later is Monday 15 January.
    _add(setup, exercise, "EXACT", D(2024, 1, 8), D(2024, 1, 15))
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    assert (result.rows[0].within, result.rows[0].decided, result.rows[0].met) == (1, 1, True)
    _add(setup, exercise, "LATE", D(2024, 1, 8), D(2024, 1, 16))
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    row = result.rows[0]
    assert (row.within, row.decided, row.percent, row.target_percent, row.met) == (1, 2, 50.0, 100, False)


def test_adm2_fails_one_of_its_two_thresholds(setup):
    exercise = setup.exercise("ADM-2")  # 90% within 2 and 100% within 5
    for n in range(8):
        _add(setup, exercise, f"FAST-{n}", D(2024, 1, 8), D(2024, 1, 10))  # 2 working days
    _add(setup, exercise, "SLOW-1", D(2024, 1, 8), D(2024, 1, 12))  # 4 working days
    _add(setup, exercise, "SLOW-2", D(2024, 1, 8), D(2024, 1, 15))  # 5 working days
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    two, five = result.rows
    assert (two.within, two.decided, two.percent, two.met) == (8, 10, 80.0, False)
    assert (five.within, five.decided, five.percent, five.met) == (10, 10, 100.0, True)
    assert result.met is False


def test_open_cases_past_target_count_against_it(setup):
    exercise = setup.exercise("ADM-3")
    today = datetime.date.today()
    cutoff = open_past_cutoff(today, 5, "ENG")
    assert working_days_between(cutoff, today, "ENG") == 5
    assert working_days_between(cutoff - datetime.timedelta(days=1), today, "ENG") >= 6
    _add(setup, exercise, "OPEN-ON-TIME", cutoff)
    _add(setup, exercise, "OPEN-LATE", cutoff - datetime.timedelta(days=1))
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    row = result.rows[0]
    assert (result.samples, result.open, row.open_past, row.decided, row.within) == (2, 2, 1, 1, 0)


def test_compliance_results(setup):
    exercise = setup.exercise("ADM-8")
    _add(setup, exercise, "C-1", D(2024, 1, 8), D(2024, 1, 9), compliant=True)
    _add(setup, exercise, "C-2", D(2024, 1, 8), D(2024, 1, 9), compliant=False)
    with pytest.raises(ValidationError) as raised:
        _add(setup, exercise, "C-3", D(2024, 1, 8), D(2024, 1, 9))
    assert "compliant" in raised.value.message_dict
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    assert (result.rows[0].within, result.rows[0].decided, result.rows[0].met) == (1, 2, False)


@pytest.mark.parametrize("reference", ["AB123456C", "ab 12 34 56 c", "AB123456", "  qq 123456  "])
def test_nino_shaped_references_are_refused(setup, reference):
    exercise = setup.exercise()
    with pytest.raises(ValidationError) as raised:
        _add(setup, exercise, reference, D(2024, 1, 8), D(2024, 1, 9))
    assert "National Insurance" in raised.value.message_dict["case_reference"][0]
    assert not Sample.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, None, "started_on"),
        (D(2024, 1, 9), D(2024, 1, 8), "ended_on"),
        (datetime.date.today() + datetime.timedelta(days=30), None, "started_on"),
        (D(2024, 1, 9), datetime.date.today() + datetime.timedelta(days=30), "ended_on"),
    ],
)
def test_bad_samples_are_refused(setup, start, end, field):
    exercise = setup.exercise()
    with pytest.raises(ValidationError) as raised:
        _add(setup, exercise, "REF-1", start, end)
    assert field in raised.value.message_dict
    assert not Sample.objects.exists()


def test_duplicate_reference_is_refused(setup):
    exercise = setup.exercise()
    _add(setup, exercise, "REF-1", D(2024, 1, 8), D(2024, 1, 9))
    with pytest.raises(ValidationError):
        _add(setup, exercise, "ref-1", D(2024, 1, 8), D(2024, 1, 9))
    assert Sample.objects.count() == 1


def test_sample_size_is_two_and_a_half_percent_rounded_up(setup):
    area = setup.area("ADM-5")
    assert setup.exercise(area=area, throughput=0).required_size == 1
    assert setup.exercise(area=area, throughput=40).required_size == 1
    assert setup.exercise(area=area, throughput=41).required_size == 2
    smaller = setup.exercise(area=area, throughput=4000, agreed_size=50, agreed_size_reason="Large BDC")
    assert (smaller.proposed_size, smaller.required_size) == (100, 50)
    with pytest.raises(ValidationError) as raised:
        setup.exercise(area=area, throughput=4000, agreed_size=50)
    assert "agreed_size_reason" in raised.value.message_dict


def test_closing_an_open_case_stores_its_working_days(setup):
    exercise = setup.exercise()
    sample = _add(setup, exercise, "OPEN", D(2024, 1, 5))
    assert sample.working_days is None
    services.sample_close(actor=setup.monitor, sample=sample, ended_on=D(2024, 1, 8))
    assert Sample.objects.get(pk=sample.pk).working_days == 1
