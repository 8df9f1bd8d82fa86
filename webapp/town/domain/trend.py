"""The month × village trend as a chart a phone can read: the town's total per month as bars above, and a
heat map below (a row per village, a column per month, darker = more). Pure layout: the template draws
the shapes as SVG on the server, with no script.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

MEASURES = ("participating", "points_issued", "points_redeemed")

WIDTH = 340  # the viewBox; the SVG scales to the page (360 px phones have ~340 px of content)
LABEL_W = 64  # village names on the left
BAR_H = 56  # the town total's bars
HEAD_H = 16  # month labels
CELL_H = 18
GAP = 1
LOW, HIGH = (241, 245, 249), (29, 78, 216)  # slate-100 → blue-700
EMPTY = "#f8fafc"


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str  # shown on hover / long press, and read by screen readers
    dark: bool  # the value's text (when drawn) needs a light colour


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    bars: tuple[Cell, ...]
    cells: tuple[Cell, ...]
    labels: tuple[Label, ...]
    maximum: Decimal
    total_maximum: Decimal


def shade(value: Decimal, maximum: Decimal) -> tuple[str, bool]:
    """The colour of a value on the 0..maximum scale, and whether it is dark."""
    if maximum <= 0 or value <= 0:
        return EMPTY, False
    share = float(min(value / maximum, Decimal(1)))
    share = 0.15 + 0.85 * share  # the smallest value still shows
    rgb = tuple(round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb), share > 0.55


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value != value.to_integral_value() else str(int(value))


def layout(months: Sequence[tuple[int, int]], villages: Sequence[tuple[int, str]],
           values: Mapping[tuple[int, int, int], Decimal], month_label: str = "{m}", total_label: str = "") -> TrendChart:
    """values: (village id, year, month) → the measure. month_label formats a column head ({y}, {m})."""
    n = max(len(months), 1)
    cell_w = (WIDTH - LABEL_W) / n
    totals = [sum((values.get((vid, y, m), Decimal(0)) for vid, _ in villages), Decimal(0)) for y, m in months]
    top = max(totals, default=Decimal(0))
    bars: list[Cell] = []
    labels: list[Label] = [Label(0, BAR_H - 4, total_label)] if total_label else []
    for i, ((y, m), total) in enumerate(zip(months, totals, strict=True)):
        h = float(total / top) * (BAR_H - 14) if top > 0 else 0.0
        x = LABEL_W + i * cell_w
        bars.append(Cell(x + GAP, BAR_H - h, cell_w - 2 * GAP, h, "#64748b", f"{y}-{m:02d}: {_number(total)}", True))
        labels.append(Label(x + cell_w / 2, BAR_H + HEAD_H - 4, month_label.format(y=y, m=m), "middle"))
    maximum = max((values.get((vid, y, m), Decimal(0)) for vid, _ in villages for y, m in months),
                  default=Decimal(0))
    cells: list[Cell] = []
    y0 = BAR_H + HEAD_H
    for row, (vid, name) in enumerate(villages):
        y = y0 + row * CELL_H
        labels.append(Label(0, y + CELL_H - 5, name[:5]))
        for i, (year, month) in enumerate(months):
            value = values.get((vid, year, month), Decimal(0))
            fill, dark = shade(value, maximum)
            cells.append(Cell(LABEL_W + i * cell_w + GAP, y + GAP, cell_w - 2 * GAP, CELL_H - 2 * GAP, fill,
                              f"{name} {year}-{month:02d}: {_number(value)}", dark))
    height = y0 + len(villages) * CELL_H + 4
    return TrendChart(WIDTH, height, tuple(bars), tuple(cells), tuple(labels), maximum, top)
