"""The base period: what a base category is worth, and how inspections more frequent than it combine.

A scheme's base points are its value over its **base period**: the longest inspection period
among its base categories (the loader already checks that the categories add up to the scheme's
base, which only makes sense over that period). Fengsheng inspects every category monthly, so its
base period is the month and each month's base accrues (逐月累加). The 140-point plan inspects
two categories quarterly and three yearly, so its base period is the year: "总基础分值140分，每个
自然年度汇总一次". A category inspected more often than the base period is worth, over that
period, the **average** of the inspections that took place in it:

- an inspection "took place" in a quarter when the village held it (any household of the village
  has a counted inspection of that quarter); a quarter the village skipped is left out, since the
  seed asks for one only "原则上每季度开展一次";
- in a quarter that took place, a household that was not inspected or did not meet a standard
  has 0 for it, and that 0 is part of the average: meeting the daily aspects in two quarters of
  four gives half their value, never the full 40.

Each inspection's own month (and so its quarter's statement) still shows it on its own scale
(40); statements over a longer period show the average, and `MonthStatement.earned` carries the
ledger's view of a month: what the month added to the running average of its base period, so
that the earned months of a year add up to the year statement's total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from webapp.points.domain.scheme import INSPECTION_PERIODS, ZERO, SchemeRules

LENGTH = {"month": 1, "quarter": 3, "year": 12}
_CENTS = Decimal("0.01")


def base_period(rules: SchemeRules) -> str:
    """The period the scheme's base points are worth: the longest inspection period of its base items."""
    return _periods(rules)[0]


def averaged_kinds(rules: SchemeRules) -> frozenset[str]:
    """The inspection periods shorter than the base period: their categories are averaged over it."""
    return _periods(rules)[1]


@lru_cache(maxsize=256)
def _periods(rules: SchemeRules) -> tuple[str, frozenset[str]]:
    kinds = rules.inspection_kinds or (rules.inspection_period,)
    base = max(kinds, key=LENGTH.__getitem__)
    return base, frozenset(k for k in INSPECTION_PERIODS if k in kinds and LENGTH[k] < LENGTH[base])


def span_of(base: str, month: int) -> int:
    """Which base period of the year a month falls in (0 for a year; the quarter or month otherwise)."""
    return (month - 1) // LENGTH[base]


def average(points: Decimal, inspections: int) -> Decimal:
    """An item's value over its base period: its points summed over the inspections, divided by
    their number, to the cent (half up); no inspection is worth 0."""
    if inspections <= 0:
        return ZERO
    value = (points / inspections).quantize(_CENTS, rounding=ROUND_HALF_UP)
    # 40.00 -> 40 and 26.50 -> 26.5, never 4E+1: stored and shown figures stay plain.
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class Averaged(NamedTuple):
    """The base rows of one averaged inspection period ending in a month (the engine's Rows)."""

    kind: str
    span: int
    held: bool  # the village held this inspection (see the module's docstring)
    rows: tuple[Any, ...]


class RunningAverage:
    """The averaged categories of the base period so far: inspections held and points per item."""

    __slots__ = ("span", "held", "sums", "value")

    def __init__(self) -> None:
        self.span: tuple[str, int] | None = None
        self.held: dict[str, int] = {}
        self.sums: dict[tuple[str, str], Decimal] = {}
        self.value = ZERO

    def month(self, base: str, month: int, groups: Sequence[Averaged]) -> Decimal:
        """Take a month's averaged groups; return what to add to its raw total so that the earned
        months of the base period so far add up to the averages so far."""
        span = (base, span_of(base, month))
        if span != self.span:
            self.span, self.held, self.sums, self.value = span, {}, {}, ZERO
        if not groups:
            return ZERO
        raw = ZERO
        for group in groups:
            for row in group.rows:
                raw += row.counted_points
            if group.held:
                self.held[group.kind] = self.held.get(group.kind, 0) + 1
                for row in group.rows:
                    key = (group.kind, row.item.code)
                    self.sums[key] = self.sums.get(key, ZERO) + row.counted_points
        value = sum((average(points, self.held[kind]) for (kind, _), points in self.sums.items()), ZERO)
        adjustment = value - self.value - raw
        self.value = value
        return adjustment


def averaged_rows(groups: Sequence[Averaged], make_row: Any) -> tuple[list[Any], dict[str, str]]:
    """The rows a statement shows for averaged groups: per base period, kind and item, one "averaged"
    row (count = inspections held) made by make_row(item, count, summed, value, position); groups
    with no inspection held keep their own (not inspected) rows. Also each averaged item's kind."""
    buckets: dict[tuple[str, int], list[Averaged]] = {}
    for group in groups:
        buckets.setdefault((group.kind, group.span), []).append(group)
    rows: list[Any] = []
    kinds: dict[str, str] = {}
    for (kind, _), chosen in buckets.items():
        held = [g for g in chosen if g.held]
        if not held:
            rows += [row for g in chosen for row in g.rows]
            continue
        per_item: dict[str, list[Any]] = {}
        for group in held:
            for row in group.rows:
                into = per_item.setdefault(row.item.code, [row.item, ZERO, row.position])
                into[0] = row.item  # later inspections win for names
                into[1] += row.counted_points
                into[2] = min(into[2], row.position)
        for code, (item, summed, position) in per_item.items():
            rows.append(make_row(item, len(held), summed, average(summed, len(held)), position))
            kinds[code] = kind
    return rows, kinds
