"""An item recorded on a form whose rules changed since the phone loaded them.

The phone sends the `scheme_version_id` its form was drawn from. When the version in force on the
recorded day (the village's local date of `occurred_at`) scores the item otherwise — other points,
another kind, scope or inspection period, or the item is gone — the entry is flagged
"rules_changed" for review, and stored by the version in force on the recorded day whenever that
version can hold it.

Why the recorded day's version: DOMAIN.md §3, a scheme version is immutable once in force and every
entry records the version it was scored under; the rules that apply to a deed are the ones in force
when it happened (a J2 on 3 December is worth what the rules of 3 December say, whatever the phone
had cached). The version in force *today* is not used: a deed of 30 November, synced after new rules
took effect on 1 December, is correctly scored by November's rules, so it is not flagged either.
When the item is gone from the recorded day's version (or cannot be stored as it is there: an
event turned into a base item, a household item turned into a member item without a member), the
phone's version is kept and the flag asks a reviewer to decide.
"""

from __future__ import annotations

from decimal import Decimal

from .port import ItemFacts, VersionFacts

RULES_CHANGED = "rules_changed"


def points_text(value: Decimal | int) -> str:
    """Points as a string nothing rounds: "6", "0.5", "-10"."""
    return format(Decimal(value).normalize(), "f")


def event_rules(
    claimed: VersionFacts, item: ItemFacts, on_day: VersionFacts | None, member_id: int | None,
) -> tuple[VersionFacts, ItemFacts, list[str]]:
    """The version and item an event is stored by, and ["rules_changed"] when they differ from the
    phone's (or the rules did and the phone's are kept)."""
    if on_day is None or on_day.id == claimed.id:
        return claimed, item, []
    now_item = on_day.items.get(item.code)
    if now_item is not None and now_item.rule == item.rule:
        return claimed, item, []
    storable = (now_item is not None and now_item.kind != "base"
                and (now_item.scope != "member" or member_id is not None))
    if storable:
        return on_day, now_item, [RULES_CHANGED]  # type: ignore[return-value]
    return claimed, item, [RULES_CHANGED]


def inspection_rules(
    claimed: VersionFacts, base: dict[str, ItemFacts], on_day: VersionFacts | None, kind: str,
) -> tuple[VersionFacts, dict[str, ItemFacts], list[str]]:
    """The version and base items an inspection is stored by (items the phone did not show take
    their default), and ["rules_changed"] when the base items of its period differ."""
    if on_day is None or on_day.id == claimed.id:
        return claimed, base, []
    now_base = {i.code: i for i in on_day.base_items(kind)}
    if {c: i.rule for c, i in now_base.items()} == {c: i.rule for c, i in base.items()}:
        return claimed, base, []
    if now_base:
        return on_day, now_base, [RULES_CHANGED]
    return claimed, base, [RULES_CHANGED]
