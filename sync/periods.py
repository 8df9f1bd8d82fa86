"""Period keys as the protocol writes them ("2026-11", "2026-Q4", "2026"), without the web app."""

from __future__ import annotations

import re
from datetime import date

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
