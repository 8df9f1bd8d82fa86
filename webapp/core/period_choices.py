"""The periods a person can pick on a household page."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from webapp.core.periods import Period


def period_label(period: Period | str) -> str:
    """A period (or its key) in words: 2026年3月 / 2026年第1季度 / 2026年."""
    if isinstance(period, str):
        period = Period.parse(period)
    if period.kind == "month":
        return _("%(year)s-%(month)02d", year=period.year, month=period.index)
    if period.kind == "quarter":
        return _("%(year)s Q%(quarter)s", year=period.year, quarter=period.index)
    return _("Year %(year)s", year=period.year)


def period_choices(today: date) -> list[tuple[str, str]]:
    """This year's and last year's months (newest first), quarters and years."""
    months = [Period.month(y, m) for y in (today.year, today.year - 1) for m in range(12, 0, -1)
              if (y, m) <= (today.year, today.month)]
    quarters = [Period("quarter", y, q) for y in (today.year, today.year - 1) for q in range(4, 0, -1)
                if (y, (q - 1) * 3 + 1) <= (today.year, today.month)]
    years = [Period("year", today.year, 0), Period("year", today.year - 1, 0)]
    return [(p.key, period_label(p)) for p in months + quarters + years]


def default_period(today: date) -> Period:
    """Last month: the month scored at its end and published by the 10th (the current one is in progress)."""
    return Period.month(today.year, today.month - 1) if today.month > 1 else Period.month(today.year - 1, 12)
