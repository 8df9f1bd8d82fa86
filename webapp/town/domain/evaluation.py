"""The village evaluation (行政村积分评价, seed 003): the town's items and weights for a year, each village's
figure explained line by line, and the ranking with shared ranks.

An item is a base item (基础分), a key item (重点分) or a deduction (扣分项), worth at most `max_points`.
How it is scored (`method`):
- participation (户户参与): half (`share_weight` %) of its points by the share of the village's households
  taking part in points, the rest by the taking-part households' average year points against `full_at`
  (the households' points folded into a village figure);
- stars (美丽庭院星级户): the shares of 1★, 3★ and 5★ courtyards, a household counting stars ÷ 5;
- manual: the town enters the points with a note and evidence (为老服务, 拆违成果, 治理有效, deductions).
A village's figure is the sum of its base and key items less its deductions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from webapp.core.messages import N_, render
from webapp.points.domain.ranking import rank
from webapp.points.domain.statement import format_points

KINDS = ("base", "key", "deduction")
KIND_NAMES = {"base": N_("Base items (基础分)"), "key": N_("Key items (重点分)"),
              "deduction": N_("Deductions (扣分项)")}
METHODS = ("participation", "stars", "manual")
METHOD_NAMES = {"participation": N_("Computed: household participation and points"),
                "stars": N_("Computed: shares of 1★/3★/5★ courtyards"),
                "manual": N_("Entered by the town with a note and evidence")}
STARS = (1, 3, 5)
# Where the template puts each kind's points when a rules file names the items but not their weights.
DEFAULT_MAX = {"base": Decimal(35), "key": Decimal(10), "deduction": Decimal(10)}
DEFAULT_SHARE_WEIGHT = Decimal(50)
DEFAULT_FULL_AT = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")


def points(value: Decimal) -> Decimal:
    """Points as figures show them: to the cent, halves up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(share: Decimal) -> str:
    """A share (0..1) as a percentage without trailing zeros: 0.125 → 12.5."""
    return format_points(points(share * 100))


@dataclass(frozen=True, slots=True)
class ItemDef:
    """One item of the year's evaluation."""

    key: int | str
    name: str
    kind: str
    method: str = "manual"
    max_points: Decimal = ZERO
    share_weight: Decimal = DEFAULT_SHARE_WEIGHT  # participation: % of max_points earned by the share taking part
    full_at: Decimal = DEFAULT_FULL_AT            # participation: average year points that earn the rest in full


def method_for(kind: str, name: str) -> str:
    """The template's guess at how an item named so is scored (the town may change it)."""
    if kind == "base" and "参与" in name:
        return "participation"
    if kind == "base" and "星" in name:
        return "stars"
    return "manual"


def template_items(rules: Mapping[str, object]) -> list[ItemDef]:
    """The items of a rules file's `village_evaluation` section, names, kinds and order as written, with the
    default weights; ValueError when the file has no such section."""
    section = rules.get("village_evaluation") if isinstance(rules, Mapping) else None
    if not isinstance(section, Mapping):
        raise ValueError("no village_evaluation")  # noqa: TRY004 - a file without the section, not a bug
    files_kinds = {"base": "base", "key": "key", "deductions": "deduction", "deduction": "deduction"}
    items: list[ItemDef] = []
    for file_kind, kind in files_kinds.items():
        for name in section.get(file_kind) or ():
            text = str(name).strip()
            items.append(ItemDef(len(items), text, kind, method_for(kind, text), DEFAULT_MAX[kind]))
    if not items:
        raise ValueError("no items")
    return items


@dataclass(frozen=True, slots=True)
class VillageFacts:
    """What the data knows of a village for the year, and what the town entered."""

    key: str                      # the village's code: ties list in code order
    households: int               # households on the roster for the year
    taking_part: int              # of them, taking part in points (eligible, enrolled)
    year_points: Decimal          # the taking-part households' year points, summed
    star_shares: Mapping[int, Decimal] = field(default_factory=dict)  # stars → share of taking-part households
    entered: Mapping[int | str, Decimal] = field(default_factory=dict)  # manual item key → points entered
    notes: Mapping[int | str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Detail:
    """One sentence of an item's explanation: an English msgid and its params."""

    msgid: str
    params: dict[str, str]


def render_detail(detail: Detail) -> str:
    """The sentence in English (pages translate the msgid instead)."""
    return render(detail.msgid, detail.params)


@dataclass(frozen=True, slots=True)
class FigureLine:
    item_key: int | str
    name: str
    kind: str
    points: Decimal  # signed: a deduction is negative
    details: tuple[Detail, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    total: Decimal
    lines: tuple[FigureLine, ...]
    rank: int = 0

    def subtotal(self, kind: str) -> Decimal:
        return sum((line.points for line in self.lines if line.kind == kind), ZERO)


def _participation(item: ItemDef, facts: VillageFacts) -> tuple[Decimal, tuple[Detail, ...]]:
    share = Decimal(facts.taking_part) / facts.households if facts.households else ZERO
    average = facts.year_points / facts.taking_part if facts.taking_part else ZERO
    ratio = min(Decimal(1), max(ZERO, average / item.full_at)) if item.full_at > 0 else ZERO
    share_part = item.max_points * item.share_weight / 100
    points_part = item.max_points - share_part
    by_share, by_points = points(share_part * share), points(points_part * ratio)
    return by_share + by_points, (
        Detail(N_("%(taking_part)s of %(households)s households take part (%(share)s%%): "
                  "%(share)s%% × %(part)s = %(points)s"),
               {"taking_part": str(facts.taking_part), "households": str(facts.households),
                "share": percent(share), "part": format_points(points(share_part)),
                "points": format_points(by_share)}),
        Detail(N_("Their average year points %(average)s against full marks at %(full_at)s (%(ratio)s%%): "
                  "%(ratio)s%% × %(part)s = %(points)s"),
               {"average": format_points(points(average)), "full_at": format_points(item.full_at),
                "ratio": percent(ratio), "part": format_points(points(points_part)),
                "points": format_points(by_points)}),
    )


def _stars(item: ItemDef, facts: VillageFacts) -> tuple[Decimal, tuple[Detail, ...]]:
    shares = {s: Decimal(facts.star_shares.get(s, ZERO)) for s in STARS}
    value = sum((shares[s] * s for s in STARS), ZERO) / 5
    got = points(item.max_points * value)
    return got, (Detail(N_("1★ %(one)s%%, 3★ %(three)s%%, 5★ %(five)s%% of households; each counts its stars ÷ 5: "
                           "%(value)s%% × %(max)s = %(points)s"),
                        {"one": percent(shares[1]), "three": percent(shares[3]), "five": percent(shares[5]),
                         "value": percent(value), "max": format_points(item.max_points),
                         "points": format_points(got)}),)


def _manual(item: ItemDef, facts: VillageFacts) -> tuple[Decimal, tuple[Detail, ...]]:
    if item.key not in facts.entered:
        return ZERO, (Detail(N_("Not entered yet: 0 of %(max)s"), {"max": format_points(item.max_points)}),)
    got = points(min(item.max_points, max(ZERO, Decimal(facts.entered[item.key]))))
    detail = Detail(N_("Entered by the town: %(points)s of %(max)s. %(note)s"),
                    {"points": format_points(got), "max": format_points(item.max_points),
                     "note": facts.notes.get(item.key, "")})
    return got, (detail,)


SCORERS = {"participation": _participation, "stars": _stars, "manual": _manual}


def figure(items: Iterable[ItemDef], facts: VillageFacts) -> Figure:
    """A village's figure with one explained line per item, in the items' order."""
    lines = []
    for item in items:
        got, details = SCORERS[item.method](item, facts)
        lines.append(FigureLine(item.key, item.name, item.kind, -got if item.kind == "deduction" else got, details))
    return Figure(facts.key, sum((line.points for line in lines), ZERO), tuple(lines))


def ranking(figures: Iterable[Figure]) -> list[Figure]:
    """Figures best first, ranked with ties shared (1, 2, 2, 4); tied villages list in key order."""
    by_key = {f.key: f for f in figures}
    return [Figure(r.key, r.score, by_key[r.key].lines, r.rank)
            for r in rank((f.key, f.total) for f in by_key.values())]


def check_item(kind: str, method: str, max_points: Decimal, share_weight: Decimal, full_at: Decimal) -> str | None:
    """Why an item's settings cannot stand (a msgid), or None."""
    if kind not in KINDS or method not in METHODS:
        return N_("Choose a kind and a method from the lists.")
    if kind == "deduction" and method != "manual":
        return N_("A deduction is entered by the town.")
    if max_points <= 0 or max_points > 1000:
        return N_("An item is worth more than 0 and at most 1000 points.")
    if not ZERO <= share_weight <= 100 or full_at <= 0:
        return N_("The participation share is 0 to 100 percent and full marks need more than 0 points.")
    return None
