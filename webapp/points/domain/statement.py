"""Statements: the lines that explain a household's points for a month or a longer period.

Line statuses (a small closed set, so templates can map each to a phrase):
- base lines: "met", "not_met", "not_inspected" (no inspection for the period: 0 points),
  "averaged" (over a period longer than the item's inspections: their average, base_period.py);
- event lines: "counted" (all raw points count), "once_per_month" / "once_per_year"
  (quantity above the item's once-a-month/year limit does not count), "capped" /
  "partly_capped" (a cap cut all / part of the points; capped_by names it),
  "deferred" (a year-end item recorded this month, credited in December),
  "freeze" (no points; redemption is frozen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from webapp.core.periods import Period
from webapp.points.domain.base_period import LENGTH, Averaged, averaged_rows
from webapp.points.domain.scheme import ZERO, CapRule, ItemRule

BASE_STATUSES = ("met", "not_met", "not_inspected", "averaged")
EVENT_STATUSES = ("counted", "once_per_month", "once_per_year", "capped", "partly_capped", "deferred", "freeze")
CAPPED = ("capped", "partly_capped")


def format_points(value: Decimal) -> str:
    """Render points without trailing zeros: 87.5, 100, -1."""
    # normalize() drops trailing zeros; "f" then spells 1E+2 as 100. -0 becomes "0".
    return format(value.normalize(), "f") if value else "0"


@dataclass(slots=True)
class Line:
    """One explained step of a total; treat as read-only once built."""

    item_code: str
    item_name: str
    category_code: str
    category_name: str
    kind: str
    member_id: int | None
    quantity: Decimal
    count: int
    unit_points: Decimal
    raw_points: Decimal
    counted_points: Decimal
    status: str
    credit: str = "immediate"
    capped_by: CapRule | None = None
    # The item's place in scheme order, so period statements list lines as the scheme does.
    position: int = 0
    # An "averaged" line: the kind of inspection period averaged (count is how many were held).
    averaged_over: str | None = None

    @property
    def note_params(self) -> dict[str, str] | None:
        """Params for the note that explains a cut, a deferral or an average, if the line needs one."""
        if self.averaged_over is not None:
            return {"count": str(self.count), "per": self.averaged_over}
        if self.capped_by is not None:
            cap = self.capped_by
            return {"max": format_points(cap.max), "per": cap.per, "items": ", ".join(cap.item_order)}
        if self.status == "deferred":
            return {"month": "12"}
        return None


@dataclass(frozen=True, slots=True)
class MonthTotals:
    """The four totals of one month."""

    year: int
    month: int
    base: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    # What the month adds to the earned ledger beyond its total (base_period.py); 0 for most schemes.
    adjustment: Decimal = ZERO

    @property
    def earned(self) -> Decimal:
        """The month's points in the earned ledger (its base period's running average counted)."""
        return self.total + self.adjustment


class Row(NamedTuple):
    """A line before it is built: scoring a village builds these (named tuples are the cheapest to
    build and share); Line objects are made only when a statement is read."""

    item: ItemRule
    member_id: int | None
    quantity: Decimal
    count: int
    raw_points: Decimal
    counted_points: Decimal
    status: str
    capped_by: CapRule | None
    position: int


def line_from_row(row: Row) -> Line:
    """Build the Line a compact row stands for."""
    item, member, quantity, count, raw, counted, status, cap, position = row
    return Line(item.code, item.name, item.category_code, item.category_name, item.kind, member,
                quantity, count, item.points, raw, counted, status, item.credit, cap, position)


@dataclass(slots=True, eq=False)
class MonthStatement:
    """One month of one household: totals, member subtotals, and its lines (built on first read)."""

    year: int
    month: int
    base: Decimal
    bonus: Decimal
    # Deductions as a positive magnitude: total = base + bonus - deduction.
    deduction: Decimal
    total: Decimal
    member_subtotals: dict[int, Decimal] = field(default_factory=dict)
    base_rows: Sequence[Row] = ()
    event_rows: Sequence[Row] = ()
    # Base rows of categories averaged over the base period, and the month's earned adjustment.
    averaged: tuple[Averaged, ...] = ()
    base_adjustment: Decimal = ZERO
    _built: tuple[list[Line], list[Line]] | None = field(default=None, init=False, repr=False)

    @property
    def earned(self) -> Decimal:
        """What the month adds to the year's earned points: the total, with the base period's
        running average in place of the full value of an inspection it averages."""
        return self.total + self.base_adjustment

    def _lines(self) -> tuple[list[Line], list[Line]]:
        if self._built is None:
            # Event rows arrive in no particular order (and may repeat an item): _merge sorts and sums them.
            self._built = ([line_from_row(r) for r in self.base_rows], _merge(self.event_rows, False))
        return self._built

    @property
    def base_lines(self) -> list[Line]:
        """Base lines in scheme order: met, not_met or not_inspected."""
        return self._lines()[0]

    @property
    def event_lines(self) -> list[Line]:
        """Bonus, deduction and freeze lines in scheme order, then by member."""
        return self._lines()[1]

    @property
    def period(self) -> Period:
        """The month as a Period."""
        return Period.month(self.year, self.month)

    @property
    def totals(self) -> MonthTotals:
        """The month's totals alone."""
        return MonthTotals(self.year, self.month, self.base, self.bonus, self.deduction, self.total,
                           self.base_adjustment)


@dataclass(slots=True, eq=False)
class PeriodStatement:
    """The explanation of a period: totals, per-month totals, and lines summed over its months."""

    period: Period
    base: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    member_subtotals: dict[int, Decimal]
    months: list[MonthTotals]
    # Rankings read only the totals, so the lines are summed on first read.
    _rows: tuple[Sequence[Row], Sequence[Row], bool] = field(default=((), (), False), repr=False)
    # Item code -> the inspection period its "averaged" line averages.
    _averaged_over: dict[str, str] = field(default_factory=dict, repr=False)
    _built: tuple[list[Line], list[Line]] | None = field(default=None, init=False, repr=False)

    def _lines(self) -> tuple[list[Line], list[Line]]:
        if self._built is None:
            base_rows, event_rows, drop_deferred = self._rows
            base_lines = _merge(base_rows, drop_deferred)
            for line in base_lines:
                if line.status == "averaged":
                    line.averaged_over = self._averaged_over.get(line.item_code)
            self._built = (base_lines, _merge(event_rows, drop_deferred))
        return self._built

    @property
    def base_lines(self) -> list[Line]:
        """Base lines summed per item and status, in scheme order."""
        return self._lines()[0]

    @property
    def event_lines(self) -> list[Line]:
        """Event lines summed per item, member and kind of status, in scheme order."""
        return self._lines()[1]

    def item_totals(self) -> dict[str, tuple[int, Decimal]]:
        """Per item code, in the lines' order: its lines' count and counted points, without building lines."""
        base_rows, event_rows, drop_deferred = self._rows
        totals: dict[str, tuple[int, Decimal]] = {}
        for rows in (base_rows, event_rows):
            part: dict[str, list] = {}
            for row in rows:
                if not (drop_deferred and row.status == "deferred"):
                    into = part.setdefault(row.item.code, [row.position, 0, ZERO])
                    into[0], into[1] = min(into[0], row.position), into[1] + row.count
                    into[2] += row.counted_points
            totals.update((c, (n, pts)) for c, (_, n, pts) in sorted(part.items(), key=lambda kv: (kv[1][0], kv[0])))
        return totals


def _family(item: ItemRule, status: str) -> str:
    # Lines that differ only in how much a limit cut them are one line over a period.
    if item.kind == "base" or status in ("deferred", "freeze"):
        return status
    return "credited"


def _merged_status(statuses: set[str], counted: Decimal) -> str:
    if statuses & set(CAPPED):
        return "capped" if not counted else "partly_capped"
    for status in ("once_per_year", "once_per_month"):
        if status in statuses:
            return status
    return "counted"


def _merge(rows: Sequence[Row], drop_deferred: bool) -> list[Line]:
    """One line per item version, member and status family, summed over the rows of several months."""
    merged: dict[tuple, list] = {}
    for row in rows:
        item, member, quantity, count, raw, counted, status, cap, position = row
        family = _family(item, status)
        if drop_deferred and family == "deferred":
            continue
        key = (item.kind, item.code, member, family, item.points, item.credit)
        into = merged.get(key)
        if into is None:
            merged[key] = [item, quantity, count, raw, counted, {status}, cap, position]
            continue
        # Later months win for names, so a renamed item shows its current name.
        into[0] = item
        into[1] += quantity
        into[2] += count
        into[3] += raw
        into[4] += counted
        into[5].add(status)
        into[6] = into[6] or cap
        into[7] = min(into[7], position)
    lines = []
    for (_, _, member, family, _, _), (item, quantity, count, raw, counted, statuses, cap, position) in merged.items():
        status = _merged_status(statuses, counted) if family == "credited" else family
        lines.append(line_from_row(Row(item, member, quantity, count, raw, counted, status, cap, position)))
    lines.sort(key=lambda ln: (ln.position, ln.item_code, ln.member_id is not None, ln.member_id or 0,
                               ln.status, ln.unit_points))
    return lines


def statement_for(period: Period, months: list[MonthStatement]) -> PeriodStatement:
    """Sum the months that fall in a period into one explained statement."""
    chosen = sorted((m for m in months if period.contains_month(m.year, m.month)), key=lambda m: m.month)
    # December's credit line covers the whole year, so the months' deferred lines would repeat it.
    drop_deferred = any(m.month == 12 for m in chosen)
    base_rows, averaged_over = _base_rows(period, chosen)
    base = sum((row.counted_points for row in base_rows), ZERO)
    bonus = deduction = ZERO
    subtotals: dict[int, Decimal] = {}
    for month in chosen:
        bonus += month.bonus
        deduction += month.deduction
        for member, points in month.member_subtotals.items():
            subtotals[member] = subtotals.get(member, ZERO) + points
    rows = (base_rows, [r for m in chosen for r in m.event_rows], drop_deferred)
    return PeriodStatement(period, base, bonus, deduction, base + bonus - deduction, subtotals,
                           [m.totals for m in chosen], rows, averaged_over)


def _base_rows(period: Period, chosen: list[MonthStatement]) -> tuple[list[Row], dict[str, str]]:
    """The period's base rows: as inspected, except categories inspected more often than the period
    (and than their base period), which show the average of their inspections (base_period.py)."""
    rows: list[Row] = []
    groups: list[Averaged] = []
    for month in chosen:
        longer = [g for g in month.averaged if LENGTH[period.kind] > LENGTH[g.kind]]
        if not longer:
            rows += month.base_rows
            continue
        groups += longer
        taken = {row.item.code for group in longer for row in group.rows}
        rows += [row for row in month.base_rows if row.item.code not in taken]
    if not groups:
        return rows, {}
    averaged, kinds = averaged_rows(groups, lambda item, count, summed, value, position: Row(
        item, None, Decimal(count), count, summed, value, "averaged", None, position))
    return rows + averaged, kinds
