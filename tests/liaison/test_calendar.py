import datetime
import random

import pytest

from liaison.calendar import add_working_days, bank_holidays, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "nation", "expected"),
    [
        # Christmas 2026: Friday 25th, Boxing Day on Saturday is observed on Monday 28th everywhere.
        (D(2026, 12, 18), 5, "ENG", D(2026, 12, 29)),
        (D(2026, 12, 24), 1, "SCT", D(2026, 12, 29)),
        # Scotland keeps 2 January; England does not.
        (D(2025, 12, 31), 1, "SCT", D(2026, 1, 5)),
        (D(2025, 12, 31), 1, "ENG", D(2026, 1, 2)),
        # St Andrew's Day, Monday 30 November 2026, only in Scotland.
        (D(2026, 11, 27), 1, "SCT", D(2026, 12, 1)),
        (D(2026, 11, 27), 1, "ENG", D(2026, 11, 30)),
        # 12 July 2026 falls on a Sunday: Northern Ireland observes Monday 13th.
        (D(2026, 7, 10), 1, "NIR", D(2026, 7, 14)),
        (D(2026, 7, 10), 1, "ENG", D(2026, 7, 13)),
        # St Patrick's Day, Tuesday 17 March 2026, only in Northern Ireland.
        (D(2026, 3, 16), 1, "NIR", D(2026, 3, 18)),
        # Easter Monday is a holiday in England and Wales but not in Scotland.
        (D(2026, 4, 2), 1, "WLS", D(2026, 4, 7)),
        (D(2026, 4, 2), 1, "SCT", D(2026, 4, 6)),
        # Summer bank holidays differ: first Monday of August in Scotland, last Monday elsewhere.
        (D(2026, 7, 31), 1, "SCT", D(2026, 8, 4)),
        (D(2026, 8, 28), 1, "ENG", D(2026, 9, 1)),
        # A weekend is never a working day; zero days is the start itself.
        (D(2026, 11, 20), 1, "ENG", D(2026, 11, 23)),
        (D(2026, 11, 21), 0, "ENG", D(2026, 11, 21)),
    ],
)
def test_add_working_days(start, days, nation, expected):
    assert add_working_days(start, days, nation) == expected


@pytest.mark.parametrize(
    ("start", "end", "nation", "expected"),
    [
        (D(2026, 11, 20), D(2026, 11, 23), "ENG", 1),  # Friday to Monday
        (D(2026, 11, 23), D(2026, 11, 23), "ENG", 0),
        (D(2026, 11, 27), D(2026, 12, 1), "SCT", 1),
        (D(2026, 11, 27), D(2026, 12, 1), "ENG", 2),
        (D(2026, 12, 18), D(2027, 1, 8), "ENG", 12),  # across Christmas and New Year
        (D(2026, 12, 18), D(2027, 1, 8), "SCT", 11),  # Scotland adds 4 January 2027 (2 January is a Saturday)
        (D(2026, 7, 1), D(2026, 7, 31), "NIR", 21),
        (D(2026, 7, 1), D(2026, 7, 31), "ENG", 22),
    ],
)
def test_working_days_between(start, end, nation, expected):
    assert working_days_between(start, end, nation) == expected


def test_end_before_start_is_refused():
    with pytest.raises(ValueError, match="before the start"):
        working_days_between(D(2026, 1, 10), D(2026, 1, 9), "ENG")


def test_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="Unknown nation"):
        is_working_day(D(2026, 1, 9), "XX")


def test_counting_agrees_with_a_day_by_day_walk():
    """The week-at-a-time count must agree with the obvious walk, over many spans and every nation."""
    rng = random.Random(20261122)
    for _ in range(300):
        nation = rng.choice(["ENG", "WLS", "SCT", "NIR"])
        start = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(0, 900))
        end = start + datetime.timedelta(days=rng.randrange(0, 120))
        walked = sum(
            1 for n in range(1, (end - start).days + 1) if is_working_day(start + datetime.timedelta(days=n), nation)
        )
        assert working_days_between(start, end, nation) == walked
        target = add_working_days(start, walked, nation)
        assert working_days_between(start, target, nation) == walked
        assert target <= end


def test_bank_holidays_are_per_nation():
    assert D(2026, 11, 30) in bank_holidays("SCT", 2026)
    assert D(2026, 11, 30) not in bank_holidays("ENG", 2026)
    assert D(2026, 3, 17) in bank_holidays("NIR", 2026)
