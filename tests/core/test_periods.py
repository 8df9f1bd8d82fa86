"""Periods: keys, months, bounds, and which inspection period ends in a month."""

from __future__ import annotations

from datetime import date

import pytest

from tests.refusals import refused
from webapp.core.periods import Period, PeriodError, month_key, period_ending_in


@pytest.mark.parametrize("key, kind, index", [
    ("2026-03", "month", 3), ("2026-Q1", "quarter", 1), ("2026", "year", 0), ("2026-q4", "quarter", 4),
])
def test_a_period_key_parses_and_prints_back(key, kind, index):
    """Month, quarter and year keys read into a Period whose key is the canonical text."""
    period = Period.parse(key)
    assert (period.kind, period.year, period.index) == (kind, 2026, index)
    assert Period.parse(period.key) == period
    assert period.key == key.upper()


NO_MONTH, NO_QUARTER = "Month must be from 1 to 12, not %(index)s", "Quarter must be from 1 to 4, not %(index)s"
NOT_A_PERIOD = "%(key)s is not a period; write 2026-03, 2026-Q1 or 2026"
BAD_KEYS = {"2026-13": NO_MONTH, "2026-00": NO_MONTH, "2026-Q5": NO_QUARTER, "2026-Q0": NO_QUARTER,
            "abc": NOT_A_PERIOD, "26-03": NOT_A_PERIOD, "": NOT_A_PERIOD}


@pytest.mark.parametrize("key", list(BAD_KEYS))
def test_a_bad_period_key_is_refused_with_a_message(key):
    """A key naming no real period raises PeriodError carrying a msgid and an English text."""
    with refused(BAD_KEYS[key], PeriodError) as caught:
        Period.parse(key)
    assert "%(" not in str(caught.value)


def test_a_quarter_spans_three_months_with_an_exclusive_end():
    """Q2 is April–June: it starts on 1 April and ends (exclusive) on 1 July."""
    q2 = Period.parse("2026-Q2")
    assert q2.months() == ((2026, 4), (2026, 5), (2026, 6))
    assert (q2.start, q2.end, q2.last_month) == (date(2026, 4, 1), date(2026, 7, 1), 6)
    assert q2.contains(date(2026, 6, 30)) and not q2.contains(date(2026, 7, 1))


def test_a_year_ends_on_the_first_day_of_the_next_year():
    """The year 2026 runs from 1 January 2026 to 1 January 2027 (exclusive) and has 12 months."""
    year = Period.whole_year(2026)
    assert (year.start, year.end, len(year.months()), year.last_month) == (date(2026, 1, 1), date(2027, 1, 1), 12, 12)


def test_of_date_finds_the_period_containing_a_day():
    """14 August 2026 lies in 2026-08, 2026-Q3 and 2026."""
    day = date(2026, 8, 14)
    assert [Period.of_date(k, day).key for k in ("month", "quarter", "year")] == ["2026-08", "2026-Q3", "2026"]
    assert Period.month(2026, 8) == Period.of_date("month", day)


def test_month_key_pads_the_month():
    """(2026, 3) is written 2026-03."""
    assert month_key((2026, 3)) == "2026-03"


@pytest.mark.parametrize("kind, month, expected", [
    ("month", 5, "2026-05"), ("quarter", 3, "2026-Q1"), ("quarter", 4, None), ("quarter", 12, "2026-Q4"),
    ("year", 11, None), ("year", 12, "2026"),
])
def test_an_inspection_period_ends_only_in_its_last_month(kind, month, expected):
    """Quarters end in March, June, September and December; the year ends in December."""
    found = period_ending_in(kind, 2026, month)
    assert (found.key if found else None) == expected
