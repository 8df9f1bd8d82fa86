"""The village's rules as the public page shows them (no login): the version in force today, category by
category, each item with its points, period, cap and whether it needs a photo; and the next version if
one is adopted for a later day. Names and points only: the rules hold nothing personal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.points.domain.scheme import CapRule, CategoryRule, ItemRule, SchemeRules
from webapp.points.models.scheme import SchemeVersion
from webapp.points.services.schemes import timeline, version_rules


@dataclass(frozen=True)
class RuleSection:
    """One category: its items, and the caps that bound more than one of them."""

    category: CategoryRule
    items: tuple[ItemRule, ...]
    item_caps: dict[str, tuple[CapRule, ...]]  # an item's own cap (a cap on that item alone)
    group_caps: tuple[CapRule, ...]


@dataclass(frozen=True)
class RuleBook:
    village: Village
    version: SchemeVersion | None
    rules: SchemeRules | None
    sections: tuple[RuleSection, ...]
    upcoming: SchemeVersion | None  # adopted, in force from a later day

    def names(self, cap: CapRule) -> list[str]:
        """The names of a cap's items, in scheme order."""
        assert self.rules is not None
        return [self.rules.items[code].name for code in cap.item_order if code in self.rules.items]


def _sections(rules: SchemeRules) -> tuple[RuleSection, ...]:
    sections = []
    for category in rules.categories:
        items = tuple(rules.items[code] for code in category.item_codes)
        codes = set(category.item_codes)
        own = {item.code: tuple(c for c in rules.caps_for(item.code) if len(c.item_codes) == 1) for item in items}
        group = tuple(c for c in rules.caps if len(c.item_codes) > 1 and c.item_codes & codes)
        sections.append(RuleSection(category, items, own, group))
    return tuple(sections)


def public_rules(vcode: str, today: date) -> RuleBook:
    """The rules in force in the village with this code today; NotFound for a code that does not exist."""
    village = db.session.scalar(select(Village).where(Village.code == vcode))
    if village is None:
        raise NotFound(N_("Not found."))
    line = timeline(village.id)
    version = line.version_on(today) if line else None
    upcoming = next((v for v in line.versions if v.effective_from > today), None) if line else None
    if version is None:  # the first rules take effect later: show those
        version, upcoming = upcoming, None
    rules = version_rules(version) if version else None
    return RuleBook(village, version, rules, _sections(rules) if rules else (), upcoming)
