"""Working days on each nation's calendar, and every threshold edge: exactly N days is within, N+1 is not."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from liaison.calendar import working_days_between
from monitoring import services
from monitoring.models import Exercise, Sample, proposed_sample_size
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
        (D(2024, 12, 20), D(2025, 1, 3), "ENG", 7),  # Christmas to New Year: 25, 26 December and 1 January
        (D(2024, 12, 20), D(2025, 1, 3), "SCT", 6),  # and 2 January in Scotland
        (D(2026, 12, 24), D(2026, 12, 29), "WLS", 1),  # Boxing Day on a Saturday: Monday 28 December off
        (D(2024, 11, 29), D(2024, 12, 3), "SCT", 1),  # St Andrew's Day on a Saturday: Monday 2 December off
        (D(2024, 11, 29), D(2024, 12, 3), "ENG", 2),
        (D(2025, 7, 11), D(2025, 7, 15), "NIR", 1),  # 12 July on a Saturday: Monday 14 July off
        (D(2025, 7, 11), D(2025, 7, 15), "SCT", 2),
        (D(2024, 3, 28), D(2024, 4, 2), "ENG", 1),  # Good Friday and Easter Monday
        (D(2024, 3, 28), D(2024, 4, 2), "SCT", 2),  # Easter Monday is a working day in Scotland
        (D(2024, 1, 8), D(2024, 1, 8), "ENG", 0),  # ended the day it started
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
    _add(setup, exercise, "EXACT-1", D(2024, 1, 8), D(2024, 1, 15))
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    assert (result.rows[0].within, result.rows[0].decided, result.rows[0].met) == (1, 1, True)
    _add(setup, exercise, "LATE-1", D(2024, 1, 8), D(2024, 1, 16))
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    row = result.rows[0]
    assert (row.within, row.decided, row.percent, row.target_percent, row.met) == (1, 2, 50.0, 100, False)


@pytest.mark.parametrize(
    ("code", "nation", "start", "end", "within"),
    [
        # ADM-2's two thresholds (2 and 5 working days), each at N and N+1, from Monday 8 January 2024.
        ("ADM-2", "ENG", D(2024, 1, 8), D(2024, 1, 10), [True, True]),  # 2
        ("ADM-2", "ENG", D(2024, 1, 8), D(2024, 1, 11), [False, True]),  # 3
        ("ADM-2", "ENG", D(2024, 1, 8), D(2024, 1, 15), [False, True]),  # 5
        ("ADM-2", "ENG", D(2024, 1, 8), D(2024, 1, 16), [False, False]),  # 6
        # Across Christmas: Monday 23 to Friday 27 December 2024 is 2 working days, to Monday 30th 3.
        ("ADM-1", "ENG", D(2024, 12, 23), D(2024, 12, 27), [True]),
        ("ADM-1", "ENG", D(2024, 12, 23), D(2024, 12, 30), [False]),
        # 2 January in Scotland: Monday 30 December 2024 to Friday 3 January 2025 is 2 there, 3 in England.
        ("ADM-1", "SCT", D(2024, 12, 30), D(2025, 1, 3), [True]),
        ("ADM-1", "ENG", D(2024, 12, 30), D(2025, 1, 3), [False]),
        # 12 July in Northern Ireland: Wednesday 10 to Monday 15 July 2024 is 2 there, 3 in England.
        ("ADM-1", "NIR", D(2024, 7, 10), D(2024, 7, 15), [True]),
        ("ADM-1", "ENG", D(2024, 7, 10), D(2024, 7, 15), [False]),
        # St Andrew's Day: Wednesday 29 November to Monday 4 December 2023 is 2 in Scotland, 3 in England.
        ("ADM-1", "SCT", D(2023, 11, 29), D(2023, 12, 4), [True]),
        ("ADM-1", "ENG", D(2023, 11, 29), D(2023, 12, 4), [False]),
    ],
)
def test_threshold_edges_on_each_nations_calendar(setup, code, nation, start, end, within):
    authority = LocalAuthorityFactory(nation=nation, districts=[setup.world.d1])
    setup.board.local_authorities.add(authority)
    exercise = setup.exercise(code, authority=authority)
    _add(setup, exercise, "EDGE-1", start, end)
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    assert [row.within == 1 for row in result.rows] == within
    assert [row.decided for row in result.rows] == [1] * len(within)
    assert [row.met for row in result.rows] == within


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
    _add(setup, exercise, "OPEN-ON-TIME-1", cutoff)
    _add(setup, exercise, "OPEN-LATE-1", cutoff - datetime.timedelta(days=1))
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


@pytest.mark.parametrize(
    ("throughput", "size"), [(0, 1), (1, 1), (40, 1), (41, 2), (80, 2), (81, 3), (400, 10), (401, 11), (4000, 100)]
)
def test_proposed_sample_size(throughput, size):
    assert proposed_sample_size(throughput) == size


@pytest.mark.parametrize(
    ("agreed", "reason", "field"),
    [(100, "Large BDC", "agreed_size"), (150, "Large BDC", "agreed_size"), (0, "Large BDC", "agreed_size"),
     (50, "  ", "agreed_size_reason")],
)  # fmt: skip
def test_a_smaller_agreed_size_must_be_smaller_with_a_reason(setup, agreed, reason, field):
    with pytest.raises(ValidationError) as raised:
        setup.exercise("ADM-5", throughput=4000, agreed_size=agreed, agreed_size_reason=reason)
    assert field in raised.value.message_dict
    assert not Exercise.objects.exists()


def test_sample_size_is_two_and_a_half_percent_rounded_up(setup):
    area = setup.area("ADM-5")
    with pytest.raises(ValidationError, match="at least 1"):
        setup.exercise(area=area, throughput=0)
    assert setup.exercise(area=area, throughput=1).required_size == 1
    assert setup.exercise(area=area, throughput=40).required_size == 1
    assert setup.exercise(area=area, throughput=41).required_size == 2
    smaller = setup.exercise(area=area, throughput=4000, agreed_size=50, agreed_size_reason="Large BDC")
    assert (smaller.proposed_size, smaller.required_size) == (100, 50)
    with pytest.raises(ValidationError) as raised:
        setup.exercise(area=area, throughput=4000, agreed_size=50)
    assert "agreed_size_reason" in raised.value.message_dict


def test_closing_an_open_case_stores_its_working_days(setup):
    exercise = setup.exercise()
    sample = _add(setup, exercise, "OPEN-1", D(2024, 1, 5))
    assert sample.working_days is None
    services.sample_close(actor=setup.monitor, sample=sample, ended_on=D(2024, 1, 8))
    assert Sample.objects.get(pk=sample.pk).working_days == 1
