"""The edits the rules pages make to a draft: an item's points or wording, a new item, a retired item,
a cap's limit. Each takes rules and returns new rules; nothing is changed in place.

Points are typed as a size ("扣 1 分" is 1 for a deduction item): the edit gives them the item's sign.
A base item's points change its category's base, and the scheme's base with it, so the loader's sums
still hold. Whether the result is a valid scheme is the loader's to say (the service writes and loads it).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.points.domain.scheme import EVIDENCE, ZERO, CapRule, CategoryRule, ItemRule, SchemeRules

MAX_NAME = 300  # Item.name's column
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def signed(kind: str, size: Decimal) -> Decimal:
    """Points as the rules store them: negative for a deduction, 0 for a freeze."""
    if kind == "freeze":
        return ZERO
    return -abs(size) if kind == "deduction" else abs(size)


def _item(rules: SchemeRules, code: str) -> ItemRule:
    item = rules.items.get(code)
    if item is None or item.implicit:
        raise Refusal(N_("The rules have no item %(code)s."), code=code)
    return item


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Refusal(N_("Give the item a name."))
    if len(name) > MAX_NAME:
        raise Refusal(N_("An item's name has at most %(max)s characters."), max=MAX_NAME)
    return name


def _rebuild(rules: SchemeRules, items: dict[str, ItemRule], categories: list[CategoryRule],
             caps: tuple[CapRule, ...]) -> SchemeRules:
    """New rules with base sums recomputed: each base category's base is the sum of its base items."""
    fixed = []
    for category in categories:
        base = [items[c] for c in category.item_codes if items[c].kind == "base" and not items[c].implicit]
        if base:
            category = replace(category, base_points=sum((i.points for i in base), ZERO))
        fixed.append(category)
    ordered = {code: items[code] for category in fixed for code in category.item_codes}
    scheme_base = rules.base_points
    if scheme_base is not None:
        scheme_base = sum((c.base_points for c in fixed if c.base_points is not None), ZERO)
    return SchemeRules(
        code=rules.code, name=rules.name, subject=rules.subject, base_points=scheme_base,
        inspection_period=rules.inspection_period, categories=tuple(fixed), items=ordered, caps=caps,
        policies=rules.policies, extra=rules.extra,
    )


def change_item(rules: SchemeRules, code: str, name: str, size: Decimal, evidence: str | None = None) -> SchemeRules:
    """The item with new wording and points (and whether it needs a photo)."""
    item = _item(rules, code)
    if evidence is not None and evidence not in EVIDENCE:
        raise Refusal(N_("Choose whether the item needs a photo."))
    changed = replace(item, name=_name(name), points=signed(item.kind, size), evidence=evidence or item.evidence)
    items = {**rules.items, code: changed}
    return _rebuild(rules, items, list(rules.categories), rules.caps)


def add_item(rules: SchemeRules, category_code: str, code: str, name: str, size: Decimal,
             per: str = "event", evidence: str = "optional") -> SchemeRules:
    """A new item at the end of a category, of the category's kind."""
    category = rules.category(category_code)
    if category is None:
        raise Refusal(N_("The rules have no category %(code)s."), code=category_code)
    code = code.strip()
    if not code or len(code) > 32 or not set(code) <= CODE_CHARS:
        raise Refusal(N_("An item's code is 1 to 32 letters, digits, - or _."))
    if code in rules.items:
        raise Refusal(N_("Item code %(code)s is already used."), code=code)
    kind = category.kind or _kind_of(rules, category)
    if kind is None:
        raise Refusal(N_("Category %(code)s has no kind; add the item in the rules file."), code=category_code)
    if any(rules.items[c].implicit for c in category.item_codes):
        raise Refusal(N_("Category %(code)s is scored as a whole; add its items in the rules file."),
                      code=category_code)
    sibling = next((rules.items[c] for c in category.item_codes), None)  # a new item is scored like its neighbours
    item = ItemRule(code, _name(name), category.code, kind, signed(kind, size),
                    "inspection" if kind == "base" else per, sibling.scope if sibling else "household",
                    evidence, "immediate", False, False, category.name)
    items = {**rules.items, code: item}
    categories = [replace(c, item_codes=(*c.item_codes, code)) if c.code == category.code else c
                  for c in rules.categories]
    return _rebuild(rules, items, categories, rules.caps)


def _kind_of(rules: SchemeRules, category: CategoryRule) -> str | None:
    kinds = {rules.items[c].kind for c in category.item_codes}
    return kinds.pop() if len(kinds) == 1 else None


def retire_item(rules: SchemeRules, code: str) -> SchemeRules:
    """The rules without the item; a cap loses it too, and a cap left with no item goes."""
    _item(rules, code)
    items = {c: i for c, i in rules.items.items() if c != code}
    categories = [replace(c, item_codes=tuple(x for x in c.item_codes if x != code)) for c in rules.categories]
    caps = []
    for cap in rules.caps:
        left = tuple(c for c in cap.item_order if c != code)
        if left:
            caps.append(CapRule(frozenset(left), left, cap.max, cap.per, cap.kind) if left != cap.item_order else cap)
    return _rebuild(rules, items, categories, tuple(caps))


def change_cap(rules: SchemeRules, index: int, size: Decimal, per: str) -> SchemeRules:
    """A cap with a new limit or period (month or year)."""
    if not 0 <= index < len(rules.caps):
        raise Refusal(N_("The rules have no such cap."))
    if size <= 0:
        raise Refusal(N_("A cap must be more than 0."))
    cap = rules.caps[index]
    changed = CapRule(cap.item_codes, cap.item_order, abs(size), per, cap.kind)
    caps = (*rules.caps[:index], changed, *rules.caps[index + 1:])
    return _rebuild(rules, dict(rules.items), list(rules.categories), caps)
