"""The one-map (一张图): an item's flow as a top-to-bottom chart of boxes and arrows, in SVG.

Drawn on the server with no JavaScript and no network: the same markup reads on a 360 px
phone (the chart scales to the width of the screen) and prints on A4 for the wall. Text is
wrapped here, because SVG does not wrap: widths are estimated generously (a Chinese
character is one em, anything else 0.62 em) so that a line never spills out of its box, and
a closing punctuation mark never starts a line (避头尾).
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 320
MARGIN = 6
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
RED, RED_DARK, INK, MUTED, PAPER, WARN = "#b3261e", "#8c1d18", "#1d1b1a", "#5f5b57", "#fffdf9", "#9a5b00"
TITLE_SIZE, BODY_SIZE, SMALL_SIZE = 17, 15, 13
ARROW = 24
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’,.;:?!)%…—")
NO_LINE_END = set("（《「『【〔〈“‘(")


@dataclass(frozen=True, slots=True)
class FlowStep:
    actor: str  # who does it
    action: str  # what they do
    note: str = ""  # the time limit, already worded by the caller ("3 日内")


@dataclass(frozen=True, slots=True)
class FlowChart:
    title: str
    steps: Sequence[FlowStep]
    subtitle: str = ""  # e.g. the whole item's time limit
    start: str = ""  # the terminal above the first step ("群众提出申请")
    end: str = ""  # the terminal below the last step ("办结")
    footer: Sequence[str] = field(default_factory=tuple)  # supervision: who, how


def char_width(ch: str) -> float:
    """Estimated advance of one character in ems (generous, so that text never overflows)."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("F", "W", "A") else 0.62


def text_width(text: str) -> float:
    """Estimated width of a string in ems."""
    return sum(char_width(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Wide characters one by one; runs of other non-space characters (words, numbers) kept together."""
    tokens: list[str] = []
    for ch in text:
        if ch.isspace():
            tokens.append(" ")
        elif char_width(ch) == 1.0 or not tokens or tokens[-1] == " " or char_width(tokens[-1][-1]) == 1.0:
            tokens.append(ch)
        else:
            tokens[-1] += ch
    return tokens


def wrap(text: str, max_em: float) -> list[str]:
    """Break text into lines of at most max_em ems; each newline starts a new line."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(paragraph.strip()):
            pieces = list(token) if text_width(token) > max_em else [token]
            for piece in pieces:
                if line and text_width(line + piece.rstrip()) > max_em:
                    if piece == " ":
                        continue
                    line, carry = _break(line, piece)
                    lines.append(line)
                    line = carry
                if piece == " " and not line:
                    continue
                line += piece
        lines.append(line.rstrip())
    return lines


def _break(line: str, next_piece: str) -> tuple[str, str]:
    """Where to end a full line: a closing mark may not start the next one, an opening mark not end this one."""
    line = line.rstrip()
    carry = ""
    if next_piece[0] in NO_LINE_START and len(line) > 1:
        line, carry = line[:-1], line[-1]
    while len(line) > 1 and line[-1] in NO_LINE_END:
        line, carry = line[:-1], line[-1] + carry
    return line, carry


class _Canvas:
    """Builds the SVG tree top to bottom, keeping track of the height used."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.root = ET.Element("svg", {
            "xmlns": "http://www.w3.org/2000/svg", "class": "flowchart", "role": "img",
            "font-family": FONT, "aria-labelledby": f"{prefix}-title {prefix}-desc",
        })
        self.y = 0.0

    def text(self, parent: ET.Element, x: float, y: float, content: str, size: int, **attrs: str) -> None:
        node = ET.SubElement(parent, "text", {"x": _n(x), "y": _n(y), "font-size": str(size), **attrs})
        node.text = content

    def lines(self, parent: ET.Element, x: float, lines: list[str], size: int, cls: str, **attrs: str) -> None:
        """Write wrapped lines from the current height, one <text> each, and move down."""
        step = size * 1.4
        for line in lines:
            self.text(parent, x, self.y + size, line, size, **{"class": cls, **attrs})
            self.y += step

    def arrow(self) -> None:
        x, top = WIDTH / 2, self.y
        bottom = top + ARROW
        ET.SubElement(self.root, "line", {"x1": _n(x), "y1": _n(top), "x2": _n(x), "y2": _n(bottom - 7),
                                          "stroke": RED_DARK, "stroke-width": "2"})
        ET.SubElement(self.root, "polygon", {
            "points": f"{_n(x - 6)},{_n(bottom - 8)} {_n(x + 6)},{_n(bottom - 8)} {_n(x)},{_n(bottom)}",
            "fill": RED_DARK})
        self.y = bottom


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def render_svg(chart: FlowChart, prefix: str = "flow") -> str:
    """The chart as an SVG document (also valid inline in HTML): title, start, numbered steps, end, supervision."""
    canvas = _Canvas(prefix)
    title = ET.SubElement(canvas.root, "title", {"id": f"{prefix}-title"})
    title.text = chart.title
    desc = ET.SubElement(canvas.root, "desc", {"id": f"{prefix}-desc"})
    desc.text = " → ".join(f"{i}. {s.actor}：{s.action}" + (f"（{s.note}）" if s.note else "")
                           for i, s in enumerate(chart.steps, 1))
    _title_band(canvas, chart)
    if chart.start:
        _terminal(canvas, chart.start, "start")
        if chart.steps:
            canvas.arrow()
    for number, step in enumerate(chart.steps, 1):
        if number > 1:
            canvas.arrow()
        _step_box(canvas, number, step)
    if chart.end:
        if chart.steps or chart.start:
            canvas.arrow()
        _terminal(canvas, chart.end, "end")
    if chart.footer:
        _footer(canvas, chart.footer)
    height = canvas.y + MARGIN
    canvas.root.set("viewBox", f"0 0 {WIDTH} {_n(height)}")
    canvas.root.set("width", str(WIDTH))
    canvas.root.set("height", _n(height))
    return ET.tostring(canvas.root, encoding="unicode")


def _title_band(canvas: _Canvas, chart: FlowChart) -> None:
    group = ET.SubElement(canvas.root, "g", {"class": "heading"})
    rect = ET.SubElement(group, "rect", {"x": "0", "y": "0", "width": str(WIDTH), "rx": "8", "fill": RED})
    canvas.y = 8
    inner = (WIDTH - 24) / TITLE_SIZE
    canvas.lines(group, WIDTH / 2, wrap(chart.title, inner), TITLE_SIZE, "title",
                 fill="#fff", **{"font-weight": "700", "text-anchor": "middle"})
    if chart.subtitle:
        canvas.lines(group, WIDTH / 2, wrap(chart.subtitle, (WIDTH - 24) / SMALL_SIZE), SMALL_SIZE, "subtitle",
                     fill="#fff", **{"text-anchor": "middle"})
    canvas.y += 8
    rect.set("height", _n(canvas.y))
    canvas.y += 14


def _terminal(canvas: _Canvas, label: str, cls: str) -> None:
    group = ET.SubElement(canvas.root, "g", {"class": cls})
    width = WIDTH - 2 * 40
    lines = wrap(label, (width - 28) / BODY_SIZE)
    height = len(lines) * BODY_SIZE * 1.4 + 14
    ET.SubElement(group, "rect", {"x": "40", "y": _n(canvas.y), "width": str(width), "height": _n(height),
                                  "rx": _n(min(height / 2, 22)), "fill": "#f4efe8", "stroke": RED_DARK,
                                  "stroke-width": "1.5"})
    canvas.y += 7
    canvas.lines(group, WIDTH / 2, lines, BODY_SIZE, "label", fill=INK, **{"text-anchor": "middle"})
    canvas.y += 7


def _step_box(canvas: _Canvas, number: int, step: FlowStep) -> None:
    group = ET.SubElement(canvas.root, "g", {"class": "step", "data-step": str(number)})
    top = canvas.y
    rect = ET.SubElement(group, "rect", {"x": str(MARGIN), "y": _n(top), "width": str(WIDTH - 2 * MARGIN),
                                         "rx": "8", "fill": PAPER, "stroke": RED, "stroke-width": "1.5"})
    ET.SubElement(group, "circle", {"cx": str(MARGIN + 19), "cy": _n(top + 18), "r": "13", "fill": RED})
    canvas.text(group, MARGIN + 19, top + 22.5, str(number), SMALL_SIZE, fill="#fff",
                **{"class": "num", "text-anchor": "middle", "font-weight": "700"})
    left = MARGIN + 40
    inner = (WIDTH - MARGIN - 10 - left)
    canvas.y = top + 6
    if step.actor:
        canvas.lines(group, left, wrap(step.actor, inner / BODY_SIZE), BODY_SIZE, "actor",
                     fill=RED_DARK, **{"font-weight": "700"})
    canvas.lines(group, left, wrap(step.action, inner / BODY_SIZE), BODY_SIZE, "action", fill=INK)
    if step.note:
        canvas.lines(group, left, wrap(step.note, inner / SMALL_SIZE), SMALL_SIZE, "note",
                     fill=WARN, **{"font-weight": "700"})
    canvas.y = max(canvas.y + 8, top + 44)
    rect.set("height", _n(canvas.y - top))


def _footer(canvas: _Canvas, lines: Sequence[str]) -> None:
    canvas.y += 14
    group = ET.SubElement(canvas.root, "g", {"class": "footer"})
    top = canvas.y
    rect = ET.SubElement(group, "rect", {"x": str(MARGIN), "y": _n(top), "width": str(WIDTH - 2 * MARGIN),
                                         "rx": "6", "fill": "none", "stroke": MUTED, "stroke-dasharray": "4 3"})
    canvas.y += 6
    inner = (WIDTH - 2 * MARGIN - 20) / SMALL_SIZE
    for line in lines:
        canvas.lines(group, MARGIN + 10, wrap(line, inner), SMALL_SIZE, "supervision", fill=MUTED)
    canvas.y += 6
    rect.set("height", _n(canvas.y - top))
