"""Period keys as the protocol writes them ("2026-11", "2026-Q4", "2026"), without the web app."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_KEY = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


def period_kind(key: str) -> str | None:
    """"month", "quarter" or "year" for a well-formed key, else None."""
    found = _KEY.match(key) if isinstance(key, str) else None
    if found is None:
        return None
    if found.group(2):
        return "month"
    return "quarter" if found.group(3) else "year"


def month_key(day: date) -> str:
    """The month period a day falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def _period_bounds(key: str) -> tuple[date, date]:
    """The first and the last day of a well-formed period key."""
    kind = period_kind(key)
    year = int(key[:4])
    if kind == "month":
        first_month, months = int(key[5:7]), 1
    elif kind == "quarter":
        first_month, months = int(key[6]) * 3 - 2, 3
    else:
        first_month, months = 1, 12
    after = first_month + months  # the month after the period, 13 meaning next January
    end = date(year + 1, 1, 1) if after == 13 else date(year, after, 1)
    return date(year, first_month, 1), end - timedelta(days=1)


def inspection_window(key: str, deadline_day: int | None) -> tuple[date, date]:
    """The first and the last local day on which an inspection for a period may be recorded: from
    the period's first day to its last, or, when the rules give a scoring deadline day, to that day
    of the next month (Fengsheng: "可在次月3日前完成评分工作", deadline day 3: November's inspections
    until 3 December, that day included)."""
    first, last = _period_bounds(key)
    if not deadline_day:
        return first, last
    start = last + timedelta(days=1)
    days = calendar.monthrange(start.year, start.month)[1]
    return first, start.replace(day=min(deadline_day, days))


def open_periods(kind: str, day: date, deadline_day: int | None) -> list[str]:
    """The periods of a kind an inspection recorded on `day` may be for: the previous one while its
    deadline lasts, then the current one (the phone's scoring.js computes the same)."""
    current = _key_of(kind, day)
    first, _ = _period_bounds(current)
    previous = _key_of(kind, first - timedelta(days=1))
    return ([previous] if day <= inspection_window(previous, deadline_day)[1] else []) + [current]


def _key_of(kind: str, day: date) -> str:
    if kind == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if kind == "year":
        return f"{day.year:04d}"
    return month_key(day)
