"""What changed from one version of the rules to the next, item by item: added, retired, points changed,
wording changed, how it is scored changed; caps added, removed or changed; the base.

Items are matched by code (the code an entry's item keeps across versions); caps by the items they
bound, then the ones left over in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from webapp.points.domain.scheme import CapRule, ItemRule, SchemeRules

ADDED, RETIRED, CHANGED = "added", "retired", "changed"
# How an item is scored, beside its points and wording; the page names each one that changed.
RULE_FIELDS = ("kind", "per", "scope", "evidence", "credit", "default_met", "category_code")


@dataclass(frozen=True, slots=True)
class ItemChange:
    code: str
    status: str  # added, retired or changed
    before: ItemRule | None
    after: ItemRule | None
    fields: tuple[str, ...] = ()  # for a changed item: "points", "name" and any of RULE_FIELDS

    @property
    def item(self) -> ItemRule:
        """The item as it is now (as it was, for a retired one)."""
        return self.after or self.before  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class CapChange:
    status: str  # added, retired or changed
    before: CapRule | None
    after: CapRule | None
    fields: tuple[str, ...] = ()  # for a changed cap: any of "items", "max", "per"

    @property
    def cap(self) -> CapRule:
        return self.after or self.before  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class SchemeDiff:
    items: tuple[ItemChange, ...]
    caps: tuple[CapChange, ...]
    base_before: Decimal | None
    base_after: Decimal | None

    @property
    def base_changed(self) -> bool:
        return self.base_before != self.base_after

    def __bool__(self) -> bool:
        return bool(self.items or self.caps or self.base_changed)

    def of(self, status: str) -> tuple[ItemChange, ...]:
        return tuple(change for change in self.items if change.status == status)


def _item_fields(before: ItemRule, after: ItemRule) -> tuple[str, ...]:
    fields = []
    if before.points != after.points:
        fields.append("points")
    if before.name != after.name:
        fields.append("name")
    fields += [f for f in RULE_FIELDS if getattr(before, f) != getattr(after, f)]
    return tuple(fields)


def _cap_fields(before: CapRule, after: CapRule) -> tuple[str, ...]:
    return tuple(f for f, a, b in (("items", before.item_codes, after.item_codes), ("max", before.max, after.max),
                                   ("per", before.per, after.per)) if a != b)


def _caps(old: SchemeRules, new: SchemeRules) -> list[CapChange]:
    old_left = list(old.caps)
    changes: list[CapChange] = []
    unmatched = []
    for cap in new.caps:
        same = next((c for c in old_left if c.key == cap.key), None)
        if same is None:
            unmatched.append(cap)
            continue
        old_left.remove(same)
        if fields := _cap_fields(same, cap):
            changes.append(CapChange(CHANGED, same, cap, fields))
    for before, after in zip(old_left, unmatched):  # a cap that lost or gained an item: the same cap, changed
        changes.append(CapChange(CHANGED, before, after, _cap_fields(before, after)))
    changes += [CapChange(RETIRED, c, None) for c in old_left[len(unmatched):]]
    changes += [CapChange(ADDED, None, c) for c in unmatched[len(old_left):]]
    return changes


def scheme_diff(old: SchemeRules, new: SchemeRules) -> SchemeDiff:
    """Every difference between two versions of the rules, in the new version's order (retired items last)."""
    items = []
    for code, item in new.items.items():
        if item.implicit:
            continue
        before = old.items.get(code)
        if before is None or before.implicit:
            items.append(ItemChange(code, ADDED, None, item))
        elif fields := _item_fields(before, item):
            items.append(ItemChange(code, CHANGED, before, item, fields))
    items += [ItemChange(code, RETIRED, item, None) for code, item in old.items.items()
              if code not in new.items and not item.implicit]
    return SchemeDiff(tuple(items), tuple(_caps(old, new)), old.base_points, new.base_points)
