"""Build SchemeRules from a scheme's loaded YAML data, collecting every problem on the way.

The loader (scheme_loader.py) parses the text and turns the problems' paths into YAML lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from webapp.core.messages import N_
from webapp.points.domain import scheme_schemas as sc
from webapp.points.domain.scheme import ZERO, CapRule, CategoryRule, ItemRule, SchemeRules
from webapp.points.domain.scheme_schemas import PathPart, path_text

_SECTIONS = ("scheme", "policies", "categories", "caps")
# Far above any real scheme (the Fengsheng rules: 9 categories, 40 items, 3 caps); the rules are
# read on many pages, so a file far bigger than these would slow the whole village down.
MAX_CATEGORIES = 100
MAX_ITEMS = 1000
MAX_CAPS = 200


class SchemeBuilder:
    """Builds SchemeRules from loaded YAML, collecting (msgid, params, path) problems."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.problems: list[sc.Found] = []
        self.items: dict[str, ItemRule] = {}
        self.item_paths: dict[str, list[PathPart]] = {}
        # Codes of items that failed to load: caps naming them are not "unknown", just unresolved.
        self.attempted: set[str] = set()
        self.complete = True

    def problem(self, msgid: str, parts: list[PathPart], **params: Any) -> None:
        self.problems.append((msgid, params, parts))

    def absorb(self, found: list[sc.Found], parts: list[PathPart]) -> None:
        self.problems += [(msgid, params, [*parts, *relative]) for msgid, params, relative in found]

    def load(self, schema: Any, raw: Any, parts: list[PathPart], not_a_mapping: str) -> dict[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.problem(not_a_mapping, parts, value=sc.show(raw))
            return None
        loaded, found = sc.load_with(schema, raw)
        self.absorb(found, parts)
        return loaded

    def build(self) -> SchemeRules | None:
        if self.data is None:
            self.problem(N_("The file is empty"), [])
            return None
        if not isinstance(self.data, Mapping):
            self.problem(N_("The file must be a mapping with the sections scheme, policies, categories and caps"), [])
            return None
        header = None
        if "scheme" not in self.data:
            self.problem(N_("The file has no scheme section (code, name, ...)"), [])
        else:
            header = self.load(sc.HeaderSchema(), self.data["scheme"], ["scheme"],
                               N_("scheme must be a mapping with code and name, not %(value)s"))
        raw_policies = self.data.get("policies") or {}
        policies = self.load(sc.PoliciesSchema(), raw_policies, ["policies"],
                             N_("policies must be a mapping, not %(value)s"))
        period = header["inspection_period"] if header else "month"
        categories = self.categories(period)
        caps = self.caps()
        if header and header["base_points"] is not None and self.complete:
            self.check_scheme_base(header["base_points"], categories)
        if self.problems or header is None or policies is None:
            return None
        extra = {k: v for k, v in self.data.items() if k not in _SECTIONS}
        extra.update(sc.extra_keys(sc.HeaderSchema(), header))
        return SchemeRules(
            code=header["code"], name=header["name"], subject=header["subject"] or "household",
            base_points=header["base_points"], inspection_period=period or "month",
            categories=tuple(categories), items=self.items, caps=tuple(caps),
            policies=sc.policies_from(policies, raw_policies), extra=extra,
        )

    def categories(self, period: str | None) -> list[CategoryRule]:
        raw = self.data.get("categories")
        if raw is None:
            self.problem(N_("The file has no categories"), [])
            return []
        if not isinstance(raw, list):
            self.problem(N_("categories must be a list, not %(value)s"), ["categories"], value=sc.show(raw))
            return []
        items = sum(len(c["items"]) for c in raw if isinstance(c, Mapping) and isinstance(c.get("items"), list))
        if len(raw) > MAX_CATEGORIES or items > MAX_ITEMS:
            self.problem(N_("The rules have %(categories)s categories and %(items)s items; at most %(max_categories)s "
                            "categories and %(max_items)s items are allowed."), ["categories"],
                         categories=len(raw), items=items, max_categories=MAX_CATEGORIES, max_items=MAX_ITEMS)
            return []
        built: list[CategoryRule] = []
        first_at: dict[str, int] = {}
        for index, raw_category in enumerate(raw):
            parts: list[PathPart] = ["categories", index]
            loaded = self.load(sc.CategorySchema(), raw_category, parts,
                               N_("Each category must be a mapping with code, name and items, not %(value)s"))
            if loaded is None:
                self.complete = False
                continue
            code = loaded["code"]
            if code in first_at:
                self.problem(N_("Category code %(code)s is used twice (also categories[%(first)s])"),
                             [*parts, "code"], code=code, first=first_at[code])
            first_at.setdefault(code, index)
            built.append(self.category(loaded, parts, period or "month"))
        return built

    def category(self, loaded: dict[str, Any], parts: list[PathPart], period: str) -> CategoryRule:
        code, name, kind = loaded["code"], loaded["name"], loaded["kind"]
        base_points: Decimal | None = loaded["base_points"]
        own: list[ItemRule] = []
        whole = True
        for index, raw_item in enumerate(loaded["items"] or []):
            item = self.item(raw_item, [*parts, "items", index], loaded)
            whole = whole and item is not None
            if item is not None:
                own.append(item)
        self.complete = self.complete and whole
        base = [item for item in own if item.kind == "base"]
        if kind == "base" and not loaded["items"]:
            if base_points is None:
                self.problem(N_("Base category %(code)s needs base_points or items"), parts, code=code)
            else:
                # A category that names only its base (star-140) is inspected as one item.
                own.append(self.add(ItemRule(code, name, code, "base", base_points, "inspection",
                                             implicit=True, category_name=name), [*parts, "code"]))
        elif base:
            total = sum((item.points for item in base), ZERO)
            if base_points is None:
                base_points = total
            elif whole and total != base_points:
                self.problem(N_("The base items of %(code)s add up to %(total)s, not its base_points %(base)s"),
                             [*parts, "base_points"], code=code, total=total, base=base_points)
        elif base_points is not None:
            self.problem(N_("Category %(code)s has base_points but no base items"), [*parts, "base_points"], code=code)
        return CategoryRule(code, name, kind, base_points, loaded["inspection_period"] or period,
                            tuple(item.code for item in own), sc.extra_keys(sc.CategorySchema(), loaded))

    def add(self, item: ItemRule, parts: list[PathPart]) -> ItemRule:
        if item.code in self.items:
            self.problem(N_("Item code %(code)s is used twice (also %(first)s)"), parts,
                         code=item.code, first=path_text(self.item_paths[item.code]))
        else:
            self.items[item.code] = item
            self.item_paths[item.code] = parts[:-1]
        return item

    def item(self, raw: Any, parts: list[PathPart], category: dict[str, Any]) -> ItemRule | None:
        if isinstance(raw, Mapping) and isinstance(raw.get("code"), (str, int)):
            self.attempted.add(str(raw["code"]))
        loaded = self.load(sc.ItemSchema(), raw, parts,
                           N_("Each item must be a mapping with code, name and points, not %(value)s"))
        if loaded is None:
            return None
        before = len(self.problems)
        code, kind, points, per = loaded["code"], loaded["kind"] or category["kind"], loaded["points"], loaded["per"]
        if kind is None:
            self.problem(N_("Item %(code)s has no kind; give it one or put it in a category that has one"),
                         parts, code=code)
            return None
        if kind == "freeze":
            if points:
                self.problem(N_("Freeze item %(code)s carries no points"), [*parts, "points"], code=code)
            points = ZERO
        elif points is None:
            self.problem(N_("Item %(code)s needs points"), parts, code=code)
        elif kind == "deduction" and points > 0:
            self.problem(N_("Deduction item %(code)s must have negative points, not %(points)s"),
                         [*parts, "points"], code=code, points=points)
        elif kind != "deduction" and points < 0:
            self.problem(N_("%(kind)s item %(code)s cannot have negative points (%(points)s)"),
                         [*parts, "points"], code=code, kind=kind.capitalize(), points=points)
        if kind == "base":
            if per not in (None, "inspection"):
                self.problem(N_("Base item %(code)s is scored at each inspection, so per must be left out"),
                             [*parts, "per"], code=code)
            per = "inspection"
        elif per == "inspection":
            self.problem(N_("Only base items are scored per inspection; %(code)s is a %(kind)s item"),
                         [*parts, "per"], code=code, kind=kind)
        if loaded["credit"] == "year_end" and kind not in ("bonus", "deduction"):
            self.problem(N_("Only bonus and deduction items can be credited at year end; %(code)s is a %(kind)s item"),
                         [*parts, "credit"], code=code, kind=kind)
        if loaded["default_state"] is not None and kind != "base":
            self.problem(N_("Only base items start met or not met; %(code)s is a %(kind)s item"),
                         [*parts, "default"], code=code, kind=kind)
        if len(self.problems) > before:
            return None
        return self.add(ItemRule(
            code, loaded["name"], category["code"], kind, points, per or "event",
            loaded["scope"] or category["scope"] or "household", loaded["evidence"] or "optional",
            loaded["credit"] or "immediate", loaded["default_state"] == "met", False, category["name"],
            sc.extra_keys(sc.ItemSchema(), loaded),
        ), [*parts, "code"])

    def caps(self) -> list[CapRule]:
        raw = self.data.get("caps")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(N_("caps must be a list, not %(value)s"), ["caps"], value=sc.show(raw))
            return []
        if len(raw) > MAX_CAPS:
            self.problem(N_("The rules have %(count)s caps; at most %(max)s are allowed."), ["caps"],
                         count=len(raw), max=MAX_CAPS)
            return []
        built = []
        for index, raw_cap in enumerate(raw):
            parts: list[PathPart] = ["caps", index]
            loaded = self.load(sc.CapSchema(), raw_cap, parts,
                               N_("Each cap must be a mapping with items, max and per, not %(value)s"))
            if loaded is not None:
                if (cap := self.cap(loaded["items"], parts, loaded)) is not None:
                    built.append(cap)
            elif isinstance(raw_cap, Mapping) and isinstance(raw_cap.get("items"), list):
                # Check the item list even when max or per is wrong, so one pass shows everything.
                self.cap([str(c) for c in raw_cap["items"]], parts, None)
        return built

    def cap(self, codes: list[str], parts: list[PathPart], loaded: dict[str, Any] | None) -> CapRule | None:
        before = len(self.problems)
        if not codes:
            self.problem(N_("A cap must name at least one item"), [*parts, "items"])
        first: dict[str, int] = {}
        for position, code in enumerate(codes):
            if first.setdefault(code, position) != position:
                self.problem(N_("The cap names %(code)s twice"), [*parts, "items", position], code=code)
            elif code not in self.items and code not in self.attempted:
                self.problem(N_("The cap names an unknown item %(code)s"), [*parts, "items", position], code=code)
        known = [self.items[c] for c in codes if c in self.items]
        for item in known:
            if item.kind not in ("bonus", "deduction"):
                self.problem(N_("A cap can only bound bonus or deduction items; %(code)s is a %(kind)s item"),
                             [*parts, "items"], code=item.code, kind=item.kind)
        kinds = {item.kind for item in known}
        if {"bonus", "deduction"} <= kinds:
            self.problem(N_("A cap cannot mix bonus and deduction items (%(bonus)s with %(deduction)s)"),
                         [*parts, "items"],
                         bonus=next(i.code for i in known if i.kind == "bonus"),
                         deduction=next(i.code for i in known if i.kind == "deduction"))
        if len(self.problems) > before or loaded is None:
            return None
        order = tuple(code for code in self.items if code in first)
        return CapRule(frozenset(codes), order, loaded["max"], loaded["per"], next(iter(kinds), "bonus"))

    def check_scheme_base(self, base_points: Decimal, categories: list[CategoryRule]) -> None:
        total = sum((c.base_points for c in categories if c.base_points is not None), ZERO)
        if total != base_points:
            self.problem(N_("The base categories add up to %(total)s, not the scheme's base_points %(base)s"),
                         ["scheme", "base_points"], total=total, base=base_points)
