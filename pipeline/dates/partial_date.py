"""A date known to a given precision: a day, a month or only a year.

Analysts count by year and month, so a month-precise "2019-11" must never be widened to a
made-up day; it is stored as its first day plus the precision."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def contains(self, other: "PartialDate") -> bool:
        return self.first_day <= other.first_day and other.last_day <= self.last_day

    def compatible(self, other: "PartialDate") -> bool:
        """One contains the other: 2019-11 and 2019-11-06 may be the same incident."""
        return self.contains(other) or other.contains(self)

    @classmethod
    def of(cls, day: date, precision: str = "day") -> "PartialDate":
        if precision == "day":
            return cls(day.year, day.month, day.day)
        if precision == "month":
            return cls(day.year, day.month)
        return cls(day.year)

    @classmethod
    def spanning(cls, start: date, end: date) -> "PartialDate":
        """The most precise date that covers the whole interval [start, end]."""
        if start == end:
            return cls.of(start)
        if (start.year, start.month) == (end.year, end.month):
            return cls(start.year, start.month)
        if start.year == end.year:
            return cls(start.year)
        return cls(end.year)  # an interval across years: keep the later year, coarsely

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)  # type: ignore[arg-type]
