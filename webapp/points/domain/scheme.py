"""The rule model of a scheme version: items, categories, caps and policies, as loaded from YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)

SUBJECTS = ("household", "member_and_household")
INSPECTION_PERIODS = ("month", "quarter", "year")
ITEM_KINDS = ("base", "bonus", "deduction", "freeze")
ITEM_PERS = ("inspection", "event", "month", "year")
SCOPES = ("household", "member")
EVIDENCE = ("required", "optional")
CREDITS = ("immediate", "year_end")
DEFAULTS = ("met", "not_met")
CAP_PERS = ("month", "year")
BALANCES = ("carry_over", "reset_monthly", "reset_yearly")
RANK_BASES = ("sum", "monthly_average")


@dataclass(frozen=True, slots=True)
class ItemRule:
    """One scoring item; points are signed (deductions negative, freeze 0)."""

    code: str
    name: str
    category_code: str
    kind: str
    points: Decimal = ZERO
    per: str = "event"
    scope: str = "household"
    evidence: str = "optional"
    credit: str = "immediate"
    default_met: bool = False
    implicit: bool = False
    # Carried on the item so a line of a retired version can still name its category.
    category_name: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """A group of items; base categories carry base points and an inspection period."""

    code: str
    name: str
    kind: str | None
    base_points: Decimal | None
    inspection_period: str
    item_codes: tuple[str, ...]
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class CapRule:
    """A bound on the magnitude of a set of items' counted points per month or per year."""

    item_codes: frozenset[str]
    item_order: tuple[str, ...]
    max: Decimal
    per: str
    # "bonus" or "deduction": the direction the cap bounds (the loader refuses mixed caps).
    kind: str = "bonus"
    # The key as one string: str hashes are cached, and the engine looks caps up per line.
    tag: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tag", "\x1f".join(sorted(self.item_codes)))

    @property
    def key(self) -> tuple[str, ...]:
        """A stable identity that survives scheme versions naming the same items."""
        return tuple(sorted(self.item_codes))


@dataclass(frozen=True, slots=True)
class Policies:
    """The scheme's knobs; raw keeps the whole mapping so later features can read any of them."""

    balance: str = "carry_over"
    annual_rank_basis: str = "sum"
    publish_by_day: int | None = None
    scoring_deadline_day: int | None = None
    notice_days: int | None = None
    review_group_min_size: int | None = None
    review_group_max_households: int | None = None
    approvals_needed: int = 1
    cross_review: bool = False
    yuan_per_point: Decimal = Decimal(1)
    redemption_day: int | None = None
    year_end_prizes: Mapping[str, Any] | None = field(default=None, hash=False)
    star_ratings: Mapping[str, Any] | None = field(default=None, hash=False)
    model_households_per_month: Any = field(default=None, hash=False)
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False, repr=False)


@dataclass(frozen=True, slots=True, eq=False)
class SchemeRules:
    """A whole scheme version, with lookups the engine needs precomputed once."""

    code: str
    name: str
    subject: str
    base_points: Decimal | None
    inspection_period: str
    categories: tuple[CategoryRule, ...]
    items: Mapping[str, ItemRule]
    caps: tuple[CapRule, ...] = ()
    policies: Policies = field(default_factory=Policies)
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)
    # Derived lookups, built once here so scoring 1,500 households never rebuilds them.
    positions: Mapping[str, int] = field(init=False, repr=False)
    caps_by_item: Mapping[str, tuple[CapRule, ...]] = field(init=False, repr=False)
    # Per inspection kind: base items by code, and what they earn when every item keeps its default.
    base_by_code: Mapping[str, Mapping[str, ItemRule]] = field(init=False, repr=False)
    base_default_total: Mapping[str, Decimal] = field(init=False, repr=False)
    _base_by_kind: Mapping[str, tuple[ItemRule, ...]] = field(init=False, repr=False)
    # The kinds of period that have base items, in the order the scheme first names them.
    inspection_kinds: tuple[str, ...] = field(init=False, repr=False)
    _categories_by_code: Mapping[str, CategoryRule] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        order = {code: position for position, code in enumerate(self.items)}
        caps_by_item: dict[str, list[CapRule]] = {}
        for cap in self.caps:
            for code in cap.item_order:
                caps_by_item.setdefault(code, []).append(cap)
        by_code = {category.code: category for category in self.categories}
        base_by_kind: dict[str, list[ItemRule]] = {kind: [] for kind in INSPECTION_PERIODS}
        kinds: dict[str, None] = {}
        # The one rule for what an inspection checks: the base items of the categories inspected per kind.
        for item in self.items.values():
            if item.kind == "base":
                kind = by_code[item.category_code].inspection_period
                base_by_kind[kind].append(item)
                kinds[kind] = None
        object.__setattr__(self, "positions", order)
        object.__setattr__(self, "caps_by_item", {c: tuple(v) for c, v in caps_by_item.items()})
        object.__setattr__(self, "base_by_code", {k: {i.code: i for i in v} for k, v in base_by_kind.items()})
        object.__setattr__(self, "base_default_total", {
            k: sum((i.points for i in v if i.default_met), ZERO) for k, v in base_by_kind.items()
        })
        object.__setattr__(self, "_base_by_kind", {k: tuple(v) for k, v in base_by_kind.items()})
        object.__setattr__(self, "_categories_by_code", by_code)
        object.__setattr__(self, "inspection_kinds", tuple(kinds))

    def base_items(self, inspection_kind: str) -> tuple[ItemRule, ...]:
        """Base items of the categories inspected per month, quarter or year, in scheme order."""
        return self._base_by_kind.get(inspection_kind, ())

    def categories_with_base_in(self, inspection_kind: str) -> tuple[CategoryRule, ...]:
        """Categories with base items inspected at this kind of period."""
        codes = {item.category_code for item in self.base_items(inspection_kind)}
        return tuple(c for c in self.categories if c.code in codes)

    def base_checklist(self, inspection_kind: str) -> tuple[tuple[CategoryRule, tuple[ItemRule, ...]], ...]:
        """An inspection's form: each category with base items of this kind, and those items, in scheme order."""
        items = self.base_items(inspection_kind)
        return tuple((c, tuple(i for i in items if i.category_code == c.code))
                     for c in self.categories_with_base_in(inspection_kind))

    def caps_for(self, item_code: str) -> tuple[CapRule, ...]:
        """The caps that bound an item, in scheme order."""
        return self.caps_by_item.get(item_code, ())

    def category(self, code: str) -> CategoryRule | None:
        """The category with this code, if the scheme has one."""
        return self._categories_by_code.get(code)

    def position(self, item_code: str) -> int:
        """An item's place in scheme order; items this version lacks sort after all others."""
        return self.positions.get(item_code, len(self.positions))
