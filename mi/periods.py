"""Reporting quarters: the financial year's quarters, April to June first, as government performance is reported.

A quarter is named by its financial year and number ("2026-27 Q3") and written out as its months ("October to
December 2026"). In addresses and files it is its first month, "2026-10"; uploads take either form.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_FY = re.compile(r"^(?:q([1-4])\s*)?(\d{4})\s*[-/]\s*(\d{2}|\d{4})(?:\s*q([1-4]))?$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$")


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter `number` (1–4) of the financial year that starts in April of `year`."""

    year: int
    number: int

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def starting(cls, day: datetime.date) -> Quarter:
        quarter = cls.containing(day)
        if quarter.start != day:
            raise ValueError(f"{day:%-d %B %Y} is not the first day of a quarter")
        return quarter

    @classmethod
    def last_complete(cls, today: datetime.date) -> Quarter:
        return cls.containing(today).previous()

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read "2026-27 Q3", "Q3 2026-27", "2026-10" or "2026-10-01"; raise ValueError otherwise."""
        value = (text or "").strip()
        match = _FY.match(value)
        if match and (match.group(1) or match.group(4)) and not (match.group(1) and match.group(4)):
            year, end = int(match.group(2)), match.group(3)
            if int(end[-2:]) != (year + 1) % 100:
                raise ValueError(f"'{value}' is not a financial year: write it as 2026-27 Q3")
            return cls(year, int(match.group(1) or match.group(4)))
        match = _MONTH.match(value)
        if match:
            month = int(match.group(2))
            if month in (1, 4, 7, 10):
                return cls.containing(datetime.date(int(match.group(1)), month, 1))
        raise ValueError(f"'{value[:20]}' is not a quarter: write it as 2026-27 Q3 or as its first month, 2026-10")

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError("A quarter is numbered 1 to 4")

    @property
    def start(self) -> datetime.date:
        month = 4 + 3 * (self.number - 1)
        return datetime.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def back(self, count: int) -> list[Quarter]:
        """This quarter and the `count - 1` before it, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return quarters[::-1]

    @property
    def code(self) -> str:
        """The address form: the first month, "2026-10"."""
        return f"{self.start:%Y-%m}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def short(self) -> str:
        return f"{self.financial_year} Q{self.number}"

    @property
    def label(self) -> str:
        start, end = self.start, self.end
        return f"{_MONTHS[start.month - 1]} to {_MONTHS[end.month - 1]} {end.year}"

    def __str__(self) -> str:
        return self.label
