"""Once-per-month/year limits, year-end accruals and caps: what a year remembers between its months.

The engine (points.py) applies these to the tallies a limit, a cap or a deferral concerns, in
scheme order, so that the result never depends on the order of the input tallies.
"""

from __future__ import annotations

from decimal import Decimal

from webapp.points.domain.scheme import ZERO, CapRule, ItemRule

ONE = Decimal(1)
_Key = tuple[str, "int | None"]


class YearUse:
    """What a year remembers between months: once-a-year use, year-cap use, year-end accruals."""

    __slots__ = ("once", "cap_used", "accrued")

    def __init__(self) -> None:
        self.once: dict[_Key, Decimal] = {}
        self.cap_used: dict[str, Decimal] = {}
        # (code, member) -> list of [item, quantity, count, units], one per item version.
        self.accrued: dict[_Key, list[list]] = {}


def version_key(entry: list) -> tuple:
    """Sorts the versions of one item in a month by content, not by arrival."""
    item = entry[0]
    return (item.points, item.name, item.per, item.credit, item.scope, item.kind, item.category_code)


def apply_limits(month: int, groups: dict[tuple, list[list]], state: YearUse) -> list[tuple]:
    """Apply once-per-month/year limits in scheme order; accrue year-end items."""
    work: list[tuple] = []
    once_this_month: dict[_Key, Decimal] = {}
    for key in sorted(groups):
        member = key[3] if key[2] else None
        # Usage is per item code and member, whatever the position of the code this month.
        once_key = (key[1], member)
        for item, quantity, count in groups[key]:
            per = item.per
            if per == "event" or item.kind == "freeze":
                units = quantity
            else:
                used_by = once_this_month if per == "month" else state.once
                used = used_by.get(once_key, ZERO)
                units = min(max(quantity, ZERO), ONE - used)
                used_by[once_key] = used + units
            if item.credit != "year_end":
                work.append((member, item, quantity, count, units, False, key[0]))
                continue
            _accrue(state, once_key, item, quantity, count, units)
            if month < 12:
                work.append((member, item, quantity, count, units, True, key[0]))
    return work


def _accrue(state: YearUse, key: _Key, item: ItemRule, quantity: Decimal, count: int, units: Decimal) -> None:
    entries = state.accrued.setdefault(key, [])
    for entry in entries:
        if entry[0] is item or entry[0] == item:
            entry[1] += quantity
            entry[2] += count
            entry[3] += units
            return
    entries.append([item, quantity, count, units])
    entries.sort(key=version_key)


def apply_caps(
    caps: tuple[CapRule, ...], amount: Decimal, month_used: dict[str, Decimal], year_used: dict[str, Decimal],
) -> tuple[Decimal, CapRule | None]:
    """Cut amount to the room its caps have left; return what counts and the cap that bit."""
    negative = amount < 0
    size = -amount if negative else amount
    biting = None
    bounding = []
    for cap in caps:
        # A cap bounds one direction; a reversal (a bonus taken back) passes through untouched.
        if (cap.kind == "deduction") != negative:
            continue
        used_by = month_used if cap.per == "month" else year_used
        bounding.append((cap, used_by))
        room = cap.max - used_by.get(cap.tag, ZERO)
        if room < size:
            size, biting = max(room, ZERO), cap
    for cap, used_by in bounding:
        used_by[cap.tag] = used_by.get(cap.tag, ZERO) + size
    return (-size if negative else size), biting
