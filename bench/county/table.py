"""The table the county bench prints: one row per goal of issue 16, with min, median and met / missed."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

# Every measure of the goals table, in its order, with its goal: the bench prints each of them,
# measured or not.
GOALS: dict[str, tuple[float, str, bool]] = {  # measure → (goal, unit, higher is better)
    "ranking 1,500 hh, closed month, SQLite": (25, "ms", False),
    "ranking 1,500 hh, open month, SQLite": (100, "ms", False),
    "ranking 1,500 hh, closed month, PostgreSQL": (25, "ms", False),
    "ranking 1,500 hh, open month, PostgreSQL": (100, "ms", False),
    "household page": (50, "ms", False),
    "ranking cost per household, 1,500 → 15,000": (1.2, "×", False),
    "redemptions, 4 workers, many hh, SQLite": (200, "/s", True),
    "redemptions, 4 workers, many hh, PostgreSQL": (200, "/s", True),
    "town's dashboard, 30 villages": (150, "ms", False),
    "county overview, 300 villages": (1000, "ms", False),
    "close of a year, 1,500 hh, SQLite": (2, "s", False),
    "close of a year, 1,500 hh, PostgreSQL": (2, "s", False),
    "sync ingest over HTTP, PostgreSQL": (2000, "/s", True),
    "scoring page first load, precache incl.": (60, "KB", False),
}
MEASURES = tuple(GOALS)

@dataclass
class Row:
    measure: str
    goal: float
    unit: str  # "ms", "/s", "×", "KB", "s"
    higher_is_better: bool = False
    values: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def goal_text(self) -> str:
        return f"{'≥' if self.higher_is_better else '≤'} {self.goal:,g} {self.unit}"

    def met(self) -> str:
        if not self.values:
            return "not measured"
        median = statistics.median(self.values)
        ok = median >= self.goal if self.higher_is_better else median <= self.goal
        return "met" if ok else "MISSED"

    def cells(self) -> tuple[str, str, str, str, str]:
        if not self.values:
            return self.measure, self.goal_text, "—", "—", self.met()
        best = max(self.values) if self.higher_is_better else min(self.values)
        return (self.measure, self.goal_text, _fmt(best, self.unit), _fmt(statistics.median(self.values), self.unit),
                self.met())


def _fmt(value: float, unit: str) -> str:
    if unit in ("ms", "/s", "KB") and value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:,.2f} {unit}" if unit in ("×", "s") else f"{value:,.1f} {unit}"


def render(rows: list[Row]) -> str:
    """A Markdown table (what docs/benchmarks.md shows), then each row's note."""
    out = ["| measure | goal | min (best) | median | met? |", "|---|---|---|---|---|"]
    out += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    notes = [f"- {row.measure}: {row.note}" for row in rows if row.note]
    return "\n".join(out + ([""] + notes if notes else []))


def row(measure: str, note: str = "") -> Row:
    """An empty row of the table with its goal."""
    goal, unit, higher = GOALS[measure]
    return Row(measure, goal, unit, higher, note=note)
