"""The town's monthly dispatch (月调度表): a village's month folded into the dashboard's and the workbook's
figures, the problems a person should look at first, and the totals row (DOMAIN.md §9).

Pure: the services count rows in SQL (one GROUP BY village per figure) and hand the counts here; the
dashboard, the monthly .xlsx and the quarterly report all read the same DispatchRow, so they cannot
disagree.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

# A month's deadline ("published on time") is the rules' publish_by_day of the next month, the 10th when
# they name none: one rule with the committee's to-do home, kept in the publication capability's domain.
from webapp.publication.domain.deadlines import publish_deadline

ZERO = Decimal(0)
# A grid with no entry for this many days is marked, with the grid and its worker named.
SILENT_GRID_DAYS = 14

ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"
PUBLICATION_STATES = (ON_TIME, LATE, MISSING, PENDING)

# Problem codes, in the order the dashboard lists them.
NO_ENTRIES, SILENT_GRID, NOTICE_OVERDUE, OBJECTIONS_UNANSWERED = (
    "no_entries", "silent_grid", "notice_overdue", "objections_unanswered")

# The figures of a row, in the dispatch table's column order (the workbook's and the dashboard's).
FIGURES = (
    "participating", "inspected", "not_inspected", "entries", "approved", "rejected", "waiting",
    "points_issued", "points_redeemed", "objections_open", "publication", "stock_value",
)
NUMERIC_FIGURES = tuple(f for f in FIGURES if f != "publication")


@dataclass(frozen=True)
class GridActivity:
    """A grid's last entry on or before the day the month is seen from (None: none in the window looked at)."""

    grid_id: int
    name: str
    workers: tuple[str, ...]
    last_entry_on: date | None


@dataclass(frozen=True)
class VillageCounts:
    """What SQL counted for one village and month (every figure already summed per village)."""

    village_id: int
    code: str
    name: str
    participating: int = 0
    inspected: int = 0
    entries_by_status: dict[str, int] = field(default_factory=dict)
    points_issued: Decimal = ZERO
    points_redeemed: Decimal = ZERO
    objections_open: int = 0
    objections_past_window: int = 0  # still open after the notice window ended
    published_on: date | None = None  # the local day the month's results were published
    publish_by_day: int | None = None  # the rules' deadline day, if they name one
    stock_value: Decimal = ZERO
    grids: tuple[GridActivity, ...] = ()


@dataclass(frozen=True)
class Problem:
    code: str
    grid: str = ""
    workers: tuple[str, ...] = ()
    days: int | None = None
    count: int = 0


@dataclass(frozen=True)
class Figures:
    """The counted figures a village row and the totals row share (summed column by column)."""
    participating: int
    inspected: int
    not_inspected: int
    entries: int
    approved: int
    rejected: int
    waiting: int
    points_issued: Decimal
    points_redeemed: Decimal
    objections_open: int


SUMMED = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True)
class DispatchRow(Figures):
    village_id: int
    code: str
    name: str
    publication: str  # one of PUBLICATION_STATES
    published_on: date | None
    deadline: date
    stock_value: Decimal
    problems: tuple[Problem, ...]

    def figure(self, name: str) -> object:
        return getattr(self, name)

    def has(self, code: str) -> bool:
        return any(p.code == code for p in self.problems)


@dataclass(frozen=True)
class DispatchTotals(Figures):
    publication: dict[str, int]  # state -> villages in it
    stock_value: Decimal  # each store counted once, even when it serves several villages

    def figure(self, name: str) -> object:
        return getattr(self, name)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def publication_state(published_on: date | None, deadline: date, today: date) -> str:
    """On time (published by the deadline), late (after it), missing (not published, deadline passed) or
    pending (not published, still time)."""
    if published_on is not None:
        return ON_TIME if published_on <= deadline else LATE
    return MISSING if today > deadline else PENDING


def seen_from(year: int, month: int, today: date) -> date:
    """The day a month is looked at from: its last day once it is over, else today."""
    return min(month_end(year, month), today)


def is_silent(last_entry_on: date | None, as_of: date, days: int = SILENT_GRID_DAYS) -> bool:
    """No entry in the `days` days up to and including as_of."""
    return last_entry_on is None or (as_of - last_entry_on).days >= days


ENTRY_APPROVED = frozenset({"approved", "adjusted", "published", "final"})  # entry_states.COUNTED_STATUSES


def fold(counts: VillageCounts, year: int, month: int, today: date) -> DispatchRow:
    """One village's row of the month's dispatch, with its problems."""
    by_status = counts.entries_by_status
    entries = sum(by_status.values())
    deadline = publish_deadline(year, month, counts.publish_by_day)
    state = publication_state(counts.published_on, deadline, today)
    as_of = seen_from(year, month, today)
    problems: list[Problem] = []
    if entries == 0:
        problems.append(Problem(NO_ENTRIES))
    for grid in counts.grids:
        if is_silent(grid.last_entry_on, as_of):
            days = (as_of - grid.last_entry_on).days if grid.last_entry_on else None
            problems.append(Problem(SILENT_GRID, grid=grid.name, workers=grid.workers, days=days))
    if state == MISSING:
        problems.append(Problem(NOTICE_OVERDUE, days=(today - deadline).days))
    if counts.objections_past_window:
        problems.append(Problem(OBJECTIONS_UNANSWERED, count=counts.objections_past_window))
    return DispatchRow(
        village_id=counts.village_id, code=counts.code, name=counts.name,
        participating=counts.participating, inspected=counts.inspected,
        not_inspected=max(counts.participating - counts.inspected, 0),
        entries=entries, approved=sum(n for s, n in by_status.items() if s in ENTRY_APPROVED),
        rejected=by_status.get("rejected", 0), waiting=by_status.get("recorded", 0),
        points_issued=counts.points_issued, points_redeemed=counts.points_redeemed,
        objections_open=counts.objections_open, publication=state, published_on=counts.published_on,
        deadline=deadline, stock_value=counts.stock_value, problems=tuple(problems),
    )


def totals(rows: Sequence[DispatchRow], store_values: Iterable[Decimal] | None = None) -> DispatchTotals:
    """The totals row. `store_values`: each store's stock value once (a store serving two villages shows
    in both rows); without it the rows' values are summed."""
    states = {s: sum(1 for r in rows if r.publication == s) for s in PUBLICATION_STATES}
    summed = {name: sum((getattr(r, name) for r in rows), ZERO if name.startswith("points") else 0)
              for name in SUMMED}
    return DispatchTotals(**summed, publication=states, stock_value=sum(
        store_values if store_values is not None else (r.stock_value for r in rows), ZERO))


def months_back(year: int, month: int, count: int) -> tuple[tuple[int, int], ...]:
    """The `count` months ending with (year, month), oldest first."""
    out = []
    for _ in range(count):
        out.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return tuple(reversed(out))


def quarter_months(year: int, quarter: int) -> tuple[tuple[int, int], ...]:
    return tuple((year, m) for m in range(3 * quarter - 2, 3 * quarter + 1))


def window_start(as_of: date, days: int = 45) -> date:
    """How far back a grid's last entry is looked for (older: "none lately")."""
    return as_of - timedelta(days=days)
