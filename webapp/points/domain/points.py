"""The points engine: folds a household's tallies and inspections into month statements.

Per month: base (credited when a category's inspection period ends) + bonuses -
deductions, with once-per-month/year limits, year-end credit and caps applied in
scheme order, so the result never depends on the order of the input tallies.
Line statuses are listed in statement.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from webapp.core.periods import Period, period_ending_in
from webapp.points.domain.base_period import Averaged, RunningAverage, averaged_kinds, base_period, span_of
from webapp.points.domain.limits import ONE, YearUse, apply_caps, apply_limits, version_key
from webapp.points.domain.scheme import INSPECTION_PERIODS, ZERO, ItemRule, SchemeRules
from webapp.points.domain.statement import (
    Line,
    MonthStatement,
    PeriodStatement,
    Row,
    format_points,
    statement_for,
)

__all__ = [
    "InspectionResult", "Line", "MonthStatement", "PeriodStatement", "RulesSource", "Tally",
    "compute_year", "format_points", "statement_for",
]

RulesSource = SchemeRules | Callable[[int, int], SchemeRules]
# Inspection findings by (period kind, period index) within the year being computed.
_Found = Mapping[tuple[str, int], Mapping[str, bool]]
_LAST = 1 << 30  # position of items the month's scheme no longer has
_SEEN_LIMIT = 4096  # base row patterns remembered per scheme and inspection kind
_OVER_LIMIT = {"month": "once_per_month", "year": "once_per_year"}
# For each month, the (kind, index) of the inspection periods that end in it (any year will do).
_ENDING = {
    month: tuple((kind, p.index) for kind in INSPECTION_PERIODS if (p := period_ending_in(kind, 2000, month)))
    for month in range(1, 13)
}


class Tally(NamedTuple):
    """Entries of one month, item (as scored, possibly a retired version) and member, summed.

    A named tuple: a village's month is ~15,000 of them, and tuples are the cheapest to build."""

    year: int
    month: int
    item: ItemRule
    member_id: int | None = None
    quantity: Decimal = ONE
    count: int = 1


@dataclass(frozen=True, slots=True)
class InspectionResult:
    """What an inspection found; items missing from met take the item's default."""

    period: Period
    met: Mapping[str, bool] = field(default_factory=dict, hash=False)


class _Month:
    """A month being scored: its rules, totals so far, rows, and the tallies that need scheme order."""

    __slots__ = ("rules", "positions", "caps", "bonus", "deduction", "members", "rows", "ordered")

    def __init__(self, rules: SchemeRules) -> None:
        self.rules, self.positions, self.caps = rules, rules.positions, rules.caps_by_item
        self.bonus = self.deduction = ZERO
        self.members: dict[int, Decimal] = {}
        self.rows: list[Row] = []
        # Sort key (position, code, has member, member) -> [[item, quantity, count], ...] per item version.
        self.ordered: dict[tuple, list[list]] = {}


def compute_year(
    rules: RulesSource,
    tallies: Iterable[Tally],
    inspections: Iterable[InspectionResult],
    year: int,
    through_month: int = 12,
    from_month: int = 1,
    held: Iterable[Period] | None = None,
) -> list[MonthStatement]:
    """Month statements for from_month..through_month of one household's year.

    Months before from_month are folded only for what they carry into later months
    (once-a-year use, year caps, year-end accruals); a month's ranking passes its own
    month here so that it never builds statements it would throw away.
    `held` names the inspection periods the village held (base_period.py); by default,
    the household's own. A statement's `earned` needs the year's inspections from January.
    """
    if not 1 <= from_month <= through_month <= 12:
        raise ValueError(f"months must satisfy 1 <= {from_month} <= {through_month} <= 12")
    rules_for = (lambda y, m: rules) if isinstance(rules, SchemeRules) else rules
    months = [_Month(rules_for(year, month)) for month in range(1, through_month + 1)]
    # Keyed by (kind, index) rather than Period: the year is fixed and tuples hash in C.
    found: dict[tuple[str, int], dict[str, bool]] = {}
    for result in inspections:
        period = result.period
        if period.year == year:
            found.setdefault((period.kind, period.index), {}).update(result.met)
    took_place = set(found) | {(p.kind, p.index) for p in held or () if p.year == year}
    _take(months, tallies, year)
    state = YearUse()
    running = RunningAverage()
    statements = []
    for month, scored in enumerate(months, start=1):
        groups, adjustment = _averaged(scored.rules, month, found, took_place, running)
        if month >= from_month:
            statement = _close(scored, year, month, found, state)
            statement.averaged, statement.base_adjustment = groups, adjustment
            statements.append(statement)
        elif scored.ordered:  # only limited, capped or year-end tallies change what later months see
            _close(scored, year, month, {}, state)
    return statements


def _averaged(rules: SchemeRules, month: int, found: _Found, took_place: set[tuple[str, int]],
              running: RunningAverage) -> tuple[tuple[Averaged, ...], Decimal]:
    """The month's base rows of categories averaged over the base period, and its earned adjustment."""
    kinds = averaged_kinds(rules)
    if not kinds:  # most schemes: nothing to average (a month with no groups leaves the average as it is)
        return (), ZERO
    base = base_period(rules)
    groups = []
    if kinds:
        prepared = _base_table(rules)
        for kind, index in _ENDING[month]:
            table, absent, seen = prepared[kind]
            if kind in kinds and absent:
                rows = _kind_rows(table, absent, seen, found.get((kind, index)))[0]
                groups.append(Averaged(kind, span_of(base, month), (kind, index) in took_place, rows))
    return tuple(groups), running.month(base, month, groups)


def _kind_rows(table: tuple, absent: tuple[Row, ...], seen: dict, met: Mapping[str, bool] | None,
               ) -> tuple[tuple[Row, ...], Decimal]:
    """The base rows of one inspection period and their points: not inspected, or each item met or not."""
    if met is None:
        return absent, ZERO
    # Most households of a village meet the same standards: their rows (immutable) are built once.
    key = frozenset(met.items())
    known = seen.get(key)
    if known is None:
        rows = tuple(yes if met.get(code, default) else no for code, default, yes, no in table)
        known = (rows, sum((row.counted_points for row in rows), ZERO))
        if len(seen) < _SEEN_LIMIT:
            seen[key] = known
    return known


def _take(months: list[_Month], tallies: Iterable[Tally], year: int) -> None:
    """Count tallies nothing limits at once; keep the others, summed per item and member, for _close."""
    last = len(months)
    for tally in tallies:
        month = tally.month
        if tally.year != year or not 0 < month <= last:
            continue
        scored = months[month - 1]
        item = tally.item
        code, kind = item.code, item.kind
        member = tally.member_id if item.scope == "member" else None
        position = scored.positions.get(code, _LAST)
        if item.per == "event" and item.credit == "immediate" and code not in scored.caps and kind != "base":
            # No limit, no cap, no deferral: it counts in full whatever else the month holds.
            quantity = tally.quantity
            if kind == "freeze":
                counted = ZERO
                scored.rows.append(Row(item, member, quantity, tally.count, ZERO, ZERO, "freeze", None, position))
            else:
                counted = quantity * item.points
                if kind == "bonus":
                    scored.bonus += counted
                else:
                    scored.deduction -= counted
                scored.rows.append(
                    Row(item, member, quantity, tally.count, counted, counted, "counted", None, position))
            if member is not None:
                scored.members[member] = scored.members.get(member, ZERO) + counted
            continue
        if kind == "base":
            raise ValueError(f"base item {code} is scored by inspections, not tallies")
        # The key is also the sort key (scheme order, code, member), so sorting needs no key function.
        key = (position, code, member is not None, member or 0)
        entries = scored.ordered.get(key)
        if entries is None:
            scored.ordered[key] = [[item, tally.quantity, tally.count]]
            continue
        for entry in entries:
            if entry[0] is item or entry[0] == item:
                entry[1] += tally.quantity
                entry[2] += tally.count
                break
        else:
            entries.append([item, tally.quantity, tally.count])
            # Several versions of one item in a month: order them by content, not by arrival.
            entries.sort(key=version_key)


def _close(scored: _Month, year: int, month: int, found: _Found, state: YearUse) -> MonthStatement:
    """Add the base, then the limited, capped and year-end tallies in scheme order."""
    base, base_rows = _base(scored.rules, month, found)
    work = apply_limits(month, scored.ordered, state) if scored.ordered else []
    if month == 12 and state.accrued:
        # Year-end items are credited now, once per item and member, for the whole year;
        # sorting puts them in scheme order among this month's lines, as caps need.
        positions = scored.positions
        work += [(key[1], *entry, False, positions.get(key[0], _LAST))
                 for key, entries in state.accrued.items() for entry in entries]
        work.sort(key=lambda w: (w[6], w[1].code, w[0] is not None, w[0] or 0))
    bonus, deduction, members, rows = scored.bonus, scored.deduction, scored.members, scored.rows
    caps_by_item = scored.caps
    month_cap_used: dict[str, Decimal] = {}
    for member, item, quantity, count, units, deferred, position in work:
        kind, points = item.kind, item.points
        raw = quantity * points
        cap = None
        if kind == "freeze":
            status, raw, counted = "freeze", ZERO, ZERO
        elif deferred:
            status, counted = "deferred", ZERO
        else:
            counted = units * points
            status = "counted" if units == quantity else _OVER_LIMIT[item.per]
            caps = caps_by_item.get(item.code)
            if caps and counted:
                counted, cap = apply_caps(caps, counted, month_cap_used, state.cap_used)
                if cap is not None:
                    status = "partly_capped" if counted else "capped"
            if kind == "bonus":
                bonus += counted
            else:
                deduction -= counted
        if member is not None:
            members[member] = members.get(member, ZERO) + counted
        rows.append(Row(item, member, quantity, count, raw, counted, status, cap, position))
    return MonthStatement(year, month, base, bonus, deduction, base + bonus - deduction, members, base_rows, rows)


def _base(rules: SchemeRules, month: int, found: _Found) -> tuple[Decimal, Sequence[Row]]:
    """Base points and rows of every category whose inspection period ends this month."""
    prepared = _base_table(rules)
    parts = []
    for kind, index in _ENDING[month]:
        table, absent, seen = prepared[kind]
        if absent:
            parts.append(_kind_rows(table, absent, seen, found.get((kind, index))))
    if len(parts) == 1:  # the rows are shared between households: nobody changes a statement's rows
        return parts[0][1], parts[0][0]
    total = sum((points for _, points in parts), ZERO)
    # Quarterly and yearly categories ending together (December): back into scheme order.
    return total, sorted((row for rows, _ in parts for row in rows), key=lambda row: row.position)


@lru_cache(maxsize=256)
def _base_table(rules: SchemeRules) -> dict[str, tuple[tuple[tuple[str, bool, Row, Row], ...], tuple[Row, ...], dict]]:
    """Per inspection kind: each base item's code, default, met and not-met rows; the not-inspected rows;
    and the rows of the findings seen so far (_kind_rows)."""
    # Rows are immutable tuples, so every household can share them.
    table = {}
    for kind in INSPECTION_PERIODS:
        entries, absent = [], []
        for item in rules.base_items(kind):
            position = rules.positions[item.code]
            yes = Row(item, None, ONE, 1, item.points, item.points, "met", None, position)
            no = Row(item, None, ZERO, 1, ZERO, ZERO, "not_met", None, position)
            absent.append(Row(item, None, ZERO, 0, ZERO, ZERO, "not_inspected", None, position))
            entries.append((item.code, item.default_met, yes, no))
        table[kind] = (tuple(entries), tuple(absent), {})
    return table
