"""Satisfaction surveys (满意度测评), pure: question kinds, the survey state table, who may answer when,
checking one household's answer set, and tallying answers into counts and percentages.

No Flask, no SQLAlchemy: the services turn rows into these values and back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from webapp.core.messages import N_
from webapp.core.refusal import Refusal

SCALE, CHOICE, TEXT = "scale", "choice", "text"
KINDS = (SCALE, CHOICE, TEXT)
KIND_NAMES = {SCALE: N_("Satisfaction scale"), CHOICE: N_("Single choice"), TEXT: N_("Short text")}
# The satisfaction scale: stored keys, shown as 满意 / 基本满意 / 不满意.
SCALE_OPTIONS = ("satisfied", "fairly_satisfied", "dissatisfied")
SCALE_NAMES = {"satisfied": N_("Satisfied"), "fairly_satisfied": N_("Fairly satisfied"),
               "dissatisfied": N_("Dissatisfied")}
MAX_TEXT = 300          # a short text answer, in characters
MAX_OPTIONS = 10        # options of a single-choice question
MAX_QUESTIONS = 30

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
STATES = (DRAFT, OPEN, CLOSED)
STATE_NAMES = {DRAFT: N_("Draft"), OPEN: N_("Open for answers"), CLOSED: N_("Closed")}
# The state table: (state, action) → next state. Anything not in it is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "edit"): DRAFT,
    (DRAFT, "open"): OPEN,
    (OPEN, "close"): CLOSED,
}
CHANNELS = ("phone", "paper")


def next_state(state: str, action: str) -> str:
    """The state after `action`, or a refusal naming the state the survey is in."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise Refusal(N_("The survey cannot be changed that way in its present state."), state=state) from None


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    kind: str
    prompt: str
    options: tuple[str, ...] = ()

    @property
    def choices(self) -> tuple[str, ...]:
        """The values an answer may take (scale keys or the options); none for text."""
        return SCALE_OPTIONS if self.kind == SCALE else self.options


def parse_options(kind: str, text: str) -> tuple[str, ...]:
    """A question's options from one-per-line text: a single choice needs 2 to MAX_OPTIONS distinct ones;
    the scale and text kinds take none."""
    if kind not in KINDS:
        raise Refusal(N_("Unknown question kind %(kind)s."), kind=kind)
    if kind != CHOICE:
        return ()
    options = tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise Refusal(N_("A single-choice question needs between 2 and %(n)s options, one per line."), n=MAX_OPTIONS)
    if any(len(o) > 100 for o in options):
        raise Refusal(N_("An option is at most 100 characters."))
    return options


def check_window(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise Refusal(N_("The survey must close on or after the day it opens."))


def check_may_open(question_count: int, village_count: int) -> None:
    if question_count == 0:
        raise Refusal(N_("Add at least one question before opening the survey."))
    if village_count == 0:
        raise Refusal(N_("Choose at least one village to open the survey to."))


def check_may_answer(state: str, opens_on: date, closes_on: date, today: date,
                     village_id: int, village_ids: Iterable[int]) -> None:
    """Refuse an answer to a survey that is not open to this village today."""
    if village_id not in set(village_ids):
        raise Refusal(N_("This survey is not open to your village."))
    if state == DRAFT or today < opens_on:
        raise Refusal(N_("This survey is not open yet."))
    if state == CLOSED or today > closes_on:
        raise Refusal(N_("This survey is closed."))


def is_answerable(state: str, opens_on: date, closes_on: date, today: date) -> bool:
    return state == OPEN and opens_on <= today <= closes_on


def check_answers(questions: Iterable[Question], raw: Mapping[int, str]) -> dict[int, str]:
    """One household's answer set, checked: every scale and choice question answered with one of its
    values, text answers trimmed and short (and optional). Returns {question id: value}, empty texts left out."""
    answers: dict[int, str] = {}
    for question in questions:
        value = (raw.get(question.id) or "").strip()
        if question.kind == TEXT:
            if len(value) > MAX_TEXT:
                raise Refusal(N_("A written answer is at most %(n)s characters."), n=MAX_TEXT)
            if value:
                answers[question.id] = value
            continue
        if not value:
            raise Refusal(N_("Please answer every question: %(prompt)s"), prompt=question.prompt)
        if value not in question.choices:
            raise Refusal(N_("That is not one of the answers to: %(prompt)s"), prompt=question.prompt)
        answers[question.id] = value
    return answers


def percent(count: int, total: int) -> Decimal:
    """count of total as a percentage with one decimal (0 when nobody answered)."""
    if total == 0:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class Tally:
    """One question's results: count and percentage per value (in the question's order), or the texts."""

    question: Question
    responses: int = 0                  # answer sets counted (the base of the percentages)
    counts: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, int, Decimal]]:
        answered = sum(self.counts.values())
        return [(value, count, percent(count, answered)) for value, count in self.counts.items()]

    @property
    def answered(self) -> int:
        return sum(self.counts.values()) if self.question.kind != TEXT else len(self.texts)


def tally(questions: Iterable[Question], responses: Iterable[Mapping[int, str]]) -> list[Tally]:
    """Count answer sets question by question. Values no longer among a question's choices are ignored;
    texts are kept in the order given (the caller orders them so that they say nothing of who wrote them)."""
    tallies = [Tally(q, counts={v: 0 for v in q.choices}) for q in questions]
    for response in responses:
        for t in tallies:
            t.responses += 1
            value = response.get(t.question.id)
            if value is None:
                continue
            if t.question.kind == TEXT:
                t.texts.append(value)
            elif value in t.counts:
                t.counts[value] += 1
    return tallies


def satisfaction_rate(tallies: Iterable[Tally]) -> Decimal | None:
    """满意度: the share of scale answers that are 满意 or 基本满意, over every scale question; None without any."""
    good = total = 0
    for t in tallies:
        if t.question.kind == SCALE:
            good += t.counts.get("satisfied", 0) + t.counts.get("fairly_satisfied", 0)
            total += sum(t.counts.values())
    return percent(good, total) if total else None


def bar_chart_svg(bars: list[tuple[str, int, Decimal]], title: str) -> str:
    """A horizontal bar chart (label, count, percent) as SVG text, 320 wide so it reads on a 360 px phone.
    Built with ElementTree, which escapes every text; no script."""
    import xml.etree.ElementTree as ET

    row, width, label_w = 28, 320, 110
    height = 8 + row * max(len(bars), 1)
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "class": "survey-chart", "role": "img",
                             "viewBox": f"0 0 {width} {height}", "width": "100%", "style": "max-width:480px"})
    ET.SubElement(svg, "title").text = title
    bar_w = width - label_w - 70
    for i, (label, count, pct) in enumerate(bars):
        y = 4 + i * row
        text = ET.SubElement(svg, "text", {"x": "0", "y": str(y + 17), "font-size": "13"})
        text.text = label if len(label) <= 8 else label[:7] + "…"
        length = int(bar_w * float(pct) / 100)
        ET.SubElement(svg, "rect", {"x": str(label_w), "y": str(y + 4), "width": str(max(length, 1)), "height": "18",
                                    "fill": "#2f7d4f" if i == 0 else "#6a9fcf", "rx": "2"})
        value = ET.SubElement(svg, "text", {"x": str(label_w + max(length, 1) + 4), "y": str(y + 17), "font-size": "12"})
        value.text = f"{count} · {pct}%"
    return ET.tostring(svg, encoding="unicode")
