"""The days the rules set for a village's work: when a period's results must be on the board, when its
inspections must be done, the next redemption day, and which periods the rules cover at all.

Pure: the town's dispatch ("published on time") and the committee's to-do home read the same rules.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from webapp.core.periods import Period

# The results of a month are on the board by this day of the next month unless the rules say otherwise
# (Fengsheng: publish_by_day 10, "于每月10日前在村务公开栏更新积分情况").
DEFAULT_PUBLISH_BY_DAY = 10


def _day_of_next_month(year: int, month: int, day: int) -> date:
    """The `day` of the month after (year, month), clipped to that month's length."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def publish_deadline(year: int, month: int, publish_by_day: int | None) -> date:
    """The last day the month's results may go on the board: the rules' day of the next month (clipped to
    that month's length), the 10th when the rules name none."""
    return _day_of_next_month(year, month, publish_by_day or DEFAULT_PUBLISH_BY_DAY)


def period_publish_deadline(period: Period, publish_by_day: int | None) -> date:
    """A month's, quarter's or year's deadline: the rules' day of the month after its last month."""
    return publish_deadline(period.year, period.last_month, publish_by_day)


def inspection_deadline(period: Period, scoring_deadline_day: int | None) -> date:
    """The last day a period's inspections may be done: its last day, or the rules' day of the next month
    (Fengsheng: "评分时间为每月底进行…可在次月3日前完成评分工作")."""
    if scoring_deadline_day:
        return _day_of_next_month(period.year, period.last_month, scoring_deadline_day)
    return period.end - timedelta(days=1)


def next_day_of_month(today: date, day: int) -> date:
    """The next `day` of a month from today on (today included), clipped to short months."""
    this_month = date(today.year, today.month, min(day, calendar.monthrange(today.year, today.month)[1]))
    return this_month if this_month >= today else _day_of_next_month(today.year, today.month, day)


def rules_cover(period: Period, first_effective: date) -> bool:
    """Whether the rules were in force on any day of the period: a period that ended before the village's
    first rules took effect has nothing to rank and cannot be closed."""
    return period.end > first_effective
