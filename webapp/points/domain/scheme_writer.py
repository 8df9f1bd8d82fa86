"""Write a scheme's rules back as the YAML the loader reads (rules edited in pages become a file again).

`write_scheme(rules)` is the inverse of `load_scheme`: load_scheme(write_scheme(r)) has the same items,
categories, caps, policies and extra keys as r. Only what the loader derives is left out (an item's
kind or period when its category already says it, defaults, the implied item of a category that names
only its base). Comments of the original file are not kept: the version keeps the file it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from webapp.points.domain.scheme import CapRule, CategoryRule, ItemRule, SchemeRules


def number(value: Decimal) -> int | float:
    """A points value as YAML writes it: 2, not 2.00; 0.5 as 0.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def plain(value: Any) -> Any:
    """Loaded YAML values made safe to dump again (Decimals as numbers, tuples as lists)."""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, Mapping):
        return {key: plain(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(inner) for inner in value]
    return value


def _header(rules: SchemeRules) -> dict[str, Any]:
    header: dict[str, Any] = {"code": rules.code, "name": rules.name, "subject": rules.subject}
    if rules.base_points is not None:
        header["base_points"] = number(rules.base_points)
    header["inspection_period"] = rules.inspection_period
    # The loader merges the header's extra keys with the file's other sections; scalars read as the
    # header's (source, eligibility, …), anything bigger as a section of its own.
    header.update({k: plain(v) for k, v in rules.extra.items() if not isinstance(v, (Mapping, list, tuple))})
    return header


def _item(item: ItemRule, category: CategoryRule) -> dict[str, Any]:
    written: dict[str, Any] = {"code": item.code}
    if item.kind != category.kind:
        written["kind"] = item.kind
    if item.kind != "freeze":
        written["points"] = number(item.points)
    if item.kind != "base":
        written["per"] = item.per
    if item.scope != "household":
        written["scope"] = item.scope
    if item.evidence != "optional":
        written["evidence"] = item.evidence
    if item.credit != "immediate":
        written["credit"] = item.credit
    if item.default_met:
        written["default"] = "met"
    written["name"] = item.name
    written.update(plain(item.extra))
    return written


def _category(rules: SchemeRules, category: CategoryRule) -> dict[str, Any]:
    written: dict[str, Any] = {"code": category.code, "name": category.name}
    if category.kind is not None:
        written["kind"] = category.kind
    if category.base_points is not None:
        written["base_points"] = number(category.base_points)
    if category.inspection_period != rules.inspection_period:
        written["inspection_period"] = category.inspection_period
    own = [rules.items[code] for code in category.item_codes if code in rules.items]
    written["items"] = [_item(item, category) for item in own if not item.implicit]
    written.update(plain(category.extra))
    return written


def _cap(cap: CapRule) -> dict[str, Any]:
    return {"items": list(cap.item_order), "max": number(cap.max), "per": cap.per}


def scheme_document(rules: SchemeRules) -> dict[str, Any]:
    """The rules as the mapping a rules file holds: scheme, policies, categories, caps, other sections."""
    document: dict[str, Any] = {"scheme": _header(rules), "policies": plain(rules.policies.raw)}
    document["categories"] = [_category(rules, category) for category in rules.categories]
    if rules.caps:
        document["caps"] = [_cap(cap) for cap in rules.caps]
    document.update({k: plain(v) for k, v in rules.extra.items() if isinstance(v, (Mapping, list, tuple))})
    return document


class _Dumper(yaml.SafeDumper):
    """Block style, items one to a line (`- {code: J1, points: 0.5, …}`), no aliases, keys in our order."""

    def ignore_aliases(self, data: Any) -> bool:  # the loader refuses aliases
        return True


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    # An item or a cap (only plain values) reads best on one line, like the seed files; the header does not.
    item = "code" in data and "subject" not in data and all(not isinstance(v, (dict, list)) for v in data.values())
    flow = item or ("items" in data and "max" in data)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, (str, int, float, bool, date)) for v in data) and len(data) <= 12
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow and bool(data))


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def write_scheme(rules: SchemeRules) -> str:
    """The rules as YAML text the loader reads back to the same rules."""
    return yaml.dump(scheme_document(rules), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
