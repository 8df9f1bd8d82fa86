"""Calendar periods (month, quarter, year) that points are inspected, totalled and published in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from webapp.core.messages import N_
from webapp.core.refusal import Refusal

PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "year")
_MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
_PATTERN = re.compile(r"^(\d{4})(?:-(Q?)(\d{1,2}))?$", re.IGNORECASE)

YearMonth = tuple[int, int]


class PeriodError(Refusal, ValueError):
    """A period key or value that names no real period."""


@dataclass(frozen=True, slots=True)
class Period:
    """A month, quarter or year; index is the month (1–12), the quarter (1–4) or 0 for a year."""

    kind: str
    year: int
    index: int

    def __post_init__(self) -> None:
        if self.kind not in _MONTHS_IN:
            raise PeriodError(N_("Unknown kind of period: %(kind)s"), kind=self.kind)
        if not 1 <= self.year <= 9999:
            raise PeriodError(N_("Year %(year)s is out of range"), year=self.year)
        top = {"month": 12, "quarter": 4, "year": 0}[self.kind]
        low = 0 if self.kind == "year" else 1
        if not low <= self.index <= top:
            if self.kind == "month":
                raise PeriodError(N_("Month must be from 1 to 12, not %(index)s"), index=self.index)
            if self.kind == "quarter":
                raise PeriodError(N_("Quarter must be from 1 to 4, not %(index)s"), index=self.index)
            raise PeriodError(N_("A year period has index 0, not %(index)s"), index=self.index)

    @classmethod
    def parse(cls, key: str) -> Period:
        """Read "2026-03", "2026-Q1" or "2026"."""
        found = _PATTERN.match(key.strip()) if isinstance(key, str) else None
        if found is None:
            raise PeriodError(
                N_("%(key)s is not a period; write 2026-03, 2026-Q1 or 2026"), key=key
            )
        year, quarter_mark, number = found.groups()
        if number is None:
            return cls("year", int(year), 0)
        return cls("quarter" if quarter_mark else "month", int(year), int(number))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The month period of a year and month."""
        return cls("month", year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The quarter period of a year and quarter number."""
        return cls("quarter", year, quarter)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        """The year period of a year."""
        return cls("year", year, 0)

    @classmethod
    def of_date(cls, kind: str, day: date) -> Period:
        """The period of the given kind that contains a day."""
        if kind == "month":
            return cls(kind, day.year, day.month)
        if kind == "quarter":
            return cls(kind, day.year, (day.month - 1) // 3 + 1)
        return cls(kind, day.year, 0)

    @property
    def key(self) -> str:
        """The text form that parse() reads back: the one place period keys are written."""
        if self.kind == "month":
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    @property
    def first_month(self) -> int:
        """The number of the period's first month."""
        if self.kind == "month":
            return self.index
        if self.kind == "quarter":
            return self.index * 3 - 2
        return 1

    @property
    def last_month(self) -> int:
        """The number of the period's last month."""
        return self.first_month + _MONTHS_IN[self.kind] - 1

    def months(self) -> tuple[YearMonth, ...]:
        """The (year, month) pairs of the period, in order."""
        return tuple((self.year, m) for m in range(self.first_month, self.last_month + 1))

    @property
    def start(self) -> date:
        """The first day of the period."""
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """The first day after the period (exclusive end)."""
        if self.last_month == 12:
            return date(self.year + 1, 1, 1)
        return date(self.year, self.last_month + 1, 1)

    def contains(self, day: date) -> bool:
        """Whether a day falls in the period."""
        return self.start <= day < self.end

    def contains_month(self, year: int, month: int) -> bool:
        """Whether a (year, month) falls in the period."""
        return year == self.year and self.first_month <= month <= self.last_month

    def __str__(self) -> str:
        return self.key


def month_key(year_month: YearMonth) -> str:
    """The period key of a (year, month) pair, e.g. "2026-03"."""
    return Period("month", *year_month).key


def keys_of_day(day: date) -> dict[str, str]:
    """The keys of the month, quarter and year a day falls in, by kind."""
    return {kind: Period.of_date(kind, day).key for kind in PERIOD_KINDS}


def periods_containing(year: int, month: int) -> tuple[Period, ...]:
    """The month, quarter and year a month falls in."""
    return tuple(Period.of_date(kind, date(year, month, 1)) for kind in PERIOD_KINDS)


@lru_cache(maxsize=4096)
def period_ending_in(kind: str, year: int, month: int) -> Period | None:
    """The inspection period of this kind that ends in the month, if any."""
    # Base points are credited when their inspection period closes, so only closing months matter.
    if kind == "month":
        return Period("month", year, month)
    if kind == "quarter":
        return Period("quarter", year, month // 3) if month % 3 == 0 else None
    if kind == "year":
        return Period("year", year, 0) if month == 12 else None
    raise PeriodError(N_("Unknown kind of period: %(kind)s"), kind=kind)


def periods_ending_in(year: int, month: int) -> tuple[Period, ...]:
    """The month, and the quarter and year when they end with it: whose inspections count in that month."""
    return tuple(p for kind in PERIOD_KINDS if (p := period_ending_in(kind, year, month)) is not None)


def keys_ending_in(months: Iterable[YearMonth]) -> set[str]:
    """Keys of the inspection periods that end in any of these (year, month) pairs."""
    return {period.key for year, month in months for period in periods_ending_in(year, month)}
