"""Working days: weekends and the bank holidays of the LA's nation are not working days (PA glossary note)."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

# England and Wales share a holiday list in law, but the library keeps them apart; both are asked by name.
_SUBDIVISIONS = {"ENG": "ENG", "WLS": "WLS", "SCT": "SCT", "NIR": "NIR"}


@lru_cache(maxsize=256)
def bank_holidays(nation: str, year: int) -> frozenset[datetime.date]:
    try:
        subdiv = _SUBDIVISIONS[nation]
    except KeyError:
        raise ValueError(f"Unknown nation {nation!r}: use one of {', '.join(_SUBDIVISIONS)}.") from None
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=[year]).keys())


def is_working_day(day: datetime.date, nation: str) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year)


@lru_cache(maxsize=4096)
def add_working_days(start: datetime.date, days: int, nation: str) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted); 0 gives `start`."""
    if days < 0:
        raise ValueError("Count forwards: days must not be negative.")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current, nation):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date, nation: str) -> int:
    """Working days after `start` up to and including `end`: a case started Friday and ended Monday took 1."""
    if end < start:
        raise ValueError("The end date is before the start date.")
    whole_weeks, extra = divmod((end - start).days, 7)
    count = whole_weeks * 5
    day = start + datetime.timedelta(days=whole_weeks * 7)
    for _ in range(extra):
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    for year in range(start.year, end.year + 1):
        count -= sum(1 for h in bank_holidays(nation, year) if start < h <= end and h.weekday() < 5)
    return count
